"""The office dashboard's executive summary PDF (issue 16): at most two A4 pages, the same
numbers as the page, only what the reader may open, and 403 for those who may not see it."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from apps.dashboard import figures
from apps.dashboard.scope import Scope
from apps.library.extraction.pdf import pdf_text
from apps.search.models import QueryStat
from tests.pdf_pictures import save_pictures
from tests.plans.factories import this_year

pytestmark = pytest.mark.django_db

A4 = (595, 842)  # points, ±1


def read(response, tmp_path) -> tuple[int, str, PdfReader]:
    """Pages (counted by pypdf) and the text as the portal's own extractor reads it back."""
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    path = tmp_path / "summary.pdf"
    path.write_bytes(response.content)
    text, pages, warnings = pdf_text(path)
    assert pages == len(reader.pages) and warnings == []
    return len(reader.pages), "".join(text.split()), reader


def reader_bytes(reader: PdfReader) -> bytes:
    return reader.stream.getvalue()


def test_the_summary_is_at_most_two_a4_pages_with_the_headline_and_sections(
    office, client_as, tmp_path
):
    pages, text, reader = read(client_as("cko").get(reverse("dashboard:office_pdf")), tmp_path)
    assert 1 <= pages <= 2
    assert len(save_pictures("dashboard-summary", reader_bytes(reader))) == pages
    box = reader.pages[0].mediabox
    assert abs(float(box.width) - A4[0]) <= 1 and abs(float(box.height) - A4[1]) <= 1
    for heading in ("สรุปสำหรับผู้บริหาร", "ความก้าวหน้าตามขั้นตอนKM", "กิจกรรมที่ล่าช้า", "ภาษี"):
        assert heading in text, heading
    # The late activity a2, and the search nobody found anything for.
    assert "a2" in text


def test_long_lists_stay_within_two_pages(office, client_as, tmp_path):
    """GIVEN eighty searches without results WHEN the summary is printed THEN it still fits
    on two pages: the list is cut and says so."""
    today = office["today"]
    QueryStat.objects.bulk_create(
        QueryStat(query=f"คำค้นที่ไม่พบลำดับที่ {n}", day=today, searches=3, zero_results=3)
        for n in range(80)
    )
    response = client_as("cko").get(reverse("dashboard:office_pdf"))
    pages, text, _reader = read(response, tmp_path)
    assert pages <= 2
    assert "ดูรายการทั้งหมดได้ที่แดชบอร์ด" in text
    save_pictures("dashboard-summary-long", response.content)


def test_the_summary_has_the_numbers_of_the_page(office, client_as, people, tmp_path):
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = people["cko"]
    summary = figures.plan_summary(Scope.for_request(request, year=this_year(), team=None, step=""))
    _pages, text, _reader = read(client_as("cko").get(reverse("dashboard:office_pdf")), tmp_path)
    assert f"{summary.named['average'].value}%" in text
    assert str(summary.named["total"].value) in text


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("cko", 200),
        ("head", 200),
        ("secretary", 200),
        ("member", 403),
        ("staff", 403),
        ("anonymous", 302),
    ],
)
def test_who_may_print_it(office, client_as, role, status):
    assert client_as(role).get(reverse("dashboard:office_pdf")).status_code == status


def test_post_is_refused(office, client_as):
    assert client_as("cko").post(reverse("dashboard:office_pdf")).status_code == 405


def test_bad_filters_still_print(office, client_as, tmp_path):
    response = client_as("cko").get(reverse("dashboard:office_pdf"), {"year": "ปีไหน", "team": "x"})
    pages, _text, _reader = read(response, tmp_path)
    assert pages <= 2
