"""The CKO's final sign-off (issue 16, ``KM_KNOWLEDGE_CKO_SIGNOFF``) in a real browser: the KM head
approves a set in review, it waits for the CKO; the CKO sees "sign off" beside "send back" on a
wide screen and on a phone, signs it off, and the head can publish it."""

from playwright.sync_api import expect

from apps.knowledge.models import Status
from apps.teams.models import Role, TeamKind
from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD
from tests.factories import MembershipFactory, TeamFactory, UserFactory
from tests.knowledge.factories import make_set


def step(page, action: str) -> None:
    page.locator(f'form[data-step="{action}"] button[type="submit"]').click()


def test_the_head_approves_and_the_cko_signs_off(page, screenshot, settings):
    settings.KM_KNOWLEDGE_CKO_SIGNOFF = True
    km_team = TeamFactory(name="ทีมงาน KM", kind=TeamKind.KM_TEAM)
    group = TeamFactory(name="กลุ่ม KM ที่ 1", kind=TeamKind.KM_GROUP)
    anan = UserFactory(username="anan", first_name="อนันต์", last_name="มั่นคง")
    wilai = UserFactory(username="wilai", title="นาง", first_name="วิไล", last_name="ศรีสุข")
    somchai = UserFactory(username="somchai", first_name="สมชาย", last_name="ใจดี")
    MembershipFactory(person=anan, team=group, role=Role.MEMBER)
    MembershipFactory(person=wilai, team=km_team, role=Role.HEAD)
    MembershipFactory(person=somchai, team=km_team, role=Role.CKO)
    knowledge_set = make_set(
        Status.IN_REVIEW, title="การจัดประชุมใหญ่สามัญประจำปีของสหกรณ์", authors=[anan]
    )
    url = knowledge_set.get_absolute_url()
    status = page.locator(".km-workflow .km-status")

    sign_in(page, "wilai", PASSWORD)
    page.goto(url)
    page.locator("#note-approve").fill("ผ่านการพิจารณาของคณะทำงานแล้ว")
    step(page, "approve")
    expect(status).to_have_attribute("data-status", "awaiting_signoff")
    expect(page.locator(".alert-success")).to_contain_text("รอ CKO ลงนามรับรอง")
    expect(page.locator('form[data-step="sign_off"]')).to_have_count(0)
    screenshot("knowledge-signoff-head-1440")

    page.context.clear_cookies()
    sign_in(page, "somchai", PASSWORD)
    page.goto(url)
    expect(status).to_have_text("รอผู้บริหารสูงสุดด้าน KM (CKO) ลงนามรับรอง")
    expect(page.locator('form[data-step="sign_off"] button')).to_be_visible()
    expect(page.locator('form[data-step="return_signoff"] button')).to_be_visible()
    screenshot("knowledge-signoff-cko-1440")
    page.set_viewport_size({"width": 390, "height": 844})
    page.locator(".km-workflow").scroll_into_view_if_needed()
    expect(page.locator('form[data-step="sign_off"] button')).to_be_visible()
    screenshot("knowledge-signoff-cko-390")
    page.set_viewport_size({"width": 1440, "height": 900})
    step(page, "sign_off")
    expect(status).to_have_attribute("data-status", "approved")
    expect(page.locator('form[data-step="publish"]')).to_be_visible()
