import re

from playwright.sync_api import expect

from apps.teams.models import Membership, Role, Team, TeamKind
from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD
from tests.factories import MembershipFactory, TeamFactory, UserFactory


def test_secretary_adds_a_member_to_a_km_group(page, screenshot):
    km_team = TeamFactory(name="ทีมงาน KM", kind=TeamKind.KM_TEAM)
    group = TeamFactory(name="กลุ่ม KM ที่ 2", kind=TeamKind.KM_GROUP, topic="การตรวจการสหกรณ์")
    secretary = UserFactory(username="pranee", first_name="ปราณี", last_name="ใจดี")
    MembershipFactory(person=secretary, team=km_team, role=Role.SECRETARY)
    UserFactory(
        username="suwit", first_name="สุวิทย์", last_name="ทองคำ", position="นักวิชาการตรวจสอบบัญชี"
    )

    sign_in(page, "pranee", PASSWORD)
    page.goto("/teams/")
    page.get_by_role("link", name=re.compile("กลุ่ม KM ที่ 2")).click()
    expect(page.get_by_role("heading", name="กลุ่ม KM ที่ 2")).to_be_visible()
    page.get_by_role("link", name="เพิ่มสมาชิก").click()

    page.locator("#id_person").select_option(label="นายสุวิทย์ ทองคำ (นักวิชาการตรวจสอบบัญชี)")
    page.locator("#id_role").select_option(Role.HEAD.value)
    page.locator("#id_start_date").fill("1/10/2568")
    screenshot("teams-add-member")
    page.get_by_role("button", name="บันทึก").click()

    expect(page.locator(".alert-success")).to_contain_text("สุวิทย์ ทองคำ")
    expect(page.locator('.membership[data-person="suwit"]')).to_contain_text("1 ต.ค. 68")
    screenshot("teams-group")

    page.get_by_role("link", name=re.compile("สุวิทย์ ทองคำ")).first.click()
    panel = page.locator("#person-teams").locator("..")
    expect(panel).to_contain_text("กลุ่ม KM ที่ 2")
    expect(panel).to_contain_text("หัวหน้า")
    expect(panel).to_contain_text("1 ตุลาคม 2568")
    screenshot("person-teams")
    assert Membership.objects.filter(person__username="suwit", team=group, role=Role.HEAD).exists()
    assert Team.objects.count() == 2
