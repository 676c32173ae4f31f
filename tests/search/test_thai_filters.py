"""Filters typed in Thai or English, field names and values (issue 16): ``ประเภท:หนังสือเวียน``
is ``type:circular``; a value nobody knows finds nothing rather than failing."""

import pytest
from django.urls import reverse

from apps.library.models import DocumentType
from apps.search.engine.query import rewrite_filters
from apps.search.searching import search, typed_value
from tests.library.factories import DocumentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def papers(search_index):
    docs = {
        "circular": DocumentFactory(
            title="หนังสือแจ้งการประชุมใหญ่ของสหกรณ์", doc_type=DocumentType.CIRCULAR
        ),
        "regulation": DocumentFactory(
            title="ระเบียบว่าด้วยการประชุมใหญ่ของสหกรณ์", doc_type=DocumentType.REGULATION
        ),
        "report": DocumentFactory(
            title="รายงานผลการประชุมใหญ่ของสหกรณ์", doc_type=DocumentType.REPORT
        ),
    }
    search_index()
    return docs


def found(user, text):
    return {result.obj for result in search(user=user, text=text, record=False).results}


@pytest.mark.parametrize(
    "typed",
    [
        "ประเภท:หนังสือเวียน",
        "type:หนังสือเวียน",
        "type:circular",
        "ประเภท:circular",
        "type:Circular",
        "TYPE:circular",
        'ประเภท:"หนังสือเวียน"',
    ],
)
def test_type_filter_in_thai_and_english(people, papers, typed):
    assert found(people["staff"], f"การประชุมใหญ่ {typed}") == {papers["circular"]}


def test_several_thai_types_and_an_excluded_one(people, papers):
    staff = people["staff"]
    assert found(staff, "การประชุมใหญ่ ประเภท:หนังสือเวียน,รายงาน") == {
        papers["circular"],
        papers["report"],
    }
    assert found(staff, "การประชุมใหญ่ -ประเภท:ระเบียบ") == {papers["circular"], papers["report"]}


def test_kind_by_its_thai_label(people, papers):
    with_kind = found(people["staff"], "การประชุมใหญ่ ชนิด:เอกสาร")
    assert with_kind == set(papers.values())


def test_an_unknown_value_finds_nothing_and_is_no_error(client_as, people, papers):
    assert found(people["staff"], "การประชุมใหญ่ ประเภท:ไม่มีประเภทนี้") == set()
    response = client_as("staff").get(reverse("search:results"), {"q": "ประเภท:ไม่มีประเภทนี้"})
    assert response.status_code == 200


def test_rewrite_leaves_text_and_unknown_fields_alone():
    assert rewrite_filters("ประชุม 10:30 ประเภท:หนังสือเวียน", typed_value) == (
        "ประชุม 10:30 ประเภท:circular"
    )
    assert rewrite_filters("ปี:2567 ประชุม", typed_value) == "ปี:2567 ประชุม"


def test_the_tip_shows_thai_examples(client_as, people, search_index):
    html = client_as("staff").get(reverse("search:results")).content.decode()
    assert "ประเภท:หนังสือเวียน" in html
