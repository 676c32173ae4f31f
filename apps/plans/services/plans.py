"""Writes to the yearly plan and its workflow: draft, send to the CKO, approve or return, revise.

Each function runs in one transaction and re-checks the lock it depends on (a view may have
shown a form before another person approved the plan), so a stale page cannot change an
approved plan. Given the ``expected_version`` a page showed, each also refuses
(``StaleEditError``) to act on a plan or row someone saved since: a change to any row counts as
a change of the plan, so the CKO never approves a plan that changed after they read it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.concurrency import bump_version, check_version, lock_for_edit
from apps.core.races import refused_if_taken
from apps.core.text import strip_invisible

from ..models import (
    Activity,
    DesiredState,
    FocusArea,
    KnowledgeNeed,
    Plan,
    PlanEvent,
    PlanEventKind,
    PlanStatus,
    PlanVersion,
)


class PlanLockedError(ValidationError):
    """The plan is not a draft (approved, or waiting for the CKO), so it cannot change."""


def _locked_plan(plan: Plan) -> Plan:
    """The plan, re-read and locked for this transaction."""
    return Plan.objects.select_for_update().get(pk=plan.pk)


def ensure_editable(plan: Plan, *, expected_version: int | None = None) -> Plan:
    """The plan, locked, if it is a draft (and still at ``expected_version``, when given)."""
    current = _locked_plan(plan)
    if not current.is_editable:
        raise PlanLockedError(
            _(
                "The plan is approved or waiting for the CKO and cannot be changed. "
                "Open a revision first."
            ),
            code="locked",
        )
    check_version(current, expected_version=expected_version)
    return current


def _event(plan: Plan, kind: str, by, note: str = "") -> PlanEvent:
    return PlanEvent.objects.create(plan=plan, kind=kind, by=by, version=plan.version, note=note)


def _shift_year(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@transaction.atomic
def plan_create(*, form, by, copy_from: Plan | None = None) -> Plan:
    """Start the draft of a year's plan; optionally carry over the inventory, focus areas and
    desired states of an earlier plan (their deadlines moved by the years between)."""
    plan: Plan = form.save(commit=False)
    plan.status = PlanStatus.DRAFT
    plan.created_by = by
    year = plan.fiscal_year
    # The form found no plan for the year; one started meanwhile is refused by the database.
    with refused_if_taken(
        lambda: Plan.objects.filter(fiscal_year=year).exists(),
        lambda: ValidationError({"fiscal_year": plan.unique_error_message(Plan, ("fiscal_year",))}),
    ):
        plan.save()
    if copy_from is not None:
        years = plan.fiscal_year - copy_from.fiscal_year
        for need in copy_from.knowledge_needs.prefetch_related("holders"):
            holders = list(need.holders.all())
            need._prefetched_objects_cache = {}
            need.pk = None
            need._state.adding = True
            need.plan = plan
            need.save()
            need.holders.set(holders)
        areas = {}
        for area in copy_from.focus_areas.all():
            old_pk = area.pk
            area.pk = None
            area._state.adding = True
            area.plan = plan
            area.save()
            areas[old_pk] = area
        for state in copy_from.desired_states.all():
            state.pk = None
            state._state.adding = True
            state.plan = plan
            state.focus_area = areas.get(state.focus_area_id)
            state.deadline = _shift_year(state.deadline, years)
            state.save()
    _event(plan, PlanEventKind.CREATED, by)
    return plan


@transaction.atomic
def plan_update(*, form, by, expected_version: int | None = None) -> Plan:
    """Change the title or introduction of a draft (``StaleEditError`` if it was saved after
    ``expected_version``)."""
    current = ensure_editable(form.instance, expected_version=expected_version)
    form.instance.lock_version = current.lock_version
    return form.save()


@transaction.atomic
def part_save(*, form, plan: Plan, by, expected_version: int | None = None):
    """Add or change a row of a draft plan (a knowledge need, focus area, desired state or
    activity); the form has validated it against the plan. A changed row must still be at
    ``expected_version`` (``StaleEditError`` otherwise)."""
    current_plan = ensure_editable(plan)
    if form.instance.pk is not None:
        lock_for_edit(form.instance, expected_version=expected_version)
    part = form.save(commit=False)
    part.plan = plan
    if not part.order:
        model = type(part)
        last = model.objects.filter(plan=plan).order_by("-order").values_list("order", flat=True)
        part.order = (last.first() or 0) + 1
    part.save()
    form.save_m2m()
    bump_version(current_plan)
    return part


@transaction.atomic
def part_delete(*, part, by, expected_version: int | None = None) -> None:
    """Remove a row of a draft plan. An activity with progress reports is kept: cancel it
    instead, so its history stays. A row saved after ``expected_version`` is not removed."""
    current_plan = ensure_editable(part.plan)
    lock_for_edit(part, expected_version=expected_version)
    if isinstance(part, Activity) and part.reports.exists():
        raise ValidationError(
            _(
                "This activity already has progress reports. Set its status to cancelled in a "
                "progress report instead of removing it."
            ),
            code="has_reports",
        )
    part.delete()
    bump_version(current_plan)


@transaction.atomic
def plan_submit(*, plan: Plan, by, expected_version: int | None = None) -> Plan:
    """The head sends the draft to the CKO. A plan needs at least one activity."""
    plan = ensure_editable(plan, expected_version=expected_version)
    if not plan.activities.exists():
        raise ValidationError(
            _("Add at least one activity to the action plan before sending it."),
            code="empty",
        )
    plan.status = PlanStatus.SUBMITTED
    plan.submitted_at = timezone.now()
    plan.return_note = ""
    plan.save(update_fields=["status", "submitted_at", "return_note", "updated_at"])
    _event(plan, PlanEventKind.SUBMITTED, by)
    return plan


def _waiting(plan: Plan, expected_version: int | None) -> Plan:
    current = _locked_plan(plan)
    if current.status != PlanStatus.SUBMITTED:
        raise ValidationError(_("The plan is not waiting for approval."), code="not_submitted")
    check_version(current, expected_version=expected_version)
    return current


@transaction.atomic
def plan_return(*, plan: Plan, by, note: str, expected_version: int | None = None) -> Plan:
    """The CKO sends the draft back to the head with a note on what to change."""
    plan = _waiting(plan, expected_version)
    note = strip_invisible(note)
    if not note:
        raise ValidationError(_("Say what should change."), code="note_required")
    plan.status = PlanStatus.DRAFT
    plan.return_note = note
    plan.save(update_fields=["status", "return_note", "updated_at"])
    _event(plan, PlanEventKind.RETURNED, by, note=plan.return_note)
    return plan


@transaction.atomic
def plan_approve(*, plan: Plan, by, note: str = "", expected_version: int | None = None) -> Plan:
    """The CKO approves: the plan is locked and this version is kept as it stands. Refused
    (``StaleEditError``) if the plan or a row of it changed after the page the CKO read."""
    plan = _waiting(plan, expected_version)
    plan.version += 1
    plan.status = PlanStatus.APPROVED
    plan.approved_at = timezone.now()
    plan.approved_by = by
    plan.save(update_fields=["version", "status", "approved_at", "approved_by", "updated_at"])
    PlanVersion.objects.create(
        plan=plan,
        number=plan.version,
        reason=plan.revision_reason,
        approved_at=plan.approved_at,
        approved_by=by,
        snapshot=snapshot(plan),
    )
    _event(plan, PlanEventKind.APPROVED, by, note=strip_invisible(note))
    return plan


@transaction.atomic
def plan_open_revision(*, plan: Plan, by, reason: str, expected_version: int | None = None) -> Plan:
    """The head opens an approved plan for changes; it stays in force (the last approved
    version) until the CKO approves the revision."""
    plan = _locked_plan(plan)
    if plan.status != PlanStatus.APPROVED:
        raise ValidationError(_("Only an approved plan can be revised."), code="not_approved")
    check_version(plan, expected_version=expected_version)
    reason = strip_invisible(reason)
    if not reason:
        raise ValidationError(_("Give the reason for the revision."), code="reason_required")
    plan.status = PlanStatus.DRAFT
    plan.revision_reason = reason
    plan.return_note = ""
    plan.save(update_fields=["status", "revision_reason", "return_note", "updated_at"])
    _event(plan, PlanEventKind.REVISION, by, note=plan.revision_reason)
    return plan


# --- Snapshots and what changed between them -----------------------------------------------------
def _names(people) -> list[str]:
    return sorted(person.get_full_name() or person.username for person in people)


def snapshot(plan: Plan) -> dict[str, Any]:
    """The plan's content as plain data (what the CKO approved)."""
    needs = plan.knowledge_needs.prefetch_related("holders")
    activities = plan.activities.select_related("desired_state", "team").prefetch_related("owners")
    return {
        "title": plan.title,
        "description": plan.description,
        "knowledge_needs": [
            {
                "id": need.pk,
                "topic": need.topic,
                "reason": need.reason,
                "current_form": need.current_form,
                "holders": _names(need.holders.all()),
                "source": need.source,
                "gap": need.gap,
                "priority": need.priority,
            }
            for need in needs
        ],
        "focus_areas": [
            {"id": area.pk, "title": area.title, "description": area.description}
            for area in plan.focus_areas.all()
        ],
        "desired_states": [
            {
                "id": state.pk,
                "title": state.title,
                "focus_area": state.focus_area_id,
                "indicator": state.indicator,
                "target": state.target,
                "deadline": state.deadline.isoformat(),
            }
            for state in plan.desired_states.all()
        ],
        "activities": [
            {
                "id": activity.pk,
                "title": activity.title,
                "km_step": activity.km_step,
                "change_element": activity.change_element,
                "desired_state": activity.desired_state_id,
                "method": activity.method,
                "start_date": activity.start_date.isoformat(),
                "end_date": activity.end_date.isoformat(),
                "indicator": activity.indicator,
                "target": activity.target,
                "budget": str(activity.budget),
                "owners": _names(activity.owners.all()),
                "team": activity.team.name if activity.team else "",
            }
            for activity in activities
        ],
    }


