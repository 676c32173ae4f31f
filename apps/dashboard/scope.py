"""What a dashboard looks at: a fiscal year, optionally one team and one KM step, for one viewer.

The querysets here are the single definition of what each figure counts. The dashboard groups
them; the lists behind the figures (``lists.py``) filter the very same querysets, so a figure
and the list it links to always agree. Every queryset is limited to what the viewer may open.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from urllib.parse import urlencode

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from apps.core.thaidates import fiscal_year_range
from apps.knowledge.models import KnowledgeSet
from apps.library.models import Document
from apps.plans.models import CLOSED_STATUSES, Activity, Plan
from apps.plans.periods import Period, current_period
from apps.teams.models import Team


def next_month(day: dt.date) -> dt.date:
    """The first day of the month after ``day``'s."""
    return dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)


def local_midnight(day: dt.date) -> dt.datetime:
    """The first moment of ``day`` in local time."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def local_range(field: str, first: dt.date, end: dt.date) -> Q:
    """The date-time ``field`` falls on a local day from ``first`` up to (not including)
    ``end``: a range an index can serve, where ``__date`` would convert every row."""
    return Q(**{f"{field}__gte": local_midnight(first), f"{field}__lt": local_midnight(end)})


@dataclass(frozen=True)
class Scope:
    year: int
    team: Team | None
    step: str
    viewer: object
    today: dt.date

    @classmethod
    def for_request(cls, request, *, year: int, team: Team | None, step: str) -> Scope:
        return cls(year, team, step, request.user, timezone.localdate())

    # --- The period ---------------------------------------------------------------------------
    @property
    def first_day(self) -> dt.date:
        return fiscal_year_range(self.year)[0]

    @property
    def last_day(self) -> dt.date:
        return fiscal_year_range(self.year)[1]

    @property
    def months(self) -> list[dt.date]:
        """The first days of the year's twelve months, October first."""
        months = [self.first_day]
        while len(months) < 12:
            months.append(next_month(months[-1]))
        return months

    @property
    def quarter(self) -> Period:
        """The quarter whose reports are due: today's, or the year's last or first."""
        return current_period(self.year, self.today)

    def in_year(self, field: str) -> Q:
        """The date-time ``field`` falls in the fiscal year, in local time."""
        return local_range(field, self.first_day, self.last_day + dt.timedelta(days=1))

    def days_in_year(self, field: str) -> Q:
        return Q(**{f"{field}__gte": self.first_day, f"{field}__lte": self.last_day})

    # --- Links --------------------------------------------------------------------------------
    @property
    def params(self) -> dict[str, str]:
        params = {"year": str(self.year)}
        if self.team:
            params["team"] = str(self.team.pk)
        if self.step:
            params["step"] = self.step
        return params

    @cached_property
    def _kept(self) -> dict:
        return {}

    def once(self, key, make):
        """``make()``, worked out once for this scope (one page): the figures link a few pages
        from hundreds of cells, and two of them check the same searches (issue 20)."""
        if key not in self._kept:
            self._kept[key] = make()
        return self._kept[key]

    def url(self, name: str, *args, **extra) -> str:
        query = {**self.params, **{k: str(v) for k, v in extra.items() if v is not None}}
        path = self.once(("url", name, args), lambda: reverse(name, args=args))
        return f"{path}?{urlencode(query)}"

    def list_url(self, kind: str, **extra) -> str:
        return self.url("dashboard:list", kind, **extra)

    # --- What the figures count ---------------------------------------------------------------
    @cached_property
    def plan(self) -> Plan | None:
        return Plan.objects.visible_to(self.viewer).filter(fiscal_year=self.year).first()

    def activities(self) -> QuerySet[Activity]:
        """The activities of the year's plan, for the team and the step."""
        if self.plan is None:
            return Activity.objects.none()
        activities = Activity.objects.filter(plan=self.plan)
        if self.team:
            activities = activities.filter(team=self.team)
        if self.step:
            activities = activities.filter(km_step=self.step)
        return activities

    def late_filter(self) -> Q:
        return Q(end_date__lt=self.today) & ~Q(status__in=CLOSED_STATUSES)

    def unreported_filter(self) -> Q:
        """Started by the end of the quarter, still open, and no report since it began: the same
        rule as the progress page's "not reported"."""
        quarter = self.quarter
        return (
            Q(start_date__lte=quarter.end)
            & ~Q(status__in=CLOSED_STATUSES)
            & (Q(last_reported_on__isnull=True) | Q(last_reported_on__lt=quarter.start))
        )

    def knowledge_sets(self) -> QuerySet[KnowledgeSet]:
        """Every set the viewer may open, of the team (as owning group) and the step."""
        sets = KnowledgeSet.objects.visible_to(self.viewer)
        if self.team:
            sets = sets.filter(group=self.team)
        if self.step:
            sets = sets.filter(km_step=self.step)
        return sets

    def review_overdue_filter(self) -> Q:
        """Public sets past their review date (the same rule as the set's own page)."""
        return (
            Q(published_version__isnull=False)
            & ~Q(status="archived")
            & Q(review_due__lt=self.today)
        )

    def documents(self) -> QuerySet[Document]:
        """Documents the viewer may open, of the step. Documents belong to no team."""
        documents = Document.objects.visible_to(self.viewer)
        if self.step:
            documents = documents.filter(km_step=self.step)
        return documents
