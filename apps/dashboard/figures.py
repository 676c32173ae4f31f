"""The office dashboard's figures, each a :class:`~apps.dashboard.tables.Table`.

Every figure is one aggregate query over a queryset from :class:`~apps.dashboard.scope.Scope`
(grouped with ``values().annotate()``), so the page runs a fixed number of queries however many
records there are; Python only arranges the grouped rows. Every count links to the list of the
records it counts (``dashboard:list``), built from the same queryset.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Avg, Count, Max, Q, Sum
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import User
from apps.core.choices import KMStep
from apps.core.thaidates import format_date_short, format_month
from apps.knowledge.models import Comment, KnowledgeSet, ReadingDay, Status, Version
from apps.library.models import Document, DocumentUse
from apps.plans.models import ActivityStatus, DesiredState, FocusArea, ProgressReport
from apps.search.models import QueryStat
from apps.search.searching import finds_hidden
from apps.teams.models import Membership

from .scope import Scope, local_range, next_month
from .tables import Chart, Table, day, num, text

TOP = 10
LONG_TOP = 20
WORKING = [Status.DRAFT, Status.SUBMITTED, Status.IN_REVIEW, Status.APPROVED]


@dataclass
class Section:
    """A part of the page. ``layout`` is its rows, each a list of columns, each a list of tables
    stacked in that column; on narrow screens everything falls into one column."""

    key: str
    title: Any
    layout: list[list[list[Table]]]
    note: Any = ""

    @property
    def tables(self) -> list[Table]:
        return [table for row in self.layout for column in row for table in column]


def office(scope: Scope) -> list[Section]:
    """The whole office dashboard, section by section."""
    return [
        Section(
            "plan",
            _("The KM plan"),
            [
                [[plan_summary(scope)], [late_activities(scope), unreported_activities(scope)]],
                [[plan_by_step(scope)]],
                [[plan_by_area(scope)]],
                [[plan_by_team(scope)]],
                [[desired_states(scope)]],
            ],
        ),
        Section(
            "knowledge",
            _("Knowledge sets"),
            [
                [[sets_by_stage(scope)], [sets_by_group(scope)]],
                [[sets_review_overdue(scope)]],
            ],
        ),
        Section(
            "corner",
            _("The knowledge corner"),
            [
                [[new_per_month(scope)], [most_read_sets(scope)]],
                [[most_read_documents(scope)], [most_downloaded_documents(scope)]],
            ],
        ),
        Section(
            "search",
            _("Searches"),
            [[[top_searches(scope)], [knowledge_gaps(scope)]]],
            note=_("Searches are counted for the whole office, whatever the team and step."),
        ),
        Section("people", _("People"), [[[contributors(scope)]]]),
    ]


def _average(value) -> float:
    return round(float(value), 1) if value is not None else 0.0


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
        "average": num(_average(counts["average"])),
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


@dataclass(frozen=True)
class Headline:
    label: Any
    cell: Any
    icon: str
    tone: str
    percent: bool = False


def headline(sections: list[Section]) -> list[Headline]:
    """The four figures at the top of the page, from the plan summary."""
    named = sections[0].tables[0].named
    return [
        Headline(_("Activities in the plan"), named["total"], "list-check", "primary"),
        Headline(_("Average progress"), named["average"], "graph-up-arrow", "success", True),
        Headline(_("Late"), named["late"], "exclamation-triangle", "danger"),
        Headline(_("Not reported this quarter"), named["unreported"], "clipboard-x", "warning"),
    ]


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
        num(_average(counts.get("average"))),
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
                num(_average(counts.get("average"))),
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


# --- Knowledge sets ------------------------------------------------------------------------------
def sets_by_stage(scope: Scope) -> Table:
    counts = dict(scope.knowledge_sets().values_list("status").annotate(n=Count("pk")).order_by())
    rows = [
        [text(label), num(counts.get(value, 0), scope.list_url("sets", status=value))]
        for value, label in Status.choices
    ]
    return Table(
        "sets_by_stage",
        _("Knowledge sets by stage"),
        [_("Stage"), _("Knowledge sets")],
        rows,
        note=_("All knowledge sets today, of the chosen group and step."),
        chart=Chart("bar", series=(1,)),
    )


def sets_by_group(scope: Scope) -> Table:
    rows = []
    ungrouped = None
    grouped = (
        scope.knowledge_sets()
        .values("group", "group__name")
        .annotate(
            total=Count("pk"),
            published=Count("pk", filter=Q(status=Status.PUBLISHED)),
            working=Count("pk", filter=Q(status__in=WORKING)),
            archived=Count("pk", filter=Q(status=Status.ARCHIVED)),
        )
        .order_by("group__order", "group__name")
    )
    for row in grouped:
        key = row["group"] if row["group"] is not None else "none"
        url = scope.list_url
        cells = [
            num(row["total"], url("sets", group=key)),
            num(row["published"], url("sets", group=key, status=Status.PUBLISHED)),
            num(row["working"], url("sets", group=key, status="working")),
            num(row["archived"], url("sets", group=key, status=Status.ARCHIVED)),
        ]
        if row["group"] is None:
            ungrouped = [text(_("No owning group")), *cells]
        else:
            rows.append([text(row["group__name"]), *cells])
    if ungrouped:
        rows.append(ungrouped)
    return Table(
        "sets_by_group",
        _("Knowledge sets by group"),
        [
            _("Group"),
            _("Knowledge sets"),
            _("Published"),
            _("Being written or reviewed"),
            _("Retired"),
        ],
        rows,
        chart=Chart("bar", series=(2, 3, 4), stacked=True, horizontal=True),
        empty=_("No knowledge sets."),
    )


def sets_review_overdue(scope: Scope) -> Table:
    overdue = (
        scope.knowledge_sets()
        .filter(scope.review_overdue_filter())
        .select_related("published_version", "group")
        .order_by("review_due", "pk")
    )
    shown = list(overdue[:TOP])
    rows = [
        [
            text(item.display_title, item.get_absolute_url()),
            text(item.group.name if item.group else ""),
            day(format_date_short(item.review_due)),
        ]
        for item in shown
    ]
    return Table(
        "sets_review_overdue",
        _("Knowledge sets past their review date"),
        [_("Knowledge set"), _("Group"), _("Review was due")],
        rows,
        empty=_("Every published set is within its review date."),
        more_url=scope.list_url("sets", overdue=1),
        limited=len(shown) == TOP,
    )


# --- The knowledge corner ------------------------------------------------------------------------
def _month_counts(records, field: str, months: list[dt.date]) -> list[int]:
    """How many records fall in each month (local time), in one aggregate query: a filtered
    count per month compares ``field`` with a range, which the database does natively (grouping
    by a truncated month calls a function on every row on SQLite)."""
    counts = records.aggregate(
        **{
            f"m{index}": Count("pk", filter=local_range(field, month, next_month(month)))
            for index, month in enumerate(months)
        }
    )
    return [counts[f"m{index}"] for index in range(len(months))]


def new_per_month(scope: Scope) -> Table:
    months = scope.months
    documents = _month_counts(scope.documents(), "created_at", months)
    sets = _month_counts(
        scope.knowledge_sets().filter(versions__number=1), "versions__published_at", months
    )
    rows = []
    for month, new_documents, new_sets in zip(months, documents, sets, strict=True):
        key = f"{month.year}-{month.month:02d}"
        rows.append(
            [
                text(format_month(month)),
                num(new_documents, scope.list_url("documents", month=key)),
                num(new_sets, scope.list_url("sets", published=key)),
            ]
        )
    return Table(
        "new_per_month",
        _("New documents and knowledge sets per month"),
        [_("Month"), _("New documents"), _("Newly published knowledge sets")],
        rows,
        note=_("Documents added to the library, and sets published for the first time."),
        chart=Chart("bar", series=(1, 2)),
    )


def _top_documents(scope: Scope, order: str) -> list[dict]:
    """The year's ten most viewed (or downloaded) documents the viewer may open: grouped by
    document alone, the titles read afterwards for those ten (two small queries instead of a
    grouping over every document's title)."""
    rows = list(
        DocumentUse.objects.filter(scope.days_in_year("day"), document__in=scope.documents())
        .values("document")
        .annotate(views=Sum("views"), downloads=Sum("downloads"))
        .filter(**{f"{order}__gt": 0})
        .order_by(f"-{order}", "document")[:TOP]
    )
    titles = dict(
        Document.objects.filter(pk__in=[row["document"] for row in rows]).values_list("pk", "title")
    )
    return [{**row, "document__title": titles.get(row["document"], "")} for row in rows]


def _document_rows(rows: list[dict]) -> list[list]:
    return [
        [
            text(row["document__title"], reverse("library:detail", args=[row["document"]])),
            num(row["views"]),
            num(row["downloads"]),
        ]
        for row in rows
    ]


def most_read_documents(scope: Scope) -> Table:
    return Table(
        "most_read_documents",
        _("Most read documents"),
        [_("Document"), _("Page views"), _("Downloads")],
        _document_rows(_top_documents(scope, "views")),
        note=_("Views of the document's page in the fiscal year."),
        empty=_("No document has been opened this year."),
    )


def most_downloaded_documents(scope: Scope) -> Table:
    return Table(
        "most_downloaded_documents",
        _("Most downloaded documents"),
        [_("Document"), _("Page views"), _("Downloads")],
        _document_rows(_top_documents(scope, "downloads")),
        note=_("Downloads of the document's files in the fiscal year."),
        empty=_("No file has been downloaded this year."),
    )


def most_read_sets(scope: Scope) -> Table:
    rows = list(
        ReadingDay.objects.filter(
            scope.days_in_year("day"), knowledge_set__in=scope.knowledge_sets()
        )
        .values("knowledge_set")
        .annotate(readings=Count("pk"))
        .order_by("-readings", "knowledge_set")[:TOP]
    )
    sets = KnowledgeSet.objects.select_related("published_version").in_bulk(
        [row["knowledge_set"] for row in rows]
    )
    return Table(
        "most_read_sets",
        _("Most read knowledge sets"),
        [_("Knowledge set"), _("Readings")],
        [
            [
                text(
                    sets[row["knowledge_set"]].display_title,
                    reverse("knowledge:detail", args=[row["knowledge_set"]]),
                ),
                num(row["readings"]),
            ]
            for row in rows
        ],
        note=_("Each reader counts once a day."),
        empty=_("No knowledge set has been read this year."),
    )


# --- Searches ------------------------------------------------------------------------------------
def _search_url(query: str) -> str:
    return f"{reverse('search:results')}?{urlencode({'q': query})}"


def _query_stats(scope: Scope):
    return (
        QueryStat.objects.filter(scope.days_in_year("day"))
        .values("query")
        .annotate(
            searches=Sum("searches"),
            zero=Sum("zero_results"),
            last=Max("day", filter=Q(zero_results__gt=0)),
        )
    )


def _shown_queries(scope: Scope, rows) -> list[dict]:
    """The first ``LONG_TOP`` rows whose query finds nothing the viewer may not open (see
    ``finds_hidden``); a few more are read so that a hidden one leaves no gap."""
    shown = []
    for row in rows[: LONG_TOP * 3]:
        if not finds_hidden(user=scope.viewer, text=row["query"]):
            shown.append(row)
        if len(shown) == LONG_TOP:
            break
    return shown


def top_searches(scope: Scope) -> Table:
    rows = _shown_queries(scope, _query_stats(scope).order_by("-searches", "query"))
    return Table(
        "top_searches",
        _("Top searches"),
        [_("Search"), _("Searches"), _("Without results")],
        [
            [text(row["query"], _search_url(row["query"])), num(row["searches"]), num(row["zero"])]
            for row in rows
        ],
        chart=Chart("bar", series=(1,), horizontal=True),
        empty=_("Nobody has searched this year."),
    )


def knowledge_gaps(scope: Scope) -> Table:
    rows = _shown_queries(scope, _query_stats(scope).filter(zero__gt=0).order_by("-zero", "query"))
    return Table(
        "knowledge_gaps",
        _("Top searches with no result"),
        [_("Search"), _("Searches without results"), _("Last time")],
        [
            [
                text(row["query"], _search_url(row["query"])),
                num(row["zero"]),
                day(format_date_short(row["last"])),
            ]
            for row in rows
        ],
        note=_(
            "What staff looked for and did not find: knowledge gaps to consider when identifying "
            "knowledge (step 1)."
        ),
        empty=_("Every search found something."),
    )


# --- People --------------------------------------------------------------------------------------
def contributors(scope: Scope) -> Table:
    """Who added documents, published knowledge-set versions (as an author), reported progress
    and commented in the fiscal year. With a team chosen: its current members, for all their
    work (of the chosen step)."""
    office = dataclasses.replace(scope, team=None)
    people = None
    if scope.team:
        people = Membership.objects.current(scope.today).filter(team=scope.team).values("person")
    # (what, the records in the year, the field naming the person)
    sources = [
        (
            "documents",
            office.documents().filter(scope.in_year("created_at")),
            "uploaded_by",
        ),
        (
            "versions",
            Version.objects.filter(
                scope.in_year("published_at"), knowledge_set__in=office.knowledge_sets()
            ),
            "knowledge_set__authors",
        ),
        (
            "reports",
            ProgressReport.objects.filter(
                scope.in_year("created_at"), activity__in=office.activities()
            ),
            "reported_by",
        ),
        (
            "comments",
            Comment.objects.filter(
                scope.in_year("created_at"), knowledge_set__in=office.knowledge_sets()
            ),
            "author",
        ),
    ]
    counts: dict[int, Counter] = defaultdict(Counter)
    for key, records, person in sources:
        if people is not None:
            records = records.filter(**{f"{person}__in": people})
        grouped = records.values_list(person).annotate(n=Count("pk", distinct=True)).order_by()
        for person_id, n in grouped:
            if person_id is not None:
                counts[person_id][key] += n
    ranked = sorted(counts.items(), key=lambda item: (-item[1].total(), item[0]))[:LONG_TOP]
    names = User.objects.in_bulk([person_id for person_id, _counts in ranked])
    rows = []
    for person_id, tally in ranked:
        person = names.get(person_id)
        if person is None:
            continue
        rows.append(
            [
                text(person.get_full_name() or person.username, person.get_absolute_url()),
                num(tally["documents"]),
                num(tally["versions"]),
                num(tally["reports"]),
                num(tally["comments"]),
                num(tally.total()),
            ]
        )
    return Table(
        "contributors",
        _("Active contributors"),
        [
            _("Person"),
            _("Documents added"),
            _("Knowledge-set versions published"),
            _("Progress reports"),
            _("Comments"),
            _("Total"),
        ],
        rows,
        note=_("Contributions in the fiscal year; with a team chosen, its current members."),
        chart=Chart("bar", series=(1, 2, 3, 4), stacked=True, horizontal=True),
        empty=_("No contributions this year."),
    )
