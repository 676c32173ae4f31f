"""Behaviour that used to sit in inline handlers (onsubmit=, onchange=, onclick=), which the
Content-Security-Policy would block: it now comes from js/portal.js."""

from playwright.sync_api import expect

from apps.library.models import Document
from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD
from tests.factories import UserFactory
from tests.library.factories import DocumentFactory


def test_deleting_a_document_asks_first(page):
    UserFactory(username="admin", is_staff=True, is_superuser=True)
    document = DocumentFactory(title="คู่มือที่จะลบ")
    sign_in(page, "admin", PASSWORD)
    page.goto(document.get_absolute_url())
    questions = []

    def dismiss(dialog):
        questions.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", dismiss)
    page.get_by_role("button", name="ลบ").first.click()
    page.wait_for_timeout(300)
    assert len(questions) == 1
    assert Document.objects.filter(pk=document.pk).exists()  # "cancel" kept it

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="ลบ").first.click()
    page.wait_for_url("**/library/")
    assert not Document.objects.filter(pk=document.pk).exists()


def test_choosing_a_year_on_the_steps_page_shows_it(page):
    UserFactory(username="somchai")
    sign_in(page, "somchai", PASSWORD)
    page.goto("/plans/steps/")
    options = page.locator("#year option")
    other = options.nth(options.count() - 1).get_attribute("value")
    page.locator("#year").select_option(other)
    page.wait_for_url(f"**/plans/steps/?year={other}")
    expect(page.locator("#year")).to_have_value(other)


def test_the_print_button_shows_on_print_pages(page):
    UserFactory(username="admin", is_staff=True, is_superuser=True)
    sign_in(page, "admin", PASSWORD)
    page.goto("/dashboard/office/print/")
    expect(page.locator("[data-km-print]")).to_be_visible()
