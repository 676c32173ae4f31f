"""Reads that span the plan and progress (and what other apps add to their pages, through
``extensions``). Each runs a fixed number of queries, whatever the number of rows."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext

from apps.accounts.models import User
from apps.core import steps
from apps.core.choices import KM_STEP_DESCRIPTIONS, KMStep
from apps.core.thaidates import fiscal_year, fiscal_year_range

from . import extensions
from .extensions import HomeEntry
from .models import Activity, ActivityStatus, ChangeElement, Plan, ProgressReport
from .periods import Period, period_of
from .versions import changes_between


# --- The action plan -----------------------------------------------------------------------------
@dataclass
class ActivityGroup:
    """The activities of one KM step or one change-management element, as the plan lists them."""

    kind: str  # "step" or "cm"
    value: str
    number: int
    label: Any
    activities: list[Activity] = field(default_factory=list)

    @property
    def budget(self) -> Decimal:
        return sum((a.budget for a in self.activities), Decimal(0))

    @property
    def code(self) -> str:
        """The group's number as rows carry it: "2" for step 2, "CM2" for change-management
        element 2, so that no two rows of a plan share a number."""
        return str(self.number) if self.kind == "step" else f"CM{self.number}"

    @property
    def heading(self) -> str:
        """ "Step 2 · Knowledge creation" or "Change management 2 · Communication"."""
        if self.kind == "step":
            text = gettext("Step %(number)s · %(label)s")
        else:
            text = gettext("Change management %(number)s · %(label)s")
        return text % {"number": self.number, "label": self.label}

    def row_number(self, index: int) -> str:
        """The number of the group's ``index``-th activity (from 1): "2.1", "CM2.1"."""
        return f"{self.code}.{index}"


def activities_for_plan(plan: Plan) -> QuerySet[Activity]:
    """The plan's activities in the plan's order, with their desired states and owners."""
    return (
        plan.activities.select_related("desired_state")
        .prefetch_related("owners")
        .order_by("order", "pk")
    )


def activity_groups(
    activities: Iterable[Activity], *, keep_empty: bool = False
) -> list[ActivityGroup]:
    """Activities under the seven steps, then under the six change-management elements, in the
    order public agencies file them."""
    groups = [ActivityGroup("step", s.value, s.number, s.label) for s in KMStep]
    groups += [ActivityGroup("cm", e.value, e.number, e.label) for e in ChangeElement]
    by_key = {(g.kind, g.value): g for g in groups}
    for activity in activities:
        key = ("step", activity.km_step) if activity.km_step else ("cm", activity.change_element)
        by_key[key].activities.append(activity)
    return [g for g in groups if keep_empty or g.activities]


def plan_page(plan: Plan) -> dict[str, Any]:
    """What the plan's page shows: the inventory, focus areas with their desired states, the
    action plan by step, and the counts that matter."""
    activities = list(activities_for_plan(plan))
    for extension in extensions.extensions():
        if extension.mark_activities is not None:
            extension.mark_activities(activities)
    states = list(plan.desired_states.select_related("focus_area"))
    areas = list(plan.focus_areas.all())
    by_area: dict[int | None, list] = defaultdict(list)
    for state in states:
        by_area[state.focus_area_id].append(state)
    today = timezone.localdate()
    return {
        "needs": list(plan.knowledge_needs.prefetch_related("holders")),
        "areas": [(area, by_area.get(area.pk, [])) for area in areas],
        "loose_states": by_area.get(None, []),
        "desired_states": states,
        "groups": activity_groups(activities),
        "activity_count": len(activities),
        "late_count": sum(1 for a in activities if a.is_late(today)),
        "done_count": sum(1 for a in activities if a.status == ActivityStatus.DONE),
        "budget": sum((a.budget for a in activities), Decimal(0)),
        "average_percent": (
            round(sum(a.percent for a in activities) / len(activities)) if activities else 0
        ),
        "today": today,
    }


