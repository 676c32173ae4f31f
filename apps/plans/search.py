"""The KM plan and its activities in search.

An approved plan (and its activities) is for all staff; a plan that has never been approved is a
draft for the KM teams and groups.
"""

from django.utils.translation import gettext_lazy as _

from apps.core.searchables import Searchable, ordered, register

from .models import (
    Activity,
    DesiredState,
    FocusArea,
    KnowledgeNeed,
    Plan,
    ProgressReport,
)


def _in_plan(rows) -> list:
    """A plan's rows in the plan's own order (ties broken by pk)."""
    return ordered(rows.all(), lambda row: row.order)


def plan_access(plan: Plan) -> str:
    return "all" if plan.is_in_force else "km"


def plan_fields(plan: Plan) -> dict:
    parts = [plan.description]
    parts += [f"{area.title} {area.description}" for area in _in_plan(plan.focus_areas)]
    parts += [f"{s.title} {s.indicator} {s.target}" for s in _in_plan(plan.desired_states)]
    parts += [f"{need.topic} {need.reason} {need.gap}" for need in _in_plan(plan.knowledge_needs)]
    parts += [activity.title for activity in _in_plan(plan.activities)]
    return {
        "title": plan.title,
        "body": "\n".join(parts),
        "code": str(plan.fiscal_year),
        "date": plan.approved_at or plan.created_at,
        "year": plan.fiscal_year,
        "access": plan_access(plan),
    }


def activity_fields(activity: Activity) -> dict:
    owners = [owner.get_full_name() for owner in ordered(activity.owners.all())]
    latest = ordered(activity.reports.all(), lambda report: report.as_of)[::-1][:5]
    reports = [report.narrative for report in latest]
    return {
        "title": activity.title,
        "body": "\n".join(
            [
                activity.category_label,
                activity.method,
                activity.indicator,
                activity.target,
                *owners,
                *reports,
            ]
        ),
        "date": activity.start_date,
        "year": activity.plan.fiscal_year,
        "access": plan_access(activity.plan),
    }


register(
    Searchable(
        kind="km_plan",
        model=Plan,
        label=_("KM plans"),
        icon="kanban",
        fields=plan_fields,
        visible=lambda user: Plan.objects.visible_to(user),
        may_open=lambda user, plan: user.has_perm("plans.view_plan", plan),
        queryset=lambda: Plan.objects.prefetch_related(
            "focus_areas", "desired_states", "knowledge_needs", "activities"
        ),
        snippet=lambda plan: plan.description,
        depends={
            FocusArea: lambda row: [row.plan_id],
            DesiredState: lambda row: [row.plan_id],
            KnowledgeNeed: lambda row: [row.plan_id],
            Activity: lambda row: [row.plan_id],
        },
    )
)
register(
    Searchable(
        kind="km_activity",
        model=Activity,
        label=_("KM plan activities"),
        icon="list-task",
        fields=activity_fields,
        visible=lambda user: Activity.objects.filter(plan__in=Plan.objects.visible_to(user)),
        may_open=lambda user, activity: user.has_perm("plans.view_plan", activity.plan),
        queryset=lambda: Activity.objects.select_related("plan").prefetch_related(
            "owners", "reports"
        ),
        snippet=lambda activity: "\n".join([activity.method, activity.indicator]),
        depends={
            # Approval changes who may see every activity of the plan.
            Plan: lambda plan: list(plan.activities.values_list("pk", flat=True)),
            ProgressReport: lambda report: [report.activity_id],
        },
    )
)
