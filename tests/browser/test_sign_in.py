import re

from playwright.sync_api import expect

from apps.core.thaidates import fiscal_year
from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD
from tests.factories import UserFactory


def test_sign_in_and_see_the_thai_landing_page(page, screenshot):
    UserFactory(username="somchai", first_name="สมชาย", last_name="ใจดี")
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))
    expect(page.get_by_role("heading", name="ระบบจัดการความรู้")).to_be_visible()
    screenshot("login")

    sign_in(page, "somchai", PASSWORD)
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.locator("html")).to_have_attribute("lang", "th")
    expect(page.get_by_role("heading", name="มุมความรู้", exact=True)).to_be_visible()
    expect(page.get_by_text("การบ่งชี้ความรู้")).to_be_visible()
    expect(page.get_by_text(f"ปีงบประมาณ {fiscal_year()}")).to_be_visible()
    # The Thai web font is served from static/ and actually used.
    family = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert family.startswith("Sarabun")
    assert page.evaluate("document.fonts.check('16px Sarabun', 'มุมความรู้')")
    screenshot("home")


def test_a_wrong_password_is_explained_in_thai(page):
    UserFactory(username="somchai")
    sign_in(page, "somchai", "wrong-password")
    expect(page.locator(".alert-danger, .invalid-feedback, .errorlist").first).to_contain_text(
        "ชื่อผู้ใช้"
    )


def test_switch_to_english_and_back(page):
    UserFactory(username="somchai")
    sign_in(page, "somchai", PASSWORD)
    page.locator("#language-menu").click()
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", name="Knowledge corner", exact=True)).to_be_visible()
    page.reload()
    expect(page.get_by_role("heading", name="Knowledge corner", exact=True)).to_be_visible()
    page.locator("#language-menu").click()
    page.get_by_role("button", name="ไทย").click()
    expect(page.get_by_role("heading", name="มุมความรู้", exact=True)).to_be_visible()
