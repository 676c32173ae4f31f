"""An approved version of a plan as plain data (its snapshot), and what one version changed from
the one before, for the plan's history."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from apps.accounts.models import User
from apps.core.choices import KMStep
from apps.core.thaidates import format_date_short

from .models import Activity, DesiredState, FocusArea, KnowledgeNeed, Plan
from .models.plan import ChangeElement


def _names(people: Iterable[User]) -> list[str]:
    """The people's names, sorted (a snapshot keeps names, which stay readable)."""
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


# --- What a revision changes in the activities, for the CKO who approves it ----------------------
# The fields of an activity the comparison shows, in the order of the activity's form.
ACTIVITY_FIELDS = (
    "title",
    "km_step",
    "change_element",
    "desired_state",
    "method",
    "start_date",
    "end_date",
    "indicator",
    "target",
    "budget",
    "owners",
    "team",
)


def _shown(name: str, value: Any, states: dict[Any, str]) -> str:
    """A snapshot's value as the page shows it (B.E. dates, labels, names)."""
    if value in (None, "", []):
        return "—"
    if name in ("start_date", "end_date"):
        return format_date_short(dt.date.fromisoformat(value))
    if name == "km_step":
        return str(KMStep(value).label) if value in KMStep.values else str(value)
    if name == "change_element":
        return str(ChangeElement(value).label) if value in ChangeElement.values else str(value)
    if name == "desired_state":
        return states.get(value, "—")
    if name == "owners":
        return ", ".join(value)
    if name == "budget":
        try:
            return f"{float(value):,.2f}"
        except ValueError:
            return str(value)
    return str(value)


def activity_changes(old: dict[str, Any], new: dict[str, Any]) -> dict[str, list]:
    """The activities a revision adds, removes and edits against the approved version ``old``:
    each edited one with its changed fields as (label, before, after)."""
    states = {
        row["id"]: row["title"]
        for row in [*old.get("desired_states", []), *new.get("desired_states", [])]
    }
    before = {row["id"]: row for row in old.get("activities", [])}
    after = {row["id"]: row for row in new.get("activities", [])}
    label = {name: str(Activity._meta.get_field(name).verbose_name) for name in ACTIVITY_FIELDS}

    def rows(snapshot_rows):
        return [
            {
                "title": row["title"],
                "when": f"{_shown('start_date', row['start_date'], states)} – "
                f"{_shown('end_date', row['end_date'], states)}",
                "owners": _shown("owners", row.get("owners"), states),
            }
            for row in snapshot_rows
        ]

    edited = []
    for pk, row in after.items():
        if pk not in before:
            continue
        fields = [
            (label[name], _shown(name, before[pk][name], states), _shown(name, row[name], states))
            for name in ACTIVITY_FIELDS
            if name in row and name in before[pk] and row[name] != before[pk][name]
        ]
        if fields:
            edited.append({"title": row["title"], "fields": fields})
    return {
        "added": rows([row for pk, row in after.items() if pk not in before]),
        "removed": rows([row for pk, row in before.items() if pk not in after]),
        "edited": edited,
    }


def revision_changes(plan: Plan) -> dict[str, Any] | None:
    """For a plan under revision (approved once, changed since): the version in force and what
    the revision changes in its activities; None for a plan never approved."""
    if not plan.version:
        return None
    approved = plan.versions.filter(number=plan.version).first()
    if approved is None:
        return None
    changes = activity_changes(approved.snapshot, snapshot(plan))
    changes["version"] = approved.number
    changes["count"] = len(changes["added"]) + len(changes["removed"]) + len(changes["edited"])
    return changes
