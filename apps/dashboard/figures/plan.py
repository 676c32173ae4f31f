"""The KM plan's figures: the summary, progress by step, area and team, late and unreported
activities, desired states."""

from __future__ import annotations

from typing import Any

from django.db.models import Avg, Count, Q
from django.utils.translation import gettext_lazy as _

from apps.core.choices import KMStep
from apps.core.thaidates import format_date_short
from apps.plans.models import ActivityStatus, DesiredState, FocusArea

from ..scope import Scope
from ..tables import Chart, Table, day, num, text
from .base import TOP, rounded_average


# --- The KM plan ---------------------------------------------------------------------------------
def _activity_counts(scope: Scope) -> dict[str, Any]:
    """The aggregates every plan figure groups by: counts per status, late, average progress."""
    return {
        "total": Count("pk"),
        "done": Count("pk", filter=Q(status=ActivityStatus.DONE)),
        "in_progress": Count("pk", filter=Q(status=ActivityStatus.IN_PROGRESS)),
        "not_started": Count("pk", filter=Q(status=ActivityStatus.NOT_STARTED)),
        "cancelled": Count("pk", filter=Q(status=ActivityStatus.CANCELLED)),
        "late": Count("pk", filter=scope.late_filter()),
        "average": Avg("percent", filter=~Q(status=ActivityStatus.CANCELLED)),
    }


def plan_summary(scope: Scope) -> Table:
    counts = scope.activities().aggregate(
        **_activity_counts(scope),
        unreported=Count("pk", filter=scope.unreported_filter()),
    )
    url = scope.list_url
    named = {
        "total": num(counts["total"], url("activities")),
        "average": num(rounded_average(counts["average"])),
        "done": num(counts["done"], url("activities", status=ActivityStatus.DONE)),
        "in_progress": num(
            counts["in_progress"], url("activities", status=ActivityStatus.IN_PROGRESS)
        ),
        "not_started": num(
            counts["not_started"], url("activities", status=ActivityStatus.NOT_STARTED)
        ),
        "cancelled": num(counts["cancelled"], url("activities", status=ActivityStatus.CANCELLED)),
        "late": num(counts["late"], url("activities", late=1)),
        "unreported": num(counts["unreported"], url("activities", unreported=1)),
    }
    labels = {
        "total": _("Activities in the plan"),
        "average": _("Average progress (%)"),
        "done": _("Done"),
        "in_progress": _("In progress"),
        "not_started": _("Not started"),
        "cancelled": _("Cancelled"),
        "late": _("Late"),
        "unreported": _("Not reported this quarter"),
    }
    if scope.plan is None:
        note = _("There is no plan for this fiscal year yet.")
    else:
        note = _("Activities of the plan, for the chosen team and step; %(quarter)s.") % {
            "quarter": scope.quarter.label
        }
    return Table(
        "plan_summary",
        _("Plan progress"),
        [_("Measure"), _("Activities")],
        [[text(labels[key]), cell] for key, cell in named.items()],
        note=note,
        # The four statuses (rows 2 to 5) make the chart; the other rows are not parts of a whole.
        chart=Chart("doughnut", series=(1,), rows=(2, 6)),
        named=named,
    )


def _progress_row(label, counts: dict, url, **bucket) -> list:
    return [
        text(label),
        num(counts.get("total", 0), url("activities", **bucket)),
        num(counts.get("done", 0), url("activities", status=ActivityStatus.DONE, **bucket)),
        num(
            counts.get("in_progress", 0),
            url("activities", status=ActivityStatus.IN_PROGRESS, **bucket),
        ),
        num(
            counts.get("not_started", 0),
            url("activities", status=ActivityStatus.NOT_STARTED, **bucket),
        ),
        num(counts.get("late", 0), url("activities", late=1, **bucket)),
        num(rounded_average(counts.get("average"))),
    ]


PROGRESS_COLUMNS = [
    _("Activities"),
    _("Done"),
    _("In progress"),
    _("Not started"),
    _("Late"),
    _("Average progress (%)"),
]


def plan_by_step(scope: Scope) -> Table:
    grouped = {
        row["km_step"]: row
        for row in scope.activities().values("km_step").annotate(**_activity_counts(scope))
    }
    steps = [KMStep(scope.step)] if scope.step else list(KMStep)
    rows = [
        _progress_row(
            f"{step.number}. {step.label}", grouped.get(step.value, {}), _step_url(scope, step)
        )
        for step in steps
    ]
    if "" in grouped:
        rows.append(_progress_row(_("Change management"), grouped[""], scope.list_url, cm=1))
    return Table(
        "plan_by_step",
        _("Progress by KM step"),
        [_("KM step"), *PROGRESS_COLUMNS],
        rows,
        note=_("Activities tied to each of the seven steps, and to change management."),
        chart=Chart("bar", series=(2, 3, 4), stacked=True, horizontal=True),
    )


def _step_url(scope: Scope, step: KMStep):
    def url(kind: str, **extra) -> str:
        return scope.list_url(kind, step=step.value, **extra)

    return url


