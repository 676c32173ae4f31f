"""The CKO's revision diff (issue 16): approving a revised plan, the CKO sees the activities
added, removed and edited against the approved version, above the approve button; at 1440 and
390 px."""

import datetime as dt

from playwright.sync_api import expect

from apps.plans.models import PlanStatus
from apps.plans.services import plans as services
from apps.teams.models import Role, TeamKind
from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD
from tests.factories import MembershipFactory, TeamFactory, UserFactory
from tests.plans.factories import ActivityFactory, PlanFactory


def test_the_cko_sees_what_a_revision_changes_and_approves_it(page, screenshot):
    team = TeamFactory(name="ทีมงาน KM", kind=TeamKind.KM_TEAM)
    head = UserFactory(username="head", first_name="วิชัย", last_name="ตั้งใจ")
    cko = UserFactory(username="cko", first_name="สมหญิง", last_name="ผู้บริหาร")
    MembershipFactory(person=head, team=team, role=Role.HEAD)
    MembershipFactory(person=cko, team=team, role=Role.CKO)
    plan = PlanFactory()
    kept = ActivityFactory(plan=plan, title="จัดทำคู่มือการตรวจการสหกรณ์")
    ActivityFactory(plan=plan, title="ศึกษาดูงานนอกสถานที่")
    services.plan_submit(plan=plan, by=head)
    services.plan_approve(plan=plan, by=cko)
    plan.refresh_from_db()
    services.plan_open_revision(plan=plan, by=head, reason="ปรับตามงบประมาณที่ได้รับ")
    kept.title = "จัดทำคู่มือการตรวจการสหกรณ์ ฉบับปรับปรุง"
    kept.end_date -= dt.timedelta(days=30)
    kept.save()
    plan.activities.get(title="ศึกษาดูงานนอกสถานที่").delete()
    ActivityFactory(plan=plan, title="ชุมชนนักปฏิบัติ (CoP) การตรวจการสหกรณ์")
    plan.refresh_from_db()
    services.plan_submit(plan=plan, by=head)

    sign_in(page, "cko", PASSWORD)
    page.goto(f"/plans/{plan.fiscal_year}/")
    changes = page.locator("#revision-changes")
    expect(changes).to_be_visible()
    expect(changes.locator(".revision-added")).to_contain_text("ชุมชนนักปฏิบัติ (CoP)")
    expect(changes.locator(".revision-removed del")).to_have_text("ศึกษาดูงานนอกสถานที่")
    edited = changes.locator(".revision-edited")
    expect(edited).to_contain_text("ฉบับปรับปรุง")
    expect(edited.locator("del").first).to_have_text("จัดทำคู่มือการตรวจการสหกรณ์")
    # The comparison sits right under the approve button.
    approve = page.locator("#workflow button.btn-success")
    assert approve.bounding_box()["y"] < changes.bounding_box()["y"]
    screenshot("plan-revision-diff")
    page.set_viewport_size({"width": 390, "height": 844})
    expect(changes).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot("plan-revision-diff-390")

    approve.click()
    expect(page.locator("#revision-changes")).to_have_count(0)
    plan.refresh_from_db()
    assert (plan.status, plan.version) == (PlanStatus.APPROVED, 2)