def plan_history(plan: Plan) -> dict[str, Any]:
    """The workflow events, and each approved version with what it changed."""
    versions = list(plan.versions.select_related("approved_by").order_by("number"))
    previous = None
    for version in versions:
        version.changes = changes_between(previous, version.snapshot) if previous else []
        previous = version.snapshot
    return {
        "events": list(plan.events.select_related("by")),
        "versions": list(reversed(versions)),
    }


def activity_page(activity: Activity, user: User) -> dict[str, Any]:
    """An activity's reports (with the records their links point to, where the person may open
    them) and what other apps show beside them."""
    reports = list(
        activity.reports.select_related("reported_by").prefetch_related(
            "files", "links__content_type"
        )
    )
    attach_link_targets(reports, user)
    # What other apps show beside the reports (the meetings' action items and agenda items).
    parts = [
        {"template": extension.activity_template, **extension.activity_part(activity, user)}
        for extension in extensions.extensions()
        if extension.activity_part is not None
    ]
    return {"reports": reports, "parts": parts}


def attach_link_targets(reports: list[ProgressReport], user: User) -> None:
    """Give each report's links their record (``link.target``) where the person may open it;
    one query per source, however many reports."""
    wanted: dict[Any, set[int]] = defaultdict(set)
    for report in reports:
        for link in report.links.all():
            wanted[link.content_type_id].add(link.object_id)
    found: dict[tuple[int, int], Any] = {}
    for content_type_id, ids in wanted.items():
        model = next(
            link.content_type.model_class()
            for report in reports
            for link in report.links.all()
            if link.content_type_id == content_type_id
        )
        source = steps.source_for_model(model)
        if source is None:
            continue
        for record in source.visible(user).filter(pk__in=ids):
            found[(content_type_id, record.pk)] = record
    for report in reports:
        for link in report.links.all():
            link.target = found.get((link.content_type_id, link.object_id))


# --- The seven steps -----------------------------------------------------------------------------
def steps_page(user: User, year: int) -> dict[str, Any]:
    """Each step's meaning and, for the fiscal year, the plan's activities, what other apps
    record as having taken it up (the meetings whose agenda did, through ``extensions``), and
    what other apps tagged with it (only what the person may open)."""
    plan = Plan.objects.visible_to(user).filter(fiscal_year=year).first()
    activities = list(activities_for_plan(plan).exclude(km_step="")) if plan else []
    first, last = fiscal_year_range(year)
    contributed = [
        (extension.step_template, extension.step_records(user, year))
        for extension in extensions.extensions()
        if extension.step_records is not None
    ]
    sources = steps.sources()
    source_items: dict[str, dict[str, list]] = {}
    source_counts: dict[str, dict[str, int]] = {}
    for source in sources:
        source_counts[source.key] = source.counts(user, (first, last))
        source_items[source.key] = source.by_step(user, (first, last))
    by_step: dict[str, list[Activity]] = defaultdict(list)
    for activity in activities:
        by_step[activity.km_step].append(activity)
    today = timezone.localdate()
    rows = []
    for step in KMStep:
        step_activities = by_step.get(step.value, [])
        rows.append(
            {
                "step": step,
                "number": step.number,
                "label": step.label,
                "description": KM_STEP_DESCRIPTIONS[step],
                "activities": step_activities,
                "done": sum(1 for a in step_activities if a.status == ActivityStatus.DONE),
                "late": sum(1 for a in step_activities if a.is_late(today)),
                "parts": [
                    {"template": template, "records": records.get(step.value, [])}
                    for template, records in contributed
                ],
                "sources": [
                    {
                        "source": source,
                        "items": source_items[source.key].get(step.value, []),
                        "count": source_counts[source.key].get(step.value, 0),
                        "url": source.url_for_step(step.value),
                    }
                    for source in sources
                ],
            }
        )
    return {"plan": plan, "rows": rows, "year": year, "today": today}


def plan_years(user: User) -> list[int]:
    """The years of the plans the person may open, and this fiscal year, newest first."""
    years = set(Plan.objects.visible_to(user).values_list("fiscal_year", flat=True))
    years.add(fiscal_year())
    return sorted(years, reverse=True)