def plan_by_area(scope: Scope) -> Table:
    grouped = {
        row["desired_state__focus_area"]: row
        for row in scope.activities()
        .values("desired_state__focus_area")
        .annotate(**_activity_counts(scope))
    }
    areas = list(FocusArea.objects.filter(plan=scope.plan)) if scope.plan else []
    rows = [
        _progress_row(area.title, grouped.get(area.pk, {}), scope.list_url, area=area.pk)
        for area in areas
    ]
    if None in grouped:
        rows.append(
            _progress_row(_("Not under a focus area"), grouped[None], scope.list_url, area="none")
        )
    return Table(
        "plan_by_area",
        _("Progress by KM focus area"),
        [_("KM focus area"), *PROGRESS_COLUMNS],
        rows,
        note=_("An activity belongs to the focus area of its desired state."),
        empty=_("The plan has no focus areas."),
    )


def plan_by_team(scope: Scope) -> Table:
    rows = []
    unassigned = None
    for row in (
        scope.activities()
        .values("team", "team__name")
        .annotate(**_activity_counts(scope))
        .order_by("team__order", "team__name")
    ):
        if row["team"] is None:
            unassigned = row
            continue
        rows.append(_progress_row(row["team__name"], row, scope.list_url, by_team=row["team"]))
    if unassigned:
        rows.append(
            _progress_row(_("No responsible team"), unassigned, scope.list_url, by_team="none")
        )
    return Table(
        "plan_by_team",
        _("Progress by team"),
        [_("Team"), *PROGRESS_COLUMNS],
        rows,
        note=_("The team responsible for each activity."),
        chart=Chart("bar", series=(6,), horizontal=True, percent=True),
        empty=_("No activities."),
    )


def _activity_list_rows(activities) -> list[list]:
    return [
        [
            text(activity.title, activity.get_absolute_url()),
            text(activity.team.name if activity.team else ""),
            day(format_date_short(activity.end_date)),
            day(format_date_short(activity.last_reported_on) or "–"),
            num(activity.percent),
        ]
        for activity in activities
    ]


ACTIVITY_LIST_COLUMNS = [_("Activity"), _("Team"), _("Ends"), _("Last report"), _("Progress (%)")]


def late_activities(scope: Scope) -> Table:
    late = scope.activities().filter(scope.late_filter()).select_related("team")
    shown = list(late.order_by("end_date", "pk")[:TOP])
    return Table(
        "late_activities",
        _("Late activities"),
        ACTIVITY_LIST_COLUMNS,
        _activity_list_rows(shown),
        note=_("Past their end date and neither done nor cancelled; the earliest first."),
        empty=_("Nothing is late."),
        more_url=scope.list_url("activities", late=1),
        limited=len(shown) == TOP,
    )


def unreported_activities(scope: Scope) -> Table:
    unreported = scope.activities().filter(scope.unreported_filter()).select_related("team")
    shown = list(unreported.order_by("start_date", "pk")[:TOP])
    return Table(
        "unreported_activities",
        _("Activities not reported this quarter"),
        ACTIVITY_LIST_COLUMNS,
        _activity_list_rows(shown),
        note=_("Started, still open, and no progress report since %(date)s.")
        % {"date": format_date_short(scope.quarter.start)},
        empty=_("Every running activity has been reported on."),
        more_url=scope.list_url("activities", unreported=1),
        limited=len(shown) == TOP,
    )


def desired_states(scope: Scope) -> Table:
    grouped = {
        row["desired_state"]: row
        for row in scope.activities()
        .filter(desired_state__isnull=False)
        .values("desired_state")
        .annotate(**_activity_counts(scope))
    }
    states = (
        DesiredState.objects.filter(plan=scope.plan).select_related("focus_area")
        if scope.plan
        else DesiredState.objects.none()
    )
    rows = []
    for state in states:
        counts = grouped.get(state.pk, {})
        total, done = counts.get("total", 0), counts.get("done", 0)
        if total and done == total - counts.get("cancelled", 0):
            verdict = _("Activities complete")
        elif state.deadline < scope.today:
            verdict = _("Past its deadline")
        elif not total:
            verdict = _("No activities yet")
        else:
            verdict = _("Under way")
        rows.append(
            [
                text(state.title),
                text(state.focus_area.title if state.focus_area else ""),
                text(state.indicator),
                text(state.target),
                day(format_date_short(state.deadline)),
                num(total, scope.list_url("activities", state=state.pk)),
                num(done, scope.list_url("activities", state=state.pk, status=ActivityStatus.DONE)),
                num(rounded_average(counts.get("average"))),
                text(verdict),
            ]
        )
    return Table(
        "desired_states",
        _("Desired states, indicators and targets"),
        [
            _("Desired state"),
            _("KM focus area"),
            _("Indicator"),
            _("Target"),
            _("Deadline"),
            _("Activities"),
            _("Done"),
            _("Average progress (%)"),
            _("Where it stands"),
        ],
        rows,
        note=_("Each desired state against its target, through the activities that serve it."),
        empty=_("The plan has no desired states."),
    )
