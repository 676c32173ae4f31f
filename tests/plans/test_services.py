"""The plan's and progress's services on their own, as a script, an import or the demo data call
them: plain data in, the caller's permission and the plan's state checked inside."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from apps.core.choices import KMStep
from apps.core.thaidates import fiscal_year_range
from apps.library.models import AccessLevel
from apps.plans.models import Activity, FocusArea, Plan, PlanStatus, ProgressReport
from apps.plans.services import plans as services
from apps.plans.services import progress
from tests.library.factories import DocumentFactory
from tests.plans.factories import (
    ActivityFactory,
    DesiredStateFactory,
    FocusAreaFactory,
    PlanFactory,
    ProgressReportFactory,
)

pytestmark = pytest.mark.django_db


def activity_data(plan: Plan, owners, **changes) -> services.ActivityData:
    first, last = fiscal_year_range(plan.fiscal_year)
    values = {
        "title": "ชุมชนนักปฏิบัติการตรวจการสหกรณ์",
        "km_step": KMStep.SHARE,
        "start_date": first,
        "end_date": last,
        "indicator": "จำนวนครั้งของการประชุม",
        "target": "10 ครั้ง",
        "owners": owners,
        "budget": Decimal("10000"),
    }
    return services.ActivityData(**{**values, **changes})


def test_the_head_drafts_sends_and_the_cko_approves_through_the_services(people):
    head, cko = people["head"], people["cko"]
    plan = services.plan_create(
        by=head, fiscal_year=2570, data=services.PlanData(title="แผน KM ปี 2570")
    )
    assert (plan.status, plan.created_by) == (PlanStatus.DRAFT, head)
    area = services.part_save(by=head, plan=plan, data=services.FocusAreaData(title="ศูนย์เรียนรู้"))
    activity = services.part_save(by=head, plan=plan, data=activity_data(plan, [people["member"]]))
    assert (area.order, activity.order) == (1, 1)
    assert list(activity.owners.all()) == [people["member"]]
    services.plan_submit(by=head, plan=plan)
    services.plan_approve(by=cko, plan=plan, note="อนุมัติ")
    plan.refresh_from_db()
    assert (plan.status, plan.version, plan.approved_by) == (PlanStatus.APPROVED, 1, cko)


@pytest.mark.parametrize("role", ["staff", "member", "secretary", "cko"])
def test_only_the_drafters_write_a_plan(people, role):
    person = people[role]
    plan = PlanFactory()
    area = FocusAreaFactory(plan=plan)
    ActivityFactory(plan=plan)
    with pytest.raises(PermissionDenied):
        services.plan_create(by=person, fiscal_year=2571, data=services.PlanData(title="แผน"))
    with pytest.raises(PermissionDenied):
        services.plan_update(by=person, plan=plan, data=services.PlanData(title="ชื่อใหม่"))
    with pytest.raises(PermissionDenied):
        services.part_save(by=person, plan=plan, data=services.FocusAreaData(title="ใหม่"))
    with pytest.raises(PermissionDenied):
        services.part_delete(by=person, part=area)
    with pytest.raises(PermissionDenied):
        services.plan_submit(by=person, plan=plan)
    assert not Plan.objects.filter(fiscal_year=2571).exists()
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT and plan.title != "ชื่อใหม่"
    assert FocusArea.objects.filter(pk=area.pk).exists() and plan.focus_areas.count() == 1


@pytest.mark.parametrize("role", ["staff", "member", "secretary", "head"])
def test_only_the_approvers_decide_on_a_plan(people, role):
    plan = PlanFactory(submitted=True)
    with pytest.raises(PermissionDenied):
        services.plan_approve(by=people[role], plan=plan)
    with pytest.raises(PermissionDenied):
        services.plan_return(by=people[role], plan=plan, note="แก้ไข")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED


def test_an_approved_plan_is_locked_for_the_head_too(people):
    plan = PlanFactory(approved=True)
    area = FocusAreaFactory(plan=plan)
    head = people["head"]
    with pytest.raises(services.PlanLockedError):
        services.plan_update(by=head, plan=plan, data=services.PlanData(title="ชื่อใหม่"))
    with pytest.raises(services.PlanLockedError):
        services.part_save(by=head, plan=plan, data=services.FocusAreaData(title="x"), part=area)
    with pytest.raises(ValidationError):
        services.plan_approve(by=people["cko"], plan=plan)
    with pytest.raises(ValidationError):
        services.plan_open_revision(by=head, plan=plan, reason="  ")
    revised = services.plan_open_revision(by=head, plan=plan, reason="เพิ่มกิจกรรม")
    assert revised.is_editable and revised.is_in_force


def test_a_row_points_only_to_rows_of_its_own_plan(people):
    plan = PlanFactory()
    other = DesiredStateFactory(plan=PlanFactory(fiscal_year=plan.fiscal_year + 1))
    with pytest.raises(ValidationError) as refused:
        services.part_save(
            by=people["head"],
            plan=plan,
            data=activity_data(plan, [people["member"]], desired_state=other),
        )
    assert "desired_state" in refused.value.error_dict
    assert not Activity.objects.exists()


def test_an_activity_breaking_the_plans_rules_is_refused(people):
    """The service checks the row's own invariants (one step or one element, an end after the
    start), whoever calls it."""
    plan = PlanFactory()
    first, _last = fiscal_year_range(plan.fiscal_year)
    for changes in (
        {"km_step": ""},
        {"change_element": "learning"},
        {"end_date": first - dt.timedelta(days=1)},
    ):
        with pytest.raises(ValidationError):
            services.part_save(
                by=people["head"],
                plan=plan,
                data=activity_data(plan, [people["member"]], **changes),
            )
    assert not Activity.objects.exists()


@pytest.fixture
def activity(people):
    return ActivityFactory(plan=PlanFactory(approved=True), owners=[people["member"]])


def report(**changes) -> progress.ReportData:
    values = {
        "as_of": timezone.localdate(),
        "percent": 50,
        "status": "in_progress",
        "narrative": "อบรมแล้ว 1 รุ่น",
    }
    return progress.ReportData(**{**values, **changes})


def test_an_owner_reports_with_a_file_and_a_link(people, activity, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    document = DocumentFactory()
    filed = progress.progress_report_create(
        by=people["member"],
        activity=activity,
        data=report(),
        files=[SimpleUploadedFile("รายชื่อ.txt", "รายชื่อผู้เข้าอบรม".encode())],
        links=[document, document],
    )
    assert filed.files.get().mime == "text/plain"
    assert [link.object_id for link in filed.links.all()] == [document.pk]
    activity.refresh_from_db()
    assert activity.percent == 50


def test_a_report_is_refused_to_others_and_before_approval(people, activity):
    with pytest.raises(PermissionDenied):
        progress.progress_report_create(by=people["staff"], activity=activity, data=report())
    draft = ActivityFactory(plan=PlanFactory(fiscal_year=2575), owners=[people["member"]])
    with pytest.raises(ValidationError):
        progress.progress_report_create(by=people["member"], activity=draft, data=report())
    assert not ProgressReport.objects.exists()


def test_a_report_refuses_a_disguised_file_and_a_link_it_may_not_open(
    people, activity, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    disguised = SimpleUploadedFile("รายงาน.pdf", b"<html><script>alert(1)</script></html>")
    with pytest.raises(ValidationError) as refused:
        progress.progress_report_create(
            by=people["member"], activity=activity, data=report(), files=[disguised]
        )
    assert "files" in refused.value.error_dict
    activity.owners.add(people["staff"])
    secret = DocumentFactory(access=AccessLevel.KM_TEAM)
    with pytest.raises(ValidationError) as refused:
        progress.progress_report_create(
            by=people["staff"], activity=activity, data=report(), links=[secret]
        )
    assert "links" in refused.value.error_dict
    assert not ProgressReport.objects.exists() and list(tmp_path.rglob("*.*")) == []


def test_a_report_is_withdrawn_by_its_author_or_the_secretary_only(people, activity):
    filed = ProgressReportFactory(activity=activity, reported_by=people["member"])
    with pytest.raises(PermissionDenied):
        progress.progress_report_delete(by=people["staff"], report=filed)
    progress.progress_report_delete(by=people["secretary"], report=filed)
    assert not ProgressReport.objects.exists()


def test_only_the_secretary_compiles_a_quarter(people, activity):
    plan = activity.plan
    with pytest.raises(PermissionDenied):
        progress.summary_save(by=people["head"], plan=plan, quarter=1, summary="สรุป")
    saved = progress.summary_save(by=people["secretary"], plan=plan, quarter=1, summary="สรุป")
    assert (saved.quarter, saved.compiled_by) == (1, people["secretary"])
