"""What other apps add to the plan's pages, so that the plans app never imports them.

The meetings app adds the meetings whose agenda took up a step (the seven-steps page), the
action items and agenda items about an activity (its page, and a count on the action plan's
rows), and a person's invitations and action items (the home page's "My KM meetings and tasks"
and the "KM work" panel of a person's page). An app registers once, from its
``AppConfig.ready``::

    from apps.plans import extensions

    extensions.register(extensions.PlanExtension(
        key="meetings",
        home_entries=selectors.home_entries,          # (user, today) -> [HomeEntry]
        person_part=selectors.person_part,            # (viewer, person, today) -> dict | None
        person_template="meetings/includes/person_part.html",
        activity_part=selectors.activity_part,        # (activity, user) -> dict
        activity_template="meetings/includes/activity_part.html",
        mark_activities=selectors.mark_activities,    # (activities) -> None
        step_records=selectors.step_meetings,         # (user, fiscal year) -> {step: [record]}
        step_template="meetings/includes/step_meetings.html",
        plan_list_template="meetings/includes/plan_list_link.html",
    ))

Every hook is optional. Each must run a fixed number of queries however many rows it is given,
and show only what the person may open (the contributing app's own rules).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass
class HomeEntry:
    """One line of the home page's "My KM meetings and tasks": ``template`` shows it."""

    kind: str  # "meeting", "action" or "report"
    obj: Any
    late: bool = False
    template: str = "plans/includes/home_report.html"

    def get_absolute_url(self) -> str:
        return self.obj.get_absolute_url()

    def __str__(self) -> str:
        return str(self.obj)


@dataclass(frozen=True)
class PlanExtension:
    key: str
    # The home page: the person's entries, listed before the plan's own (reports due).
    home_entries: Callable[[Any, dt.date], list[HomeEntry]] | None = None
    # A person's "KM work": the context of ``person_template`` (None: nothing to show).
    person_part: Callable[[Any, Any, dt.date], dict | None] | None = None
    person_template: str = ""
    # An activity's page: the context of ``activity_template``, shown beside the reports.
    activity_part: Callable[[Any, Any], dict] | None = None
    activity_template: str = ""
    # The action plan's rows: set what a row shows on the activities (``open_actions``).
    mark_activities: Callable[[list], None] | None = None
    # The seven-steps page: step → records that took it up in the fiscal year, shown with
    # ``step_template`` (context ``records``) under the plan's activities.
    step_records: Callable[[Any, int], dict[str, list]] | None = None
    step_template: str = ""
    # The plans' list: a template added to its buttons (a link to the app's own pages).
    plan_list_template: str = ""
    order: int = 50


_extensions: dict[str, PlanExtension] = {}


def register(extension: PlanExtension) -> None:
    _extensions[extension.key] = extension


def extensions() -> list[PlanExtension]:
    return sorted(_extensions.values(), key=lambda e: (e.order, e.key))
