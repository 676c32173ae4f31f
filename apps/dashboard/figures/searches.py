"""What people search for, and the searches that find nothing."""

from __future__ import annotations

from django.db.models import Max, Q, Sum
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from apps.core.thaidates import format_date_short
from apps.search.models import QueryStat
from apps.search.searching import hidden_finder

from ..scope import Scope
from ..tables import Chart, Table, day, num, text
from .base import LONG_TOP


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
    finds_hidden = scope.once("finds_hidden", lambda: hidden_finder(scope.viewer))
    for row in rows[: LONG_TOP * 3]:
        if not finds_hidden(row["query"]):
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
