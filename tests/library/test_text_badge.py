"""The badge of a file's text says what it means to staff (issue 16): its words can be found by
search ("ค้นหาในเนื้อหาได้"), not that the machine "read" it."""

import pytest
from django.utils import translation

from apps.library.models import TextStatus
from tests.library.factories import DocumentFileFactory

pytestmark = pytest.mark.django_db


def test_the_statuses_read_in_terms_of_search():
    with translation.override("th"):
        assert str(TextStatus.DONE.label) == "ค้นหาในเนื้อหาได้"
        assert str(TextStatus.FAILED.label) == "ค้นหาในเนื้อหาไม่ได้"
        assert "ค้นหาในเนื้อหา" in str(TextStatus.PENDING.label)


def test_the_document_page_shows_the_badge(client_as):
    stored = DocumentFileFactory(content="ระเบียบว่าด้วยการรับฝากเงิน".encode())
    stored.refresh_from_db()
    assert stored.text_status == TextStatus.DONE
    html = client_as("staff").get(stored.document.get_absolute_url()).content.decode()
    assert "ค้นหาในเนื้อหาได้" in html and "อ่านข้อความแล้ว" not in html
