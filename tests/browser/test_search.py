from playwright.sync_api import expect

from apps.search import indexing
from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD
from tests.factories import UserFactory
from tests.library.factories import DocumentFileFactory


def test_type_a_thai_query_and_see_highlighted_results(page, screenshot, settings, tmp_path):
    settings.SEARCH_INDEX_DIR = tmp_path / "index"
    UserFactory(username="staff1")
    DocumentFileFactory(
        document__title="หนังสือเวียน เรื่อง การประชุมใหญ่สามัญประจำปีของสหกรณ์",
        content="ให้สหกรณ์จัดประชุมใหญ่สามัญประจำปีภายในหนึ่งร้อยห้าสิบวันนับแต่วันสิ้นปีทางบัญชี".encode(),
    )
    DocumentFileFactory(document__title="คู่มือการตรวจการสหกรณ์", content="การตรวจสอบกิจการ".encode())
    indexing.flush()

    sign_in(page, "staff1", PASSWORD)
    box = page.locator("#nav-search")
    box.fill("ประชุมใหญ่")
    # Suggestions appear as the person types.
    expect(page.locator(".search-suggestions.show")).to_contain_text("การประชุมใหญ่สามัญประจำปี")
    box.press("Enter")
    expect(page.locator(".search-result").first).to_contain_text("การประชุมใหญ่สามัญประจำปี")
    expect(page.locator(".search-result mark").first).to_be_visible()
    marked = page.locator(".search-result mark").all_inner_texts()
    assert any("ประชุม" in text for text in marked)
    expect(page.locator(".search-result")).to_have_count(1)
    screenshot("search-results")
