"""A law's detail page opened at a section (a search result links there): the section with its
label, the way back to the whole document, and the law's contents (issue 19)."""

import pytest
from django.utils.html import escape

from apps.library.choices import DocumentType
from tests.library.factories import DocumentFileFactory

pytestmark = pytest.mark.django_db
TEXT = "\n".join(
    [
        "ระเบียบกรมส่งเสริมสหกรณ์ ว่าด้วยการเงิน",
        "ข้อ 1 ระเบียบนี้เรียกว่าระเบียบว่าด้วยการเงิน",
        "ข้อ 2 ระเบียบนี้ให้ใช้บังคับตั้งแต่วันถัดจากวันประกาศ",
        "ข้อ 3 ให้สหกรณ์จัดทำงบการเงินปีละหนึ่งครั้งภายในหกสิบวัน",
        "ข้อ 4 ให้อธิบดีรักษาการตามระเบียบนี้",
    ]
)


@pytest.fixture
def regulation():
    return DocumentFileFactory(
        content=TEXT.encode(),
        document__title="ระเบียบว่าด้วยการเงิน",
        document__doc_type=DocumentType.REGULATION,
    ).document


def test_the_page_opens_at_the_section(user_client, regulation):
    """GIVEN a regulation WHEN its page is opened at ข้อ 3 THEN that section is shown under its
    label, with a link to the whole document and the contents marking ข้อ 3."""
    response = user_client.get(regulation.get_absolute_url(), {"section": "ข้อ 3"})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="section"' in page
    assert '<h2 class="h5 mb-0" id="section-heading">ข้อ 3</h2>' in page
    assert "ให้สหกรณ์จัดทำงบการเงินปีละหนึ่งครั้ง" in page
    assert "ทั้งฉบับ" in page
    assert "สารบัญ (4 รายการ)" in page
    assert page.count('aria-current="true"') == 1


@pytest.mark.parametrize(
    "value", ["ข้อ 99", "", "มาตรา 3", "<script>alert(1)</script>", "ข้อ 3" * 200]
)
def test_an_unknown_section_shows_the_document_as_usual(user_client, regulation, value):
    """GIVEN a regulation WHEN its page is asked for a section it lacks (or garbage) THEN the
    page is the usual one, with its contents and no section panel, and never an error."""
    response = user_client.get(regulation.get_absolute_url(), {"section": value})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="section"' not in page
    assert "สารบัญ (4 รายการ)" in page
    if len(value) > 10:  # what was asked for is not echoed
        assert escape(value) not in page


def test_a_document_that_is_not_a_law_has_no_contents(user_client):
    """GIVEN a circular with the same text WHEN opened at a section THEN nothing of it shows."""
    circular = DocumentFileFactory(content=TEXT.encode()).document
    response = user_client.get(circular.get_absolute_url(), {"section": "ข้อ 3"})
    assert response.status_code == 200
    assert "สารบัญ" not in response.content.decode()
