from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD
from tests.dashboard.conftest import office  # noqa: F401 - the hand-counted office

# Whether a canvas has anything drawn on it (a blank canvas is all transparent pixels).
DRAWN = """canvas => {
  const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  for (let i = 3; i < data.length; i += 4) { if (data[i] !== 0) return true; }
  return false;
}"""


def test_the_cko_reads_the_dashboard_filters_it_and_opens_a_figure(page, screenshot, office):  # noqa: F811
    """GIVEN the small office WHEN the CKO opens the dashboard from the navigation THEN the
    charts are drawn beside their tables; a team filter narrows every figure; a count opens the
    list of exactly the records it counts."""
    sign_in(page, "r_cko", PASSWORD)
    page.get_by_role("link", name="แดชบอร์ด").first.click()
    expect(page).to_have_url("/dashboard/office/")
    expect(page.locator("h1")).to_have_text("แดชบอร์ดการจัดการความรู้")
    charts = page.locator("canvas[data-drawn='1']")
    expect(charts).to_have_count(page.locator("canvas[data-chart]").count())
    assert charts.count() >= 8
    for index in range(charts.count()):
        assert charts.nth(index).evaluate(DRAWN), f"chart {index} is blank"
    headline = page.locator(".km-headline .display-6")
    expect(headline.first).to_have_text("5")
    screenshot("dashboard-office")

    _t1, group = office["teams"]
    page.locator("#id_team").select_option(str(group.pk))
    page.get_by_role("button", name="แสดง").click()
    expect(headline.first).to_have_text("2")
    expect(page.locator("#dashboard-filters")).to_contain_text(group.name)

    page.locator("#id_team").select_option("")
    page.get_by_role("button", name="แสดง").click()
    page.locator("#figure-plan_summary a", has_text="1").last.click()  # the late count
    expect(page.locator("#list-count")).to_have_text("1")
    expect(page.locator("table.km-list tbody tr")).to_have_count(1)
    expect(page.locator("table.km-list")).to_contain_text("a2")
    screenshot("dashboard-list")


def test_a_member_sees_their_own_dashboard(page, screenshot, office):  # noqa: F811
    sign_in(page, "r_member", PASSWORD)
    page.get_by_role("link", name="แดชบอร์ด").first.click()
    expect(page).to_have_url("/dashboard/me/")
    expect(page.locator("#my-activities")).to_have_text("2")
    expect(page.locator("#my-late")).to_have_text("1")
    expect(page.get_by_role("link", name="a2")).to_be_visible()
    expect(page.get_by_role("link", name="a5")).to_have_count(0)
    screenshot("dashboard-personal")
    page.goto("/dashboard/office/")
    expect(page.locator("h1")).not_to_have_text("แดชบอร์ดการจัดการความรู้")


TABLES_CUT = """() => [...document.querySelectorAll('.km-figure-table')]
  .filter(table => table.scrollWidth > table.parentElement.clientWidth + 1
    || table.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
  .map(table => table.querySelector('caption').textContent.trim())"""


def pdf_layout(path):
    """(pages, text objects lying on a chart's image) of a PDF."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    document = pdfium.PdfDocument(str(path))
    overlaps = []
    for number, page in enumerate(document, 1):
        images, words = [], []
        for obj in page.get_objects(max_depth=5):
            if obj.type == raw.FPDF_PAGEOBJ_IMAGE:
                images.append(obj.get_bounds())
            elif obj.type == raw.FPDF_PAGEOBJ_TEXT:
                words.append(obj.get_bounds())
        overlaps += [
            (number, word)
            for word in words
            for image in images
            if word[0] < image[2] - 1
            and word[2] > image[0] + 1
            and word[1] < image[3] - 1
            and word[3] > image[1] + 1
        ]
    return len(document), overlaps


def test_the_print_view_is_a_compact_report(page, screenshot, office, tmp_path):  # noqa: F811
    """GIVEN the small office, with long desired states WHEN the CKO prints the dashboard THEN
    no chart lies over its table, no table is cut at the margin, and it takes a few pages."""
    for state in office["states"]:
        state.title = "องค์กรสามารถจัดทำฐานข้อมูลด้านสหกรณ์สำหรับศูนย์การเรียนรู้ด้านเกษตรและสหกรณ์"
        state.indicator = "มีฐานข้อมูลสหกรณ์พร้อมใช้งานที่ศูนย์เรียนรู้โครงการหุบกะพง"
        state.target = "1 ฐานข้อมูลต่อศูนย์"
        state.save()
    sign_in(page, "r_cko", PASSWORD)
    response = page.goto("/dashboard/office/print/")
    expect(page.locator("canvas[data-drawn='1']")).to_have_count(
        page.locator("canvas[data-chart]").count()
    )
    path = tmp_path / "dashboard.pdf"
    page.pdf(path=str(path), format="A4", prefer_css_page_size=True)
    pages, overlaps = pdf_layout(path)
    assert overlaps == []
    # 8 before the communities, Q&A board and learning sections came (the one- or two-page
    # executive summary is the PDF, tests/dashboard/test_summary_pdf.py).
    assert pages <= 10, pages
    # Laid out as on paper (A4 less the margins is 16 cm wide), every table fits the width.
    page.set_viewport_size({"width": 605, "height": 900})
    page.emulate_media(media="print")
    assert page.evaluate(TABLES_CUT) == []
    assert response.ok
    screenshot("dashboard-print")
