"""The KM plan, its activities, and meetings with their minutes in search.

An approved plan (and its activities) is for all staff; a plan that has never been approved is a
draft for the KM teams and groups. Meetings and minutes are the KM team's working record: KM
members see them all, and anyone else only the meetings they were invited to (``owner``).
"""

from django.utils.translation import gettext_lazy as _

from apps.core.searchables import Searchable, ordered, register

from .models import (
    ActionItem,
    Activity,
    AgendaItem,
    Attendance,
    DesiredState,
    FocusArea,
    KnowledgeNeed,
    Meeting,
    Minutes,
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


def meeting_fields(meeting: Meeting) -> dict:
    parts = [meeting.purpose, meeting.place, meeting.team.name]
    for item in ordered(meeting.agenda_items.all(), lambda item: (item.section, item.order)):
        parts += [item.title, item.detail, item.discussion, item.resolution]
    parts += [action.description for action in ordered(meeting.action_items.all())]
    return {
        "title": str(meeting),
        "body": "\n".join(part for part in parts if part),
        "code": meeting.reference,
        "team": [meeting.team_id],
        "date": meeting.date,
        "year": meeting.fiscal_year,
        "access": "km",
        "owner": sorted({attendance.person_id for attendance in meeting.attendances.all()}),
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
register(
    Searchable(
        kind="km_meeting",
        model=Meeting,
        label=_("Meetings and minutes"),
        icon="calendar-event",
        fields=meeting_fields,
        visible=lambda user: Meeting.objects.visible_to(user),
        may_open=lambda user, meeting: user.has_perm("plans.view_meeting", meeting),
        queryset=lambda: Meeting.objects.select_related("team").prefetch_related(
            "agenda_items", "action_items", "attendances"
        ),
        snippet=lambda meeting: "\n".join(
            [
                meeting.purpose,
                *(
                    item.resolution
                    for item in ordered(meeting.agenda_items.all(), lambda i: (i.section, i.order))
                ),
            ]
        ),
        depends={
            AgendaItem: lambda row: [row.meeting_id],
            ActionItem: lambda row: [row.meeting_id],
            Attendance: lambda row: [row.meeting_id],
            Minutes: lambda row: [row.meeting_id],
        },
    )
)
