"""An approved version of a plan as plain data (its snapshot), and what one version changed from
the one before, for the plan's history."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from apps.accounts.models import User

from .models import Activity, DesiredState, FocusArea, KnowledgeNeed, Plan


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