# --- Progress ------------------------------------------------------------------------------------
@dataclass
class ProgressRow:
    """An activity on a quarter's progress page."""

    activity: Activity
    reports: list[ProgressReport]  # in the period, newest first
    due: bool  # the activity should have been reported on in the period
    late: bool

    @property
    def latest(self) -> ProgressReport | None:
        return self.reports[0] if self.reports else None

    @property
    def missing(self) -> bool:
        return self.due and not self.reports


def progress_page(plan: Plan, period: Period) -> dict[str, Any]:
    """Per activity, its reports in the period and whether one is missing; and per owner, the
    activities they have not reported on. An activity is due in a period when it has started by
    the period's end, is not cancelled, and was not already reported done before the period."""
    reports = ProgressReport.objects.select_related("reported_by").order_by("-as_of", "-pk")
    activities = list(
        activities_for_plan(plan).prefetch_related(Prefetch("reports", queryset=reports))
    )
    today = timezone.localdate()
    rows, missing_by_owner = [], defaultdict(list)
    for activity in activities:
        every = list(activity.reports.all())
        in_period = [r for r in every if period.contains(r.as_of)]
        done_before = any(r.status == ActivityStatus.DONE and r.as_of < period.start for r in every)
        due = (
            activity.start_date <= period.end
            and activity.status != ActivityStatus.CANCELLED
            and not done_before
        )
        row = ProgressRow(activity, in_period, due, activity.is_late(today))
        rows.append(row)
        if row.missing:
            for owner in activity.owners.all():
                missing_by_owner[owner].append(activity)
    return {
        "rows": rows,
        "groups": _group_rows(rows),
        "missing": sorted(missing_by_owner.items(), key=lambda item: str(item[0])),
        "due_count": sum(1 for r in rows if r.due),
        "reported_count": sum(1 for r in rows if r.due and r.reports),
        "late_count": sum(1 for r in rows if r.late),
        "summary": plan.summaries.filter(quarter=period.quarter)
        .select_related("compiled_by")
        .first(),
    }


def _group_rows(rows: list[ProgressRow]) -> list[tuple[ActivityGroup, list[ProgressRow]]]:
    by_activity = {row.activity.pk: row for row in rows}
    return [
        (group, [by_activity[a.pk] for a in group.activities])
        for group in activity_groups([row.activity for row in rows])
    ]


# --- Home page and people's pages ----------------------------------------------------------------
def home_items(request: HttpRequest) -> list[HomeEntry]:
    """The signed-in person's entries from other apps (meeting invitations and open action
    items, through ``extensions``) and the activities waiting for their progress report this
    quarter."""
    user = request.user
    if not getattr(user, "is_authenticated", False):
        return []
    today = timezone.localdate()
    entries: list[HomeEntry] = []
    for extension in extensions.extensions():
        if extension.home_entries is not None:
            entries += extension.home_entries(user, today)
    period = period_of(today)
    waiting = (
        Activity.objects.filter(owners=user, plan__version__gte=1, plan__fiscal_year=fiscal_year())
        .open()
        .filter(start_date__lte=today)
        .exclude(reports__as_of__gte=period.start)
        .select_related("plan")
        .distinct()
        .order_by("end_date")
    )[:5]
    entries += [HomeEntry("report", a, late=a.is_late(today)) for a in waiting]
    return entries


def person_panel(request: HttpRequest, person: User) -> dict[str, Any] | None:
    """A person's KM work on their page: what other apps add (their action items from meetings,
    through ``extensions``) and the plan activities they own."""
    viewer = request.user
    today = timezone.localdate()
    activities = list(
        Activity.objects.filter(owners=person, plan__in=Plan.objects.visible_to(viewer))
        .select_related("plan")
        .order_by("-plan__fiscal_year", "end_date")[:20]
    )
    parts = []
    for extension in extensions.extensions():
        if extension.person_part is not None:
            part = extension.person_part(viewer, person, today)
            if part:
                parts.append({"template": extension.person_template, **part})
    if not activities and not parts:
        return None
    return {"person": person, "activities": activities, "parts": parts, "today": today}
