from urllib.parse import unquote_plus

from playwright.sync_api import expect

from apps.library.choices import DocumentType
from apps.search import indexing
from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD
from tests.factories import UserFactory
from tests.library.factories import DocumentFileFactory

SECTIONS = [
    ("มาตรา 1", "ประมวลกฎหมายนี้เรียกว่าประมวลรัษฎากร"),
    ("มาตรา 39", "ในลักษณะนี้ เงินได้พึงประเมิน หมายความว่าเงินได้ตามมาตรา 40"),
    (
        "มาตรา 40",
        "เงินได้พึงประเมิน ได้แก่เงินได้ดังต่อไปนี้\n(1) เงินได้เนื่องจากการจ้างแรงงาน ไม่ว่าจะเป็น"
        "เงินเดือน ค่าจ้าง เบี้ยเลี้ยง โบนัส เบี้ยหวัด บำเหน็จ บำนาญ เงินค่าเช่าบ้าน\n(2) เงินได้"
        "เนื่องจากหน้าที่หรือตำแหน่งงานที่ทำ หรือจากการรับทำงานให้",
    ),
    *[(f"มาตรา {n}", f"บทบัญญัติของมาตรา {n} ว่าด้วยภาษีเงินได้บุคคลธรรมดา") for n in range(41, 80)],
]


def test_a_question_opens_the_law_at_its_section(page, screenshot, settings, tmp_path):
    """GIVEN ประมวลรัษฎากร uploaded as one file WHEN staff ask about bonuses and follow the
    result THEN the page opens at มาตรา 40, with the way back to the whole law and its contents
    (wide screen and phone)."""
    settings.SEARCH_INDEX_DIR = tmp_path / "index"
    UserFactory(username="staff1")
    text = "ประมวลรัษฎากร\n" + "\n".join(f"{label} {body}" for label, body in SECTIONS)
    DocumentFileFactory(
        content=text.encode(),
        original_name="ประมวลรัษฎากร.txt",
        document__title="ประมวลรัษฎากร",
        document__doc_type=DocumentType.LAW,
    )
    indexing.flush()

    sign_in(page, "staff1", PASSWORD)
    page.goto("/search/?q=ลูกจ้างได้รับโบนัสและเบี้ยเลี้ยง ต้องเสียภาษีเงินได้หรือไม่")
    result = page.locator(".search-result").first
    expect(result.locator(".search-section")).to_have_text("มาตรา 40")
    expect(result.locator(".snippet")).to_contain_text("โบนัส")
    screenshot("law-section-search")
    result.get_by_role("link", name="ประมวลรัษฎากร").click()
    assert unquote_plus(page.url).endswith("?section=มาตรา 40#section")
    expect(page.locator("#section-heading")).to_have_text("มาตรา 40")
    expect(page.locator("#section")).to_contain_text("เบี้ยเลี้ยง โบนัส")
    expect(page.get_by_role("link", name="ทั้งฉบับ")).to_be_visible()
    expect(page.locator(".law-contents summary")).to_contain_text("สารบัญ (42 รายการ)")
    page.locator(".law-contents summary").click()
    expect(page.locator(".law-contents [aria-current=true]")).to_have_text("มาตรา 40")
    screenshot("law-section-detail-1440")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot("law-section-detail-390")
