"""Real-browser tests: Playwright drives Debian's Chromium against pytest-django's live server.

They run wherever a Chromium binary is found (``KM_CHROMIUM`` or ``/usr/bin/chromium``) and are
skipped, with that reason printed, where none is. Screenshots go to ``test-artifacts/``.
"""

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("KM_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
HAVE_CHROMIUM = Path(CHROMIUM).is_file() and os.access(CHROMIUM, os.X_OK)
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(config, items):
    for item in items:
        if Path(str(item.fspath)).parent == Path(__file__).parent:
            item.add_marker(pytest.mark.browser)
            if not HAVE_CHROMIUM:
                item.add_marker(
                    pytest.mark.skip(reason=f"no Chromium at {CHROMIUM}: browser tests skipped")
                )


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread while the browser lives; the ORM
    # calls that test code makes beside it are still plain synchronous calls, so Django's
    # async-safety guard does not apply. Restored when the browser closes.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser, live_server, transactional_db):
    context = browser.new_context(
        base_url=live_server.url, locale="th-TH", viewport={"width": 1440, "height": 900}
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    # The Content-Security-Policy must never block what the portal itself needs.
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    yield page
    context.close()
    assert violations == [], f"blocked by the Content-Security-Policy: {violations}"


@pytest.fixture
def screenshot(page):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def take(name: str) -> Path:
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


def sign_in(page, username: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("ชื่อผู้ใช้").fill(username)
    page.get_by_label("รหัสผ่าน").fill(password)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()


def write_markdown(page, field_id: str, markdown: str, *, mode: str = "wysiwyg") -> None:
    """Put Markdown into a text the WYSIWYG editor (js/widgets.js) has taken over, as typing
    into it would: the editor writes it back into the hidden textarea the form sends. In
    ``mode="markdown"`` (the editor's Markdown tab) the text is kept exactly as given."""
    page.locator(f"#{field_id} + .km-editor-host .toastui-editor-defaultUI").wait_for()
    page.evaluate(
        """([id, text, mode]) => {
            const editor = document.getElementById(id).kmEditor;
            editor.changeMode(mode, true);
            editor.setMarkdown(text);
        }""",
        [field_id, markdown, mode],
    )
