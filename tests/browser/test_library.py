import re

from playwright.sync_api import expect

from apps.library.models import Document
from apps.teams.models import Role, TeamKind
from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD
from tests.factories import MembershipFactory, TeamFactory, UserFactory
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
