"""Knowledge sets and the knowledge corner: sets by stage and group, reviews overdue, what is
new each month, and what is read and downloaded most."""

from __future__ import annotations

from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.core.thaidates import format_date_short, format_month
from apps.knowledge.models import KnowledgeSet, ReadingDay, Status
from apps.knowledge.workflow import cko_signoff_wanted
from apps.library.models import Document, DocumentUse

from ..scope import Scope
from ..tables import Chart, Table, day, num, text
from .base import TOP, WORKING
from .months import month_counts


# --- Knowledge sets ------------------------------------------------------------------------------
def sets_by_stage(scope: Scope) -> Table:
    counts = dict(scope.knowledge_sets().values_list("status").annotate(n=Count("pk")).order_by())
    rows = [
        [text(label), num(counts.get(value, 0), scope.list_url("sets", status=value))]
        for value, label in Status.choices
        # The CKO's sign-off is a stage only where the office wants it (or a set still waits).
        if value != Status.AWAITING_SIGNOFF or cko_signoff_wanted() or counts.get(value)
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
def new_per_month(scope: Scope) -> Table:
    months = scope.months
    documents = month_counts(scope.documents(), "created_at", months)
    sets = month_counts(
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
