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
