"""Things apps tag with a KM step: the registry behind the seven-steps page.

The seven-steps page (``plans:steps``) shows, for each step, the plan's activities and meetings
and then every registered *source*: the library's documents, knowledge sets, any other app's
records. A source also lets progress reports link to its records as evidence: an owner pastes
the address of the record's page, and the source's ``url_name`` recognises it.

The registry lives in core so that an app registers its records without importing the app that
shows them. An app registers once, from its ``AppConfig.ready``::

    from apps.core import steps

    steps.register(steps.StepSource(
        key="knowledge",
        label=_("Knowledge sets"),
        icon="journal-text",
        model=KnowledgeSet,
        visible=lambda user: KnowledgeSet.objects.visible_to(user),
        url_name="knowledge:detail",          # its pages take ``pk``
        step_field="km_step",                 # the field holding a ``KMStep`` value
        in_year=lambda qs, first, last: qs.filter(published_on__range=(first, last)),
    ))

Only what ``visible(user)`` returns is ever shown or linked, so each app's own access rules hold.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.db import models
from django.db.models import F, QuerySet
from django.db.models.functions import RowNumber
from django.urls import Resolver404, resolve

# How many records of one source the seven-steps page lists under a step.
ITEMS_PER_STEP = 10


@dataclass(frozen=True)
class StepSource:
    """One kind of record an app tags with a KM step (``step_field`` holds a ``KMStep``)."""

    key: str
    label: Any
    model: type[models.Model]
    # The records a person may open (the source app's own rule, as a query).
    visible: Callable[[Any], QuerySet]
    # The page of one record; its URL takes the record's ``pk``.
    url_name: str
    icon: str = "file-earmark"
    step_field: str = "km_step"
    # Optional: narrow the records to those of a fiscal year (first and last day, C.E. dates).
    in_year: Callable[[QuerySet, dt.date, dt.date], QuerySet] | None = None
    # Optional: the address of the source's own list of the records tagged with a step.
    list_url: Callable[[str], str] | None = None
    order: int = 50
    # The field the evidence picker (``core:pick_records``) finds a record by as one types
    # (blank: a source with no title is not offered there; its addresses are still accepted).
    title_field: str = "title"

    def url_for_step(self, step: str) -> str | None:
        """The source's own list of the records tagged with ``step`` (None: it has none)."""
        return self.list_url(step) if self.list_url else None

    def for_step(
        self, user, step: str, year_range: tuple[dt.date, dt.date] | None = None
    ) -> QuerySet:
        """The records tagged with ``step`` that the person may open (of the fiscal year, when
        the source can tell)."""
        records = self.visible(user).filter(**{self.step_field: step})
        if year_range is not None and self.in_year is not None:
            records = self.in_year(records, *year_range)
        return records

    def by_step(
        self,
        user,
        year_range: tuple[dt.date, dt.date] | None = None,
        *,
        limit: int = ITEMS_PER_STEP,
    ) -> dict[str, list]:
        """step → the first ``limit`` records the person may open, newest first, in one query
        (a window function numbers the records within each step)."""
        records = self.visible(user).exclude(**{self.step_field: ""})
        if year_range is not None and self.in_year is not None:
            records = self.in_year(records, *year_range)
        ranked = records.annotate(
            step_rank=models.Window(
                RowNumber(), partition_by=[F(self.step_field)], order_by=F("pk").desc()
            )
        ).filter(step_rank__lte=limit)
        grouped: dict[str, list] = {}
        for record in ranked.order_by(self.step_field, "step_rank"):
            grouped.setdefault(getattr(record, self.step_field), []).append(record)
        return grouped

    def counts(self, user, year_range: tuple[dt.date, dt.date] | None = None) -> dict[str, int]:
        """step → number of records the person may open, in one query."""
        records = self.visible(user).exclude(**{self.step_field: ""})
        if year_range is not None and self.in_year is not None:
            records = self.in_year(records, *year_range)
        rows = records.order_by().values_list(self.step_field).annotate(n=models.Count("pk"))
        return dict(rows)


_sources: dict[str, StepSource] = {}


def register(source: StepSource) -> None:
    """Add a source (again under the same key: replace it)."""
    _sources[source.key] = source


def unregister(key: str) -> None:
    """Remove a source (a test's stand-in)."""
    _sources.pop(key, None)


def sources() -> list[StepSource]:
    """Every source, in the order the page shows them."""
    return sorted(_sources.values(), key=lambda s: (s.order, s.key))


def source_for_model(model: type[models.Model]) -> StepSource | None:
    """The source of a kind of record, if one is registered."""
    for source in _sources.values():
        if source.model is model:
            return source
    return None


def resolve_link(url: str) -> tuple[StepSource, int] | None:
    """The source and pk of the record a portal address points to, or None.

    Takes the address as copied from the browser (with or without the scheme and host, a query
    or a fragment); only the path is looked at.
    """
    path = urlsplit(url.strip()).path
    if not path:
        return None
    try:
        match = resolve(path)
    except Resolver404:
        return None
    view_name = match.view_name
    pk = match.kwargs.get("pk")
    for source in _sources.values():
        if source.url_name == view_name and pk is not None:
            return source, int(pk)
    return None
