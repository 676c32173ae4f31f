"""Issue 16 in a real browser: abbreviations and Thai filters in the search box, the office
dashboard and a form on a phone (390 px) and on a desk (1440 px), and the dashboard's summary
PDF counted. Screenshots in ``test-artifacts/screenshots/`` (``*-390`` and ``*-1440``)."""

import io
import re

from playwright.sync_api import expect
from pypdf import PdfReader

from apps.library.models import DocumentType
from apps.search import indexing
from apps.teams.models import Role, TeamKind
from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD
from tests.dashboard.conftest import office  # noqa: F401 - the hand-counted office
from tests.factories import MembershipFactory, TeamFactory, UserFactory
from tests.library.factories import DocumentFileFactory

PHONE = {"width": 390, "height": 844}
DESK = {"width": 1440, "height": 900}


def shelve_laws(settings, tmp_path):
    settings.SEARCH_INDEX_DIR = tmp_path / "index"
    DocumentFileFactory(
        document__title="พระราชบัญญัติสหกรณ์ พ.ศ. 2542",
        document__doc_type=DocumentType.LAW,
        content="พระราชบัญญัตินี้เรียกว่า พระราชบัญญัติสหกรณ์ การประชุมใหญ่ของสหกรณ์".encode(),
    )
    DocumentFileFactory(
        document__title="หนังสือเวียน เรื่อง การประชุมใหญ่สามัญประจำปีของสหกรณ์",
        document__doc_type=DocumentType.CIRCULAR,
        content="ให้สหกรณ์จัดประชุมใหญ่สามัญประจำปีภายในหนึ่งร้อยห้าสิบวัน".encode(),
    )
    DocumentFileFactory(
        document__title="คู่มือการประชุมใหญ่ของสหกรณ์",
        document__doc_type=DocumentType.MANUAL,
        content="ขั้นตอนการจัดประชุมใหญ่".encode(),
    )
    indexing.flush()


def test_abbreviations_and_thai_filters_on_a_phone_and_a_desk(page, screenshot, settings, tmp_path):
    """GIVEN an act, a circular and a manual WHEN staff type "พ.ร.บ." on a phone THEN the act is
    the first result, at the top of the screen, the filters behind a button; "ประเภท:หนังสือเวียน"
    keeps only the circular; on a desk the filters stand beside the results."""
    shelve_laws(settings, tmp_path)
    UserFactory(username="staff1")
    sign_in(page, "staff1", PASSWORD)

    page.set_viewport_size(PHONE)
    page.goto("/search/?q=" + "พ.ร.บ.")
    first = page.locator(".search-result").first
    expect(first).to_contain_text("พระราชบัญญัติสหกรณ์")
    expect(page.locator("#search-filters")).to_be_hidden()
    toggle = page.locator("#search-filters-toggle")
    expect(toggle).to_be_visible()
    box = first.bounding_box()
    assert box is not None and box["y"] + 40 < PHONE["height"], box  # seen without scrolling
    assert page.locator(".alert-info", has_text="หรือไม่").count() == 0  # no "did you mean"
    screenshot("search-abbreviation-390")
    toggle.click()
    expect(page.locator("#search-filters")).to_have_class(re.compile(r"\bcollapse show\b"))
    expect(page.locator("#search-filters")).to_contain_text("กฎหมาย")  # the type facet
    screenshot("search-filters-open-390")

    page.goto("/search/?q=" + "พรบ")
    expect(page.locator(".search-result").first).to_contain_text("พระราชบัญญัติสหกรณ์")

    page.locator("#search-q").fill("การประชุมใหญ่ ประเภท:หนังสือเวียน")
    page.locator("#search-q").press("Enter")
    expect(page.locator(".search-result")).to_have_count(1)
    expect(page.locator(".search-result")).to_contain_text("หนังสือเวียน")
    expect(page.locator("#search-page-form .form-text")).to_contain_text("ประเภท:หนังสือเวียน")
    screenshot("search-thai-filter-390")

    page.set_viewport_size(DESK)
    page.goto("/search/?q=" + "การประชุมใหญ่")
    expect(page.locator("#search-filters")).to_be_visible()
    expect(page.locator("#search-filters-toggle")).to_be_hidden()
    expect(page.locator(".search-result")).to_have_count(3)
    screenshot("search-results-1440")


def test_the_dashboard_on_a_phone_opens_on_its_headline(page, screenshot, office):  # noqa: F811
    """GIVEN the CKO on a phone WHEN the dashboard opens THEN the four headline figures are the
    first thing on the screen and the sections are folded; a section opens with its charts."""
    page.set_viewport_size(PHONE)
    sign_in(page, "r_cko", PASSWORD)
    page.goto("/dashboard/office/")
    headline = page.locator(".km-headline .card")
    expect(headline).to_have_count(4)
    for index in range(4):
        box = headline.nth(index).bounding_box()
        assert box is not None and box["y"] + box["height"] <= PHONE["height"], (index, box)
    expect(page.locator("#dashboard-filter-bar")).to_be_hidden()
    expect(page.locator(".km-fold").first).to_be_hidden()
    screenshot("dashboard-office-390")

    page.locator("#section-plan .km-fold-toggle").click()
    body = page.locator("#section-plan-body")
    expect(body).to_have_class(re.compile(r"\bcollapse show\b"))
    canvas = body.locator("canvas[data-chart]").first
    expect(canvas).to_be_visible()
    width = canvas.bounding_box()["width"]
    assert 200 < width <= PHONE["width"], width  # redrawn to the phone's width
    screenshot("dashboard-office-plan-open-390")

    page.set_viewport_size(DESK)
    page.goto("/dashboard/office/")
    expect(page.locator("#section-plan-body")).to_be_visible()
    expect(page.locator(".km-fold-toggle").first).to_be_hidden()
    screenshot("dashboard-office-1440")


def test_the_dashboard_summary_pdf_is_at_most_two_pages(page, office):  # noqa: F811
    sign_in(page, "r_cko", PASSWORD)
    page.goto("/dashboard/office/")
    link = page.locator("#dashboard-summary-pdf")
    expect(link).to_be_visible()
    response = page.request.get(link.get_attribute("href"))
    assert response.ok and response.headers["content-type"] == "application/pdf"
    pages = len(PdfReader(io.BytesIO(response.body())).pages)
    assert 1 <= pages <= 2


def test_a_form_on_a_phone_is_for_one_hand(page, screenshot):
    """GIVEN a KM member on a phone WHEN they open the upload form THEN its save button fills
    the width and every control is at least 44 px high."""
    member = UserFactory(username="anan")
    MembershipFactory(person=member, team=TeamFactory(kind=TeamKind.KM_GROUP), role=Role.MEMBER)
    page.set_viewport_size(PHONE)
    sign_in(page, "anan", PASSWORD)
    page.goto("/library/new/")
    save = page.get_by_role("button", name="บันทึก")
    expect(save).to_be_visible()
    box = save.bounding_box()
    assert box["width"] >= PHONE["width"] - 2 * 24 and box["height"] >= 44, box
    for selector in ("#id_title", "#id_doc_type", "#id_number"):
        height = page.locator(selector).bounding_box()["height"]
        assert height >= 44, (selector, height)
    screenshot("library-upload-390")
    page.set_viewport_size(DESK)
    page.goto("/library/new/")
    assert page.get_by_role("button", name="บันทึก").bounding_box()["width"] < 400
    screenshot("library-upload-1440")