PARTS = {
    "knowledge_needs": ("topic", KnowledgeNeed),
    "focus_areas": ("title", FocusArea),
    "desired_states": ("title", DesiredState),
    "activities": ("title", Activity),
}


def changes_between(old: dict[str, Any] | None, new: dict[str, Any]) -> list[dict[str, Any]]:
    """What a version changed from the one before: rows added, removed or changed (with the
    names of the changed fields), per part of the plan."""
    changes: list[dict[str, Any]] = []
    old = old or {}
    for part, (title_field, model) in PARTS.items():
        before = {row["id"]: row for row in old.get(part, [])}
        after = {row["id"]: row for row in new.get(part, [])}
        label = model._meta.verbose_name
        for pk, row in after.items():
            if pk not in before:
                changes.append({"kind": "added", "part": label, "title": row[title_field]})
            else:
                # A field an older snapshot did not record yet (added later) is not a change.
                fields = [
                    str(model._meta.get_field(name).verbose_name)
                    for name in row
                    if name != "id" and name in before[pk] and row[name] != before[pk][name]
                ]
                if not fields:
                    continue
                changes.append(
                    {"kind": "changed", "part": label, "title": row[title_field], "fields": fields}
                )
        for pk, row in before.items():
            if pk not in after:
                changes.append({"kind": "removed", "part": label, "title": row[title_field]})
    return changes
