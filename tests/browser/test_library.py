import re

import pytest
from django.conf import settings
from playwright.sync_api import expect

from apps.library.extraction import ocr as ocr_engine
from apps.library.models import Document
from apps.teams.models import Role, TeamKind
from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD
from tests.factories import MembershipFactory, TeamFactory, UserFactory
from tests.library import scans
from tests.library.factories import CategoryFactory


def test_a_member_uploads_a_circular_and_finds_it_on_its_shelf(page, screenshot, tmp_path):
    member = UserFactory(username="anan", first_name="อนันต์", last_name="มั่นคง")
    MembershipFactory(person=member, team=TeamFactory(kind=TeamKind.KM_GROUP), role=Role.MEMBER)
    shelf = CategoryFactory(name="หนังสือเวียน")
    CategoryFactory(name="กฎหมาย")
    upload = tmp_path / "ว 210 การประชุมใหญ่.txt"
    upload.write_bytes("ให้สหกรณ์จัดประชุมใหญ่สามัญประจำปีภายในหนึ่งร้อยห้าสิบวัน".encode("tis-620"))

    sign_in(page, "anan", PASSWORD)
    page.goto("/library/")
    page.get_by_role("link", name="เพิ่มเอกสาร").click()
    page.locator("#id_files").set_input_files(str(upload))
    page.locator("#id_title").fill("หนังสือเวียน เรื่อง การประชุมใหญ่สามัญประจำปี")
    page.locator("#id_doc_type").select_option("circular")
    page.locator("#id_number").fill("กษ 1104/ว 210")
    page.locator("#id_issued_on").fill("2/3/2552")
    page.locator("#id_category").select_option(str(shelf.pk))
    page.locator("#id_tag_names").fill("การประชุมใหญ่, สหกรณ์")
    screenshot("library-upload")
    page.get_by_role("button", name="บันทึก").click()

    expect(page.get_by_role("heading", name="หนังสือเวียน เรื่อง การประชุมใหญ่สามัญประจำปี")).to_be_visible()
    expect(page.get_by_text("2 มีนาคม 2552")).to_be_visible()
    expect(page.get_by_text("ค้นหาในเนื้อหาได้")).to_be_visible()
    screenshot("library-document")

    page.get_by_role("link", name="มุมความรู้").first.click()
    page.locator(".shelf-nav").get_by_role("link", name=re.compile("หนังสือเวียน")).first.click()
    expect(page.locator(".document-list")).to_contain_text("การประชุมใหญ่สามัญประจำปี")
    expect(page.locator(".document-list")).to_contain_text("กษ 1104/ว 210")
    screenshot("library-shelf")
    assert Document.objects.get().files.get().text.startswith("ให้สหกรณ์จัดประชุมใหญ่")


@pytest.mark.skipif(
    ocr_engine.find_engine(settings.LIBRARY_TESSERACT) is None,
    reason="tesseract with the Thai model is not installed (README, OCR)",
)
def test_a_scan_is_read_shown_as_machine_read_and_corrected(page, screenshot, tmp_path):
    member = UserFactory(username="anan", first_name="อนันต์", last_name="มั่นคง")
    MembershipFactory(person=member, team=TeamFactory(kind=TeamKind.KM_GROUP), role=Role.MEMBER)
    upload = tmp_path / "คำสั่งแต่งตั้งคณะทำงาน.png"
    text = "คำสั่งสำนักงานสหกรณ์จังหวัด ที่ 12/2568\nเรื่อง แต่งตั้งคณะทำงานการจัดการความรู้"
    upload.write_bytes(scans.as_png(scans.scan(text, dpi=200, specks=40)))

    sign_in(page, "anan", PASSWORD)
    page.goto("/library/new/")
    page.locator("#id_files").set_input_files(str(upload))
    page.locator("#id_title").fill("คำสั่งแต่งตั้งคณะทำงานการจัดการความรู้")
    page.get_by_role("button", name="บันทึก").click()

    section = page.locator(".ocr-text")
    expect(section).to_contain_text("เครื่องอ่าน (OCR)")
    expect(section).to_contain_text("ความเชื่อมั่น")
    expect(section.locator(".ocr-body")).to_contain_text("คณะทำงาน")
    screenshot("library-ocr-document")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot("library-ocr-document-390")
    page.set_viewport_size({"width": 1440, "height": 900})

    section.get_by_role("link", name="แก้ไขข้อความ").click()
    box = page.locator("#id_correction")
    expect(box).to_have_value(re.compile("คณะทำงาน"))
    box.fill("คำสั่งสำนักงานสหกรณ์จังหวัด ที่ 12/2568\nเรื่อง แต่งตั้งคณะทำงานการจัดการความรู้ (ตรวจแล้ว)")
    screenshot("library-ocr-correct")
    page.get_by_role("button", name="บันทึก").click()
    expect(page.locator(".ocr-text")).to_contain_text("เจ้าหน้าที่แก้ไขแล้ว")
    expect(page.locator(".ocr-text .ocr-body")).to_contain_text("(ตรวจแล้ว)")
    screenshot("library-ocr-corrected")
    assert Document.objects.get().files.get().ocr.correction.endswith("(ตรวจแล้ว)")
