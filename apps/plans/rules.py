"""Permissions of the KM plan, built from the teams app's predicates.

- Everyone on the staff reads an approved plan; drafts are for the KM teams and groups (who work
  on them), the KM office and administrators.
- The head drafts, sends to the CKO and opens revisions; the CKO approves or returns. Only a
  draft changes: an approved plan is locked until a revision is opened.
- Owners report progress on their own activities (the secretary may record a report handed in on
  paper); the secretary, the head and the CKO follow progress; the secretary compiles it.

Meetings have their own rules (``apps/meetings/rules.py``).

This module imports no models (``models`` imports it for ``Plan.objects.visible_to``): the
predicates read the records they are given by attribute (``Plan.is_in_force``, ``is_editable``,
``is_submitted``, ``is_approved``).
"""

from __future__ import annotations

import rules

from apps.teams.predicates import (
    is_admin,
    is_cko,
    is_head,
    is_km_member,
    is_secretary,
    is_staff_member,
)

__all__ = ["is_staff_member", "reads_drafts"]

# Who reads drafts of the plan: anyone in a KM team, working group or KM group (the secretary,
# head and CKO are KM-team members too), and administrators.
reads_drafts = is_km_member | is_admin


# --- The plan ------------------------------------------------------------------------------------
def _plan_of(obj):
    """The plan of a plan, or of a row, activity or summary of one (None for None)."""
    if obj is None or obj._meta.model_name == "plan":
        return obj
    return obj.plan


@rules.predicate
def plan_in_force(user, obj) -> bool:
    plan = _plan_of(obj)
    return plan is not None and plan.is_in_force


@rules.predicate
def plan_is_draft(user, obj) -> bool:
    plan = _plan_of(obj)
    return plan is not None and plan.is_editable


@rules.predicate
def plan_is_submitted(user, obj) -> bool:
    plan = _plan_of(obj)
    return plan is not None and plan.is_submitted


@rules.predicate
def plan_is_approved(user, obj) -> bool:
    plan = _plan_of(obj)
    return plan is not None and plan.is_approved


@rules.predicate
def owns_activity(user, activity) -> bool:
    if activity is None or not is_staff_member(user):
        return False
    # Pages that list activities prefetch the owners; use them rather than one query per row.
    cache = getattr(activity, "_prefetched_objects_cache", {})
    if "owners" in cache:
        return any(owner.pk == user.pk for owner in cache["owners"])
    return activity.owners.filter(pk=user.pk).exists()


drafter = is_head | is_admin
approver = is_cko | is_admin
progress_readers = is_secretary | is_head | is_cko | is_admin

rules.add_perm("plans.view_plans", is_staff_member)
rules.add_perm("plans.view_plan", is_staff_member & (plan_in_force | reads_drafts))
rules.add_perm("plans.add_plan", drafter)
rules.add_perm("plans.change_plan", drafter & plan_is_draft)
rules.add_perm("plans.submit_plan", drafter & plan_is_draft)
rules.add_perm("plans.approve_plan", approver & plan_is_submitted)
rules.add_perm("plans.revise_plan", drafter & plan_is_approved)
rules.add_perm("plans.export_plan", is_staff_member & (plan_in_force | reads_drafts))
rules.add_perm("plans.report_progress", plan_in_force & (owns_activity | is_secretary | is_admin))


@rules.predicate
def wrote_report(user, report) -> bool:
    return report is not None and report.reported_by_id == getattr(user, "pk", None)


@rules.predicate
def report_plan_in_force(user, report) -> bool:
    return report is not None and report.activity.plan.is_in_force


rules.add_perm(
    "plans.delete_report", report_plan_in_force & (wrote_report | is_secretary | is_admin)
)
rules.add_perm("plans.view_progress", progress_readers)
rules.add_perm("plans.compile_progress", is_secretary | is_admin)
# Reminding owners who have not reported: whoever follows progress (the plan must be in force,
# which the service checks as a state rule).
rules.add_perm("plans.remind_progress", progress_readers)
