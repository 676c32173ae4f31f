"""Two people editing the same plan, row or summary: a save from an out-of-date page is refused
with what changed and keeps what was typed; workflow steps from an out-of-date page do nothing."""

import pytest
from django.urls import reverse

from apps.plans.models import (
    Activity,
    DesiredState,
    FocusArea,
    KnowledgeNeed,
    Plan,
    PlanStatus,
    ProgressSummary,
)
from tests.forms_html import STALE_TH, assert_refused, read_form, save_from_two_tabs, signed_in
from tests.plans.factories import (
    ActivityFactory,
    DesiredStateFactory,
    FocusAreaFactory,
    KnowledgeNeedFactory,
    PlanFactory,
)

pytestmark = pytest.mark.django_db


def test_the_plan_itself(people):
    plan = PlanFactory(description="บทนำเดิม")
    url = reverse("plans:update", args=[plan.fiscal_year])
    response, _tab = save_from_two_tabs(
        url,
        people["head"],
        people["head"],
        first_changes={"title": "ชื่อแผนที่หัวหน้าแก้"},
        second_changes={"description": "บทนำที่อีกแท็บเขียน"},
    )
    assert_refused(response, shows=["ชื่อแผนที่หัวหน้าแก้"], keeps=["บทนำที่อีกแท็บเขียน"])
    plan.refresh_from_db()
    assert (plan.title, plan.description) == ("ชื่อแผนที่หัวหน้าแก้", "บทนำเดิม")


ROWS = [
    ("need", KnowledgeNeedFactory, KnowledgeNeed, "topic", "reason"),
    ("area", FocusAreaFactory, FocusArea, "title", "description"),
    ("state", DesiredStateFactory, DesiredState, "title", "indicator"),
    ("activity", ActivityFactory, Activity, "title", "method"),
]


@pytest.mark.parametrize(("kind", "factory", "model", "first_field", "second_field"), ROWS)
def test_each_row_of_the_plan(people, kind, factory, model, first_field, second_field):
    row = factory(plan=PlanFactory())
    before = getattr(row, second_field)
    url = reverse(f"plans:{kind}_update", args=[row.pk])
    response, _tab = save_from_two_tabs(
        url,
        people["head"],
        people["admin"],
        first_changes={first_field: "ข้อความที่หัวหน้าบันทึกก่อน"},
        second_changes={second_field: "ข้อความที่ผู้ดูแลพิมพ์ทีหลัง"},
    )
    assert_refused(response, shows=["ข้อความที่หัวหน้าบันทึกก่อน"], keeps=["ข้อความที่ผู้ดูแลพิมพ์ทีหลัง"])
    row = model.objects.get(pk=row.pk)
    assert getattr(row, first_field) == "ข้อความที่หัวหน้าบันทึกก่อน"
    assert getattr(row, second_field) == before


def test_the_cko_cannot_approve_a_plan_that_changed_after_the_page_was_read(people):
    plan = PlanFactory(submitted=True)
    ActivityFactory(plan=plan)
    page = reverse("plans:detail", args=[plan.fiscal_year])
    approve = reverse("plans:approve", args=[plan.fiscal_year])
    cko = signed_in(people["cko"])
    data = read_form(cko.get(page), action=approve)
    # Meanwhile the plan goes back to the head, who changes a row and sends it again.
    Plan.objects.filter(pk=plan.pk).update(status=PlanStatus.DRAFT)
    activity = plan.activities.get()
    head = signed_in(people["head"])
    edit = reverse("plans:activity_update", args=[activity.pk])
    changed = read_form(head.get(edit))
    changed["title"] = "กิจกรรมที่เปลี่ยนหลังผู้บริหารเปิดหน้า"
    assert head.post(edit, changed).status_code == 302
    Plan.objects.filter(pk=plan.pk).update(status=PlanStatus.SUBMITTED)

    response = cko.post(approve, data, follow=True)
    assert STALE_TH in response.content.decode()
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED and plan.version == 0


def test_a_row_changed_after_the_page_was_read_is_not_removed(people):
    plan = PlanFactory()
    area = FocusAreaFactory(plan=plan)
    head = signed_in(people["head"])
    delete = reverse("plans:area_delete", args=[area.pk])
    data = read_form(head.get(reverse("plans:detail", args=[plan.fiscal_year])), action=delete)
    FocusArea.objects.get(pk=area.pk).save()
    response = head.post(delete, data, follow=True)
    assert STALE_TH in response.content.decode()
    assert FocusArea.objects.filter(pk=area.pk).exists()


def test_two_secretaries_writing_the_quarter_summary(people):
    """The first summary of a quarter, written in two tabs at once: the second is refused."""
    plan = PlanFactory(approved=True)
    url = reverse("plans:progress", args=[plan.fiscal_year]) + "?quarter=1"
    response, tab = save_from_two_tabs(
        url,
        people["secretary"],
        people["secretary"],
        first_changes={"summary": "สรุปของแท็บแรก"},
        second_changes={"summary": "สรุปของแท็บที่สอง", "issues": "ปัญหาที่แท็บสองพบ"},
        form_id="summary-form",
    )
    assert_refused(response, shows=["สรุปของแท็บแรก"], keeps=["สรุปของแท็บที่สอง", "ปัญหาที่แท็บสองพบ"])
    assert ProgressSummary.objects.get(plan=plan, quarter=1).summary == "สรุปของแท็บแรก"
    # Saving again on purpose replaces it.
    assert tab.post(url, read_form(response, form_id="summary-form")).status_code == 302
    assert ProgressSummary.objects.get(plan=plan, quarter=1).summary == "สรุปของแท็บที่สอง"


def test_a_row_typed_while_the_cko_approved_the_plan_comes_back_with_the_reason(people):
    plan = PlanFactory(submitted=True)
    Plan.objects.filter(pk=plan.pk).update(status=PlanStatus.DRAFT)
    activity = ActivityFactory(plan=plan)
    url = reverse("plans:activity_update", args=[activity.pk])
    head = signed_in(people["head"])
    data = read_form(head.get(url))
    Plan.objects.filter(pk=plan.pk).update(status=PlanStatus.APPROVED, version=1)
    data["method"] = "วิธีการที่หัวหน้าพิมพ์ไว้"
    response = head.post(url, data)
    assert response.status_code == 200  # not the 403 page that dropped the text
    page = response.content.decode()
    assert "วิธีการที่หัวหน้าพิมพ์ไว้" in page
    assert Activity.objects.get(pk=activity.pk).method != "วิธีการที่หัวหน้าพิมพ์ไว้"
    assert head.get(url).status_code == 403  # the page itself stays closed
