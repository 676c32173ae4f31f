"""The office dashboard's figures, each a :class:`~apps.dashboard.tables.Table`.

Every figure is one aggregate query over a queryset from :class:`~apps.dashboard.scope.Scope`
(grouped with ``values().annotate()``), so the page runs a fixed number of queries however many
records there are; Python only arranges the grouped rows. Every count links to the list of the
records it counts (``dashboard:list``), built from the same queryset.

The figures live in one module per section (``plan``, ``knowledge``, ``searches``,
``board``, ``people``); this module puts them together into the page and names them all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from apps.core.kept import KeptValues
from apps.search.indexing import index_state

from ..scope import Scope
from ..tables import Table
from .base import LONG_TOP, TOP, WORKING
from .board import board_summary, board_topics
from .community import communities_per_month, communities_summary
from .knowledge import (
    most_downloaded_documents,
    most_read_documents,
    most_read_sets,
    new_per_month,
    sets_by_group,
    sets_by_stage,
    sets_review_overdue,
)
from .learning import event_attendance, learning_summary
from .people import contributors
from .plan import (
    desired_states,
    late_activities,
    plan_by_area,
    plan_by_step,
    plan_by_team,
    plan_summary,
    unreported_activities,
)
from .searches import knowledge_gaps, top_searches

__all__ = [
    "LONG_TOP",
    "TOP",
    "WORKING",
    "Headline",
    "Section",
    "board_summary",
    "board_topics",
    "communities_per_month",
    "communities_summary",
    "contributors",
    "desired_states",
    "event_attendance",
    "headline",
    "kept",
    "knowledge_gaps",
    "late_activities",
    "learning_summary",
    "most_downloaded_documents",
    "most_read_documents",
    "most_read_sets",
    "new_per_month",
    "office",
    "office_kept",
    "plan_by_area",
    "plan_by_step",
    "plan_by_team",
    "plan_summary",
    "sets_by_group",
    "sets_by_stage",
    "sets_review_overdue",
    "top_searches",
    "unreported_activities",
]


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
        Section(
            "communities",
            _("Communities of practice"),
            [[[communities_summary(scope)], [communities_per_month(scope)]]],
        ),
        Section("board", _("Q&A board"), [[[board_summary(scope)], [board_topics(scope)]]]),
        Section(
            "learning",
            _("Learning and development"),
            [[[learning_summary(scope)], [event_attendance(scope)]]],
        ),
        Section("people", _("People"), [[[contributors(scope)]]]),
    ]


T = TypeVar("T")

#: The office dashboard, kept per scope and viewer while the tables it counts are unchanged
#: (issue 20: fifty aggregate queries a page, for figures that change a few times an hour). The
#: day counters (views, downloads, searches) are incremented in place, which no fingerprint
#: sees: they show at most a minute late. Who may see what (people, teams, memberships) always
#: counts, and so does the index, which decides which searches may be shown.
_KEPT = KeptValues(
    max_entries=32,
    max_age=60.0,
    always=("accounts_user", "teams_team", "teams_membership"),
    also=index_state,
)


def kept(scope: Scope, what: str, make: Callable[[], T]) -> tuple[T, float]:
    """``make()``, and when it was worked out (a Unix time): what this process keeps for this
    scope, viewer and language while nothing the office dashboard counts has changed since.
    ``what`` names the value (the page's sections, their HTML)."""
    key = (
        f"office:{what}",
        scope.year,
        scope.team.pk if scope.team else None,
        scope.step,
        scope.today,
        scope.viewer.pk,
        get_language(),
    )
    return _KEPT.get(key, make)


def office_kept(scope: Scope) -> tuple[list[Section], float]:
    """``office(scope)``, kept (see ``kept``)."""
    return kept(scope, "sections", lambda: office(scope))


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
