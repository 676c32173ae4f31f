"""Writes to the yearly plan and its workflow: draft, send to the CKO, approve or return, revise.

Every function takes plain data (the dataclasses below for a plan's rows), checks the caller's
permission (``PermissionDenied``) and the plan's state (``ValidationError``) itself, and runs in
one transaction that re-checks the lock it depends on (a page may have been shown before another
person approved the plan), so a stale page cannot change an approved plan. Given the
``expected_version`` a page showed, each also refuses (``StaleEditError``) to act on a plan or
row someone saved since: a change to any row counts as a change of the plan, so the CKO never
approves a plan that changed after they read it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.core.concurrency import bump_version, check_version, lock_for_edit
from apps.core.races import refused_if_taken
from apps.core.text import strip_invisible
from apps.notifications.models import Notification
from apps.notifications.services import notify
from apps.teams.models import Role, Team

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
    Priority,
)
from ..reminding import km_team_people
from ..versions import snapshot

# Who drafts plans, sends them to the CKO and opens revisions (the head and administrators).
DRAFTER = "plans.add_plan"


class PlanLockedError(ValidationError):
    """The plan is not a draft (approved, or waiting for the CKO), so it cannot change."""


# --- The plain data of a plan and its rows --------------------------------------------------------
@dataclass(frozen=True)
class PlanData:
    """What a person writes about a plan (its year is given once, when it is started)."""

    title: str
    description: str = ""


@dataclass(frozen=True)
class KnowledgeNeedData:
    """A line of the knowledge inventory."""

    topic: str
    current_form: str
    reason: str = ""
    holders: list[User] = field(default_factory=list)
    source: str = ""
    gap: str = ""
    priority: str = Priority.MEDIUM
    order: int | None = None


@dataclass(frozen=True)
class FocusAreaData:
    """A KM focus area."""

    title: str
    description: str = ""
    order: int | None = None


@dataclass(frozen=True)
class DesiredStateData:
    """A desired state; ``focus_area`` is one of the same plan's."""

    title: str
    indicator: str
    deadline: dt.date
    focus_area: FocusArea | None = None
    target: str = ""
    order: int | None = None


@dataclass(frozen=True)
class ActivityData:
    """A row of the action plan: one KM step (``km_step``) or one change-management element
    (``change_element``), dated within the plan's fiscal year."""

    title: str
    start_date: dt.date
    end_date: dt.date
    indicator: str
    target: str
    owners: list[User]
    km_step: str = ""
    change_element: str = ""
    desired_state: DesiredState | None = None
    method: str = ""
    budget: Decimal = Decimal(0)
    team: Team | None = None
    order: int | None = None


PartData = KnowledgeNeedData | FocusAreaData | DesiredStateData | ActivityData
PlanPart = KnowledgeNeed | FocusArea | DesiredState | Activity

# The model of each kind of row, and its many-to-many fields (set after the row is saved).
PART_MODELS: dict[type, tuple[type[PlanPart], tuple[str, ...]]] = {
    KnowledgeNeedData: (KnowledgeNeed, ("holders",)),
    FocusAreaData: (FocusArea, ()),
    DesiredStateData: (DesiredState, ()),
    ActivityData: (Activity, ("owners",)),
}
# Fields that point to another row, which must be of the same plan.
SAME_PLAN_FIELDS = ("focus_area", "desired_state")


# --- Checks ---------------------------------------------------------------------------------------
def _require(by: User, perm: str, obj: Any = None) -> None:
    if not by.has_perm(perm, obj):
        raise PermissionDenied


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


def _event(plan: Plan, kind: str, by: User | None, note: str = "") -> PlanEvent:
    return PlanEvent.objects.create(plan=plan, kind=kind, by=by, version=plan.version, note=note)


