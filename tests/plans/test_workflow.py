"""The plan's workflow and its locks: the head drafts and sends, the CKO approves or returns, an
approved plan is locked, and a revision keeps the approved version and its history."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from apps.core.choices import KMStep
from apps.core.thaidates import fiscal_year_range
from apps.plans import versions
from apps.plans.models import Activity, Plan, PlanEvent, PlanStatus
from apps.plans.services import plans as services
from tests.plans.factories import (
    ActivityFactory,
    DesiredStateFactory,
    FocusAreaFactory,
    KnowledgeNeedFactory,
    PlanFactory,
    ProgressReportFactory,
    this_year,
)

pytestmark = pytest.mark.django_db


def be(day: dt.date) -> str:
    return f"{day.day:02d}/{day.month:02d}/{day.year + 543}"


def activity_data(plan, owner, **overrides):
    first, last = fiscal_year_range(plan.fiscal_year)
    data = {
        "title": "จัดทำฐานข้อมูลด้านสหกรณ์สำหรับศูนย์เรียนรู้",
        "category": f"step:{KMStep.ACCESS}",
        "method": "รวบรวมข้อมูลสหกรณ์ในพื้นที่",
        "start_date": be(first),
        "end_date": be(last),
        "indicator": "ฐานข้อมูลสหกรณ์",
        "target": "1 ฐานข้อมูล",
        "budget": "30000",
        "owners": [owner.pk],
        "order": "",
    }
    return {**data, **overrides}


def test_the_head_drafts_a_plan_carrying_over_last_years_focus(client_as, people):
    """GIVEN last year's plan WHEN the head starts this year's and asks to carry it over
    THEN focus areas, desired states (deadlines a year later) and the inventory come along."""
    year = this_year()
    previous = PlanFactory(fiscal_year=year - 1, approved=True)
    area = FocusAreaFactory(plan=previous, title="ออกเอกสารสิทธิ์ในการจัดที่ดินทำกิน")
    state = DesiredStateFactory(plan=previous, focus_area=area)
    KnowledgeNeedFactory(plan=previous).holders.add(people["member"])
    client = client_as("head")
    response = client.post(
        reverse("plans:create"),
        {"fiscal_year": year, "title": "แผนการจัดการความรู้ ปี 2", "copy_previous": "on"},
    )
    plan = Plan.objects.get(fiscal_year=year)
    assert response.status_code == 302 and response["Location"] == plan.get_absolute_url()
    assert plan.status == PlanStatus.DRAFT and plan.created_by == people["head"]
    copied = plan.desired_states.get()
    assert copied.focus_area.title == area.title and copied.focus_area.plan == plan
    assert copied.deadline == state.deadline.replace(year=state.deadline.year + 1)
    assert list(plan.knowledge_needs.get().holders.all()) == [people["member"]]
    assert PlanEvent.objects.filter(plan=plan, kind="created").exists()


def test_one_plan_per_fiscal_year(client_as):
    PlanFactory(fiscal_year=2570)
    response = client_as("head").post(reverse("plans:create"), {"fiscal_year": 2570, "title": "ซ้ำ"})
    assert response.status_code == 200
    assert response.context["form"].errors["fiscal_year"]
    assert Plan.objects.count() == 1


def test_an_activity_is_tied_to_one_step_or_element_within_the_year(client_as, people):
    plan = PlanFactory()
    client = client_as("head")
    url = reverse("plans:activity_create", args=[plan.fiscal_year])
    response = client.post(url, activity_data(plan, people["member"]))
    activity = Activity.objects.get()
    assert response.status_code == 302 and response["Location"] == activity.get_absolute_url()
    assert (activity.km_step, activity.change_element) == (KMStep.ACCESS, "")
    assert list(activity.owners.all()) == [people["member"]] and activity.order == 1

    response = client.post(url, activity_data(plan, people["member"], category="cm:learning"))
    assert Activity.objects.filter(km_step="", change_element="learning").exists()

    _first, last = fiscal_year_range(plan.fiscal_year)
    bad = activity_data(
        plan,
        people["member"],
        category="",
        start_date=be(last),
        end_date=be(last + dt.timedelta(days=1)),
        budget="-5",
    )
    response = client.post(url, bad)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert {"category", "end_date", "budget"} <= set(errors)
    assert Activity.objects.count() == 2


def test_an_activity_names_its_responsible_team(client_as, people, km_team):
    """The team the dashboard's "by team" figures count, shown on the activity's page and kept
    in the approved version."""
    plan = PlanFactory()
    client = client_as("head")
    url = reverse("plans:activity_create", args=[plan.fiscal_year])
    client.post(url, activity_data(plan, people["member"], team=km_team.pk))
    activity = Activity.objects.get()
    assert activity.team == km_team
    page = client.get(activity.get_absolute_url()).content.decode()
    assert km_team.name in page and km_team.get_absolute_url() in page
    assert versions.snapshot(plan)["activities"][0]["team"] == km_team.name
    response = client.post(url, activity_data(plan, people["member"], team=999999))
    assert response.status_code == 200 and "team" in response.context["form"].errors
    assert Activity.objects.count() == 1


def test_an_older_snapshot_without_a_new_field_shows_no_change(people):
    """Versions approved before the team field existed do not report every activity as
    changed."""
    plan = PlanFactory()
    ActivityFactory(plan=plan, owners=[people["member"]])
    new = versions.snapshot(plan)
    old = {
        **new,
        "activities": [{k: v for k, v in row.items() if k != "team"} for row in new["activities"]],
    }
    assert versions.changes_between(old, new) == []


def test_send_approve_lock_and_revise(client_as, people):
    plan = PlanFactory()
    activity = ActivityFactory(plan=plan, owners=[people["member"]])
    year = plan.fiscal_year
    head, cko = client_as("head"), None

    head.post(reverse("plans:submit", args=[year]))
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED
    # Waiting for the CKO: even the head cannot change it.
    response = head.get(reverse("plans:activity_update", args=[activity.pk]))
    assert response.status_code == 403

    cko = client_as("cko")
    cko.post(reverse("plans:return", args=[year]), {"note": "เพิ่มตัวชี้วัดของกิจกรรมที่ 1"})
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT and plan.return_note.startswith("เพิ่มตัวชี้วัด")

    head = client_as("head")
    head.post(reverse("plans:submit", args=[year]))
    cko = client_as("cko")
    cko.post(reverse("plans:approve", args=[year]), {"note": "อนุมัติ"})
    plan.refresh_from_db()
    assert (plan.status, plan.version, plan.approved_by) == ("approved", 1, people["cko"])
    version = plan.versions.get()
    assert version.snapshot["activities"][0]["title"] == activity.title

    # Approved: locked for everyone, through the pages and through the services.
    head = client_as("head")
    assert head.get(reverse("plans:update", args=[year])).status_code == 403
    response = head.post(
        reverse("plans:activity_update", args=[activity.pk]),
        activity_data(plan, people["member"], title="เปลี่ยนชื่อ"),
    )
    assert response.status_code == 403
    activity.refresh_from_db()
    assert activity.title != "เปลี่ยนชื่อ"
    with pytest.raises(ValidationError):
        services.part_delete(part=activity, by=people["head"])

    # A revision: the approved version stays in force; the change is approved as version 2.
    head.post(reverse("plans:revise", args=[year]), {"note": "เพิ่มกิจกรรม CoP"})
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT and plan.is_in_force and plan.is_revising
    response = head.post(
        reverse("plans:activity_update", args=[activity.pk]),
        activity_data(plan, people["member"], title="ชื่อกิจกรรมใหม่"),
    )
    assert response.status_code == 302
    ActivityFactory(plan=plan, title="ชุมชนนักปฏิบัติ (CoP) การตรวจการสหกรณ์")
    head.post(reverse("plans:submit", args=[year]))
    client_as("cko").post(reverse("plans:approve", args=[year]))
    plan.refresh_from_db()
    assert (plan.status, plan.version) == ("approved", 2)

    response = client_as("staff").get(reverse("plans:history", args=[year]))
    versions = response.context["versions"]
    assert [v.number for v in versions] == [2, 1]
    assert versions[0].reason == "เพิ่มกิจกรรม CoP"
    changes = {(c["kind"], c["title"]) for c in versions[0].changes}
    assert ("added", "ชุมชนนักปฏิบัติ (CoP) การตรวจการสหกรณ์") in changes
    assert ("changed", "ชื่อกิจกรรมใหม่") in changes
    kinds = [event.kind for event in response.context["events"]]
    assert kinds == [
        "approved",
        "submitted",
        "revision",
        "approved",
        "submitted",
        "returned",
        "submitted",
    ]


def test_a_plan_without_activities_cannot_be_sent(client_as):
    plan = PlanFactory()
    client_as("head").post(reverse("plans:submit", args=[plan.fiscal_year]))
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT


def test_returning_needs_a_note_and_a_revision_a_reason(client_as):
    waiting = PlanFactory(fiscal_year=2570, submitted=True)
    approved = PlanFactory(fiscal_year=2569, approved=True)
    client_as("cko").post(reverse("plans:return", args=[2570]), {"note": "  "})
    client_as("head").post(reverse("plans:revise", args=[2569]), {"note": ""})
    waiting.refresh_from_db()
    approved.refresh_from_db()
    assert waiting.status == "submitted" and approved.status == "approved"


def test_a_stale_form_cannot_change_a_plan_approved_meanwhile(people):
    """GIVEN the head's edit form WHEN the CKO approves before it is sent THEN the service
    refuses the change."""
    plan = PlanFactory()
    data = services.FocusAreaData(title="ขอบเขตใหม่", order=1)
    Plan.objects.filter(pk=plan.pk).update(status=PlanStatus.APPROVED, version=1)
    with pytest.raises(services.PlanLockedError):
        services.part_save(by=people["head"], plan=plan, data=data)
    assert not plan.focus_areas.exists()


def test_an_activity_with_reports_is_cancelled_not_removed(people):
    plan = PlanFactory()
    report = ProgressReportFactory(activity=ActivityFactory(plan=plan))
    with pytest.raises(ValidationError):
        services.part_delete(part=report.activity, by=people["head"])
    assert Activity.objects.filter(pk=report.activity_id).exists()


def test_staff_see_approved_plans_only(client_as):
    PlanFactory(fiscal_year=2570)
    PlanFactory(fiscal_year=2569, approved=True)
    response = client_as("staff").get(reverse("plans:list"))
    assert [plan.fiscal_year for plan in response.context["plans"]] == [2569]
    response = client_as("member").get(reverse("plans:list"))
    assert [plan.fiscal_year for plan in response.context["plans"]] == [2570, 2569]


def test_overdue_activities(people):
    plan = PlanFactory()
    first, _last = fiscal_year_range(plan.fiscal_year)
    today = first + dt.timedelta(days=40)
    late = ActivityFactory(plan=plan, end_date=first + dt.timedelta(days=30))
    done = ActivityFactory(plan=plan, end_date=first + dt.timedelta(days=30), status="done")
    cancelled = ActivityFactory(
        plan=plan, end_date=first + dt.timedelta(days=30), status="cancelled"
    )
    running = ActivityFactory(plan=plan, end_date=first + dt.timedelta(days=40))
    assert late.is_late(today) and not running.is_late(today)
    assert not done.is_late(today) and not cancelled.is_late(today)
    assert list(Activity.objects.late(today)) == [late]