def _shift_year(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


# --- Telling people -------------------------------------------------------------------------------
ASSIGNED = "plans.activity_assigned"


def _plan_keepers(plan: Plan) -> list[User]:
    """Who drafts and keeps the plan: its author, the head and the secretary."""
    people = km_team_people([Role.HEAD, Role.SECRETARY])
    if plan.created_by_id and plan.created_by.is_active:
        people.append(plan.created_by)
    return people


def _tell_owners_not_told(plan: Plan, by: User) -> None:
    """Owners of the plan's activities who have not heard of them yet (a draft is closed to
    those outside the KM teams, so they hear when the CKO approves it)."""
    activities = list(plan.activities.prefetch_related("owners"))
    told = set(
        Notification.objects.filter(
            kind=ASSIGNED,
            target_type=ContentType.objects.get_for_model(Activity),
            target_id__in=[activity.pk for activity in activities],
        ).values_list("target_id", "recipient_id")
    )
    for activity in activities:
        activity.plan = plan
        people = [o for o in activity.owners.all() if (activity.pk, o.pk) not in told]
        if people:
            notify(kind=ASSIGNED, recipients=people, target=activity, actor=by)


# --- The plan -------------------------------------------------------------------------------------
@transaction.atomic
def plan_create(
    *, by: User, fiscal_year: int, data: PlanData, copy_from: Plan | None = None
) -> Plan:
    """Start the draft of a year's plan; optionally carry over the inventory, focus areas and
    desired states of an earlier plan (their deadlines moved by the years between)."""
    _require(by, DRAFTER)
    plan = Plan(
        fiscal_year=fiscal_year,
        title=data.title,
        description=data.description,
        status=PlanStatus.DRAFT,
        created_by=by,
    )
    plan.full_clean(validate_unique=False)
    # A plan started for the year meanwhile is refused by the database, with the same message.
    with refused_if_taken(
        lambda: Plan.objects.filter(fiscal_year=fiscal_year).exists(),
        lambda: ValidationError({"fiscal_year": plan.unique_error_message(Plan, ("fiscal_year",))}),
    ):
        plan.save()
    if copy_from is not None:
        _copy_rows(copy_from, plan)
    _event(plan, PlanEventKind.CREATED, by)
    return plan


def _copy_rows(source: Plan, plan: Plan) -> None:
    """The inventory, focus areas and desired states of ``source``, copied into ``plan``."""
    years = plan.fiscal_year - source.fiscal_year
    for need in source.knowledge_needs.prefetch_related("holders"):
        holders = list(need.holders.all())
        need._prefetched_objects_cache = {}
        need.pk = None
        need._state.adding = True
        need.plan = plan
        need.save()
        need.holders.set(holders)
    areas = {}
    for area in source.focus_areas.all():
        old_pk = area.pk
        area.pk = None
        area._state.adding = True
        area.plan = plan
        area.save()
        areas[old_pk] = area
    for state in source.desired_states.all():
        state.pk = None
        state._state.adding = True
        state.plan = plan
        state.focus_area = areas.get(state.focus_area_id)
        state.deadline = _shift_year(state.deadline, years)
        state.save()


@transaction.atomic
def plan_update(
    *, by: User, plan: Plan, data: PlanData, expected_version: int | None = None
) -> Plan:
    """Change the title or introduction of a draft (``StaleEditError`` if it was saved after
    ``expected_version``)."""
    _require(by, DRAFTER)
    current = ensure_editable(plan, expected_version=expected_version)
    plan.lock_version = current.lock_version
    plan.title, plan.description = data.title, data.description
    plan.full_clean(validate_unique=False)
    plan.save()
    return plan


# --- Rows of the plan -----------------------------------------------------------------------------
@transaction.atomic
def part_save(
    *,
    by: User,
    plan: Plan,
    data: PartData,
    part: PlanPart | None = None,
    expected_version: int | None = None,
) -> PlanPart:
    """Add a row to a draft plan (``part=None``) or change one of its rows: a knowledge need,
    focus area, desired state or activity, by the kind of ``data``. A changed row must still be
    at ``expected_version`` (``StaleEditError`` otherwise); a row it points to (a focus area, a
    desired state) must be the same plan's."""
    _require(by, DRAFTER)
    model, m2m = PART_MODELS[type(data)]
    current_plan = ensure_editable(plan)
    if part is None:
        part = model(plan=current_plan)
    else:
        if not isinstance(part, model) or part.plan_id != plan.pk:
            raise ValueError("The row is not of this plan, or not of this kind.")
        lock_for_edit(part, expected_version=expected_version)
    owners_before = (
        set()
        if part.pk is None or model is not Activity
        else set(part.owners.values_list("pk", flat=True))
    )
    for name in SAME_PLAN_FIELDS:
        other = getattr(data, name, None)
        if other is not None and other.plan_id != plan.pk:
            message = forms.ModelChoiceField.default_error_messages["invalid_choice"]
            raise ValidationError({name: message}, code="invalid_choice")
    for name in (f.name for f in fields(data)):
        if name not in m2m:
            setattr(part, name, getattr(data, name))
    if not part.order:
        last = model.objects.filter(plan=plan).order_by("-order").values_list("order", flat=True)
        part.order = (last.first() or 0) + 1
    part.full_clean(exclude=list(m2m), validate_unique=False)
    part.save()
    for name in m2m:
        getattr(part, name).set(getattr(data, name))
    if isinstance(part, Activity):
        part.plan = current_plan
        new_owners = [owner for owner in data.owners if owner.pk not in owners_before]
        notify(kind=ASSIGNED, recipients=new_owners, target=part, actor=by)
    bump_version(current_plan)
    return part


@transaction.atomic
def part_delete(*, by: User, part: PlanPart, expected_version: int | None = None) -> None:
    """Remove a row of a draft plan. An activity with progress reports is kept: cancel it
    instead, so its history stays. A row saved after ``expected_version`` is not removed."""
    _require(by, DRAFTER)
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


# --- The workflow ---------------------------------------------------------------------------------
@transaction.atomic
def plan_submit(*, by: User, plan: Plan, expected_version: int | None = None) -> Plan:
    """The head sends the draft to the CKO. A plan needs at least one activity."""
    _require(by, DRAFTER)
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
    notify(
        kind="plans.submitted",
        recipients=km_team_people([Role.CKO, Role.HEAD]),
        target=plan,
        actor=by,
    )
    return plan


def _waiting(plan: Plan, by: User, expected_version: int | None) -> Plan:
    """The plan, locked, if it waits for the CKO and ``by`` may decide on it."""
    current = _locked_plan(plan)
    if current.status != PlanStatus.SUBMITTED:
        raise ValidationError(_("The plan is not waiting for approval."), code="not_submitted")
    # Waiting, so what is left of the rule is the approver's role.
    _require(by, "plans.approve_plan", current)
    check_version(current, expected_version=expected_version)
    return current


@transaction.atomic
def plan_return(*, by: User, plan: Plan, note: str, expected_version: int | None = None) -> Plan:
    """The CKO sends the draft back to the head with a note on what to change."""
    plan = _waiting(plan, by, expected_version)
    note = strip_invisible(note)
    if not note:
        raise ValidationError(_("Say what should change."), code="note_required")
    plan.status = PlanStatus.DRAFT
    plan.return_note = note
    plan.save(update_fields=["status", "return_note", "updated_at"])
    _event(plan, PlanEventKind.RETURNED, by, note=plan.return_note)
    notify(
        kind="plans.returned",
        recipients=_plan_keepers(plan),
        target=plan,
        actor=by,
        note=plan.return_note,
    )
    return plan


@transaction.atomic
def plan_approve(
    *, by: User, plan: Plan, note: str = "", expected_version: int | None = None
) -> Plan:
    """The CKO approves: the plan is locked and this version is kept as it stands. Refused
    (``StaleEditError``) if the plan or a row of it changed after the page the CKO read."""
    plan = _waiting(plan, by, expected_version)
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
    notify(kind="plans.approved", recipients=_plan_keepers(plan), target=plan, actor=by)
    _tell_owners_not_told(plan, by)
    return plan


@transaction.atomic
def plan_open_revision(
    *, by: User, plan: Plan, reason: str, expected_version: int | None = None
) -> Plan:
    """The head opens an approved plan for changes; it stays in force (the last approved
    version) until the CKO approves the revision."""
    _require(by, DRAFTER)
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
