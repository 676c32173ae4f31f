"""Searching for a person: the engine's answer, checked against the database and dressed for
pages (labels, snippets, facets). Nobody is shown a title, snippet, suggestion or count of
anything they may not open: the engine filters by access, and each shown hit is checked again
against the record's own ``visible`` rule."""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.core.cache import cache
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

from apps.core import counters
from apps.core.searchables import facet_labels as declared_labels
from apps.core.searchables import filter_value, get, searchables
from apps.teams.predicates import current_team_ids, is_km_member, is_staff_member, km_roles

from . import upkeep
from .engine import (
    Hit,
    IndexUnavailableError,
    SearchRequest,
    SearchResponse,
    Viewer,
    section_text,
)
from .engine.query import rewrite_filters
from .indexing import get_engine, retry_stale
from .models import QueryStat, latest_task_uids
from .related import entries as related_entries
from .related import listed as listed_related

PAGE_SIZE = 10
PENDING_CHECKED = 5000  # queued index updates looked at per search (normally there are none)


def viewer_for(user) -> Viewer:
    """The engine's view of a person: their user id, admin flag, KM membership, teams and
    roles (roles as "role:<name>", so an entry can be opened by, say, every head)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Viewer()
    teams = {str(pk) for pk in current_team_ids(user)}
    roles = {f"role:{role}" for role in km_roles(user)}
    return Viewer(
        user_id=str(user.pk),
        is_admin=user.is_superuser,
        is_km_member=is_km_member(user),
        team_ids=frozenset(teams | roles),
    )


ADMIN = Viewer(is_admin=True)


def not_yet_indexed(user) -> tuple[str, ...]:
    """Uids of entries whose change the index has not taken yet and that ``user`` may not open
    now (restricted or deleted a moment ago, while the index was busy): the engine leaves them
    out of counts, facets and spelling as well as out of the hits."""
    pending = latest_task_uids(PENDING_CHECKED)
    by_kind: dict[str, set[str]] = {}
    for uid in pending:
        kind, _, pk = uid.partition(":")
        by_kind.setdefault(kind, set()).add(pk)
    hidden: list[str] = []
    for kind, pks in by_kind.items():
        searchable = get(kind)
        numeric = {pk for pk in pks if pk.isdigit()}
        may_open: set[str] = set()
        if searchable is not None and numeric:
            records = searchable.visible(user) if user is not None else searchable.all()
            found = records.filter(pk__in=sorted(numeric, key=int)).values_list("pk", flat=True)
            may_open = {str(pk) for pk in found}
        hidden.extend(f"{kind}:{pk}" for pk in sorted(pks - may_open))
    return tuple(hidden)


def _may_search(user) -> bool:
    """Search is for signed-in staff (the pages require it; this keeps every caller honest).
    ``None`` is the command line's superuser."""
    return user is None or is_staff_member(user)


@dataclass
class Result:
    kind: str
    kind_label: Any
    icon: str
    obj: Any
    title: str
    url: str
    score: float
    snippet: SafeString
    date: dt.date | None = None
    data: dict[str, Any] = field(default_factory=dict)
    section: str = ""  # the section of a law it opens at ("มาตรา 40"), engine/sections.py


@dataclass
class Page:
    query: str
    results: list[Result]
    total: int
    page: int
    pages: int
    facets: dict[str, list[dict[str, Any]]]
    did_you_mean: str | None
    took_ms: float
    unavailable: bool = False  # the index cannot be read: nothing could be searched
    incomplete: bool = False  # the index is being filled again: results may be missing


def visible_hits(response: SearchResponse, user, *, with_related: bool = False) -> dict[str, Any]:
    """uid → record, for the hits ``user`` may open (one query per kind on the page).
    ``with_related``: with what the page's snippets read (a document's files), fetched with them
    rather than one query per hit (``Searchable.results`` or ``attach``)."""
    by_kind: dict[str, list[Any]] = {}
    for hit in response.hits:
        by_kind.setdefault(hit.kind, []).append(hit.pk)
    allowed: dict[str, Any] = {}
    for kind, pks in by_kind.items():
        searchable = get(kind)
        if searchable is None:
            continue
        if user is not None and searchable.opens is not None:
            # Read by key, kept by the app's own rule for one record (no query built for it).
            read = searchable.for_results() if with_related else searchable.model._default_manager
            records = read.filter(pk__in=pks).order_by()  # in the hits' order, below
            found = [obj for obj in records if searchable.opens(user, obj)]
        else:
            records = searchable.visible(user) if user is not None else searchable.all()
            records = records.filter(pk__in=pks).order_by()
            if with_related and user is not None and searchable.results:
                records = searchable.results().filter(pk__in=records.values("pk")).order_by()
            found = list(records)
        if with_related and user is not None and searchable.attach:
            searchable.attach(found)
        for obj in found:
            allowed[searchable.uid(obj.pk)] = obj
    return allowed


def search(
    *,
    user,
    text: str,
    kinds=(),
    doc_types=(),
    categories=(),
    years=(),
    teams=(),
    sort: str = "relevance",
    page: int = 1,
    page_size: int = PAGE_SIZE,
    record: bool = True,
) -> Page:
    """One page of results for ``user``; ``record`` counts the query (without the user)."""
    if not _may_search(user):
        return Page(text, [], 0, 1, 1, {}, None, 0.0)
    retry_stale()  # updates a failed flush left queued, so that this search finds them
    engine = get_engine()
    request = SearchRequest(
        viewer=viewer_for(user),
        hidden=not_yet_indexed(user),
        text=rewrite_filters(text, typed_value),
        kinds=kinds,
        doc_types=doc_types,
        categories=categories,
        years=years,
        teams=teams,
        sort=sort,
        page=page,
        page_size=page_size,
    )
    try:
        response = engine.search(request)
        incomplete = not upkeep.index_complete()
    except IndexUnavailableError:  # logged by the engine; the page says so in words
        return Page(text, [], 0, 1, 1, {}, None, 0.0, unavailable=True)
    allowed = visible_hits(response, user, with_related=True)
    results = []
    for hit in response.hits:
        obj = allowed.get(hit.uid)
        if obj is None:  # the index has not caught up with a change of access yet
            continue
        searchable = get(hit.kind)
        url, section = obj.get_absolute_url(), opened_section(searchable, obj, hit.data)
        if section is not None:
            label, source = section
            url = section_url(url, label)
        else:
            label, source = "", searchable.snippet(obj) if searchable.snippet else ""
        results.append(
            Result(
                kind=hit.kind,
                kind_label=searchable.label,
                icon=searchable.icon,
                obj=obj,
                title=hit.title,
                url=url,
                score=hit.score,
                snippet=mark_safe(response.highlight(source)) if source else SafeString(""),
                date=hit.date.date() if hit.date else None,
                data=hit.data,
                section=label,
            )
        )
    if record and text.strip():
        record_query(text, response.total)
    return Page(
        query=text,
        results=results,
        total=response.total,
        page=response.page,
        pages=response.pages,
        facets=facet_labels(response.facets),
        did_you_mean=response.did_you_mean,
        took_ms=response.took_ms,
        incomplete=incomplete,
    )


def opened_section(searchable, obj, data: dict[str, Any]) -> tuple[str, str] | None:
    """(label, text) of the section of a law a hit opens at (``data["section"]``), read from
    the record as it is now; None for a hit that opens at the top (or a section gone since)."""
    label = str(data.get("section") or "")
    if not label or searchable.sections is None:
        return None
    text = section_text(searchable.sections(obj) or "", label)
    return (label, text) if text is not None else None


def section_url(url: str, label: str) -> str:
    """The record's page opened at a section: ``/library/12/?section=มาตรา+40#section``."""
    return f"{url}?{urlencode({'section': label})}#section"


def typed_value(name: str, typed: str) -> str | None:
    """What a filter value typed by name stands for: a kind by its label in Thai or English
    ("ชนิด:เอกสาร"), other facets by the app that owns them (``filter_values``)."""
    if name == "kind":
        folded = typed.casefold()
        for searchable in searchables():
            if folded == searchable.kind:
                return None
            for language in ("th", "en"):
                with translation.override(language):
                    if str(searchable.label).casefold() == folded:
                        return searchable.kind
        return None
    return filter_value(name, typed)


def facet_labels(facets: dict[str, list[tuple[Any, int]]]) -> dict[str, list[dict[str, Any]]]:
    """Facet counts with the names people read: kinds and B.E. years here, the other facets'
    labels from the apps that own their vocabulary (``Searchable.facet_labels``)."""
    kind_labels = {s.kind: s.label for s in searchables()}
    labelled: dict[str, list[dict[str, Any]]] = {}
    for name, counted in facets.items():
        values = [value for value, _n in counted if value not in (None, "")]
        if name == "kind":
            labels = {value: kind_labels.get(value, value) for value in values}
        elif name == "year":
            # Records without a year carry the engine's placeholder.
            labels = {v: v for v in values if str(v).isdigit() and 2400 <= int(v) <= 2700}
        else:
            declared = declared_labels(name, values)
            labels = {value: declared.get(str(value)) for value in values}
        rows = []
        for value, count in counted:
            label = labels.get(value) if value not in (None, "") else None
            if label is not None:
                rows.append({"value": str(value), "label": label, "count": count})
        if name == "year":
            rows.sort(key=lambda row: row["value"], reverse=True)
        labelled[name] = rows
    return labelled


def normalise_query(text: str) -> str:
    return " ".join(text.split()).casefold()[:200]


def record_query(text: str, total: int) -> None:
    """Count the query for today; no user identity is kept."""
    query = normalise_query(text)
    if not query:
        return
    counters.bump(
        QueryStat,
        {"query": query, "day": timezone.localdate()},
        searches=1,
        zero_results=1 if total == 0 else 0,
    )


def finds_hidden(*, user, text: str) -> bool:
    """Whether ``text`` finds anything ``user`` may not open. A query someone else typed (the
    dashboard's top searches) can name a restricted document or a draft; it is shown only to
    those it names nothing hidden from. An unreadable index counts as finding something."""
    return hidden_finder(user)(text)


def hidden_finder(user) -> Callable[[str], bool]:
    """``finds_hidden`` for many texts (the dashboard's top searches): the person's view and the
    index's queue are read once. Each answer is kept for this view and this state of the index
    (its ``identity`` changes with every commit): the dashboard asks the same queries on every
    render, and each answer counted every match twice (issue 20)."""
    if user is None or getattr(user, "is_superuser", False):
        return lambda text: False
    engine = get_engine()
    view: list = []  # read at the first query that finds anything at all

    def finds(text: str) -> bool:
        quick = {"text": text, "page_size": 1, "facets": False, "spelling": False}
        identity = engine.store.identity()
        counted = f"finds-anything:{hashlib.sha256(repr((text, identity)).encode()).hexdigest()}"
        try:
            everything = cache.get(counted) if identity is not None else None
            if everything is None:
                everything = engine.search(SearchRequest(viewer=ADMIN, **quick)).total
                if identity is not None:
                    cache.set(counted, everything, 3600)
            if not everything:
                return False
            if not view:
                viewer = viewer_for(user)
                view.extend([viewer, not_yet_indexed(user)])
            viewer, hidden = view
            seen = (text, viewer.user_id, viewer.is_km_member, sorted(viewer.team_ids), hidden)
            key = f"finds-hidden:{hashlib.sha256(repr((seen, identity)).encode()).hexdigest()}"
            if identity is not None and (known := cache.get(key)) is not None:
                return known
            found = engine.search(SearchRequest(viewer=viewer, hidden=hidden, **quick)).total
        except IndexUnavailableError:
            return True
        answer = found < everything
        if identity is not None:
            cache.set(key, answer, 3600)
        return answer

    return finds


def suggestions(*, user, prefix: str, limit: int = 8) -> list[dict[str, str]]:
    """Titles to offer as the person types: only what they may open."""
    prefix = prefix.strip()
    if len(prefix) < 2 or not _may_search(user):
        return []
    # Only titles are shown, each checked against the database below: no count to correct,
    # so the queue of changes the index has not taken yet is not looked at.
    try:
        hits = get_engine().suggest(prefix, viewer_for(user), limit=limit * 2)
    except IndexUnavailableError:  # suggestions are a convenience: none while search is down
        return []
    response = SearchResponse(hits=hits, total=len(hits), page=1, page_size=len(hits) or 1)
    allowed = visible_hits(response, user)
    out = []
    for hit in hits:
        obj = allowed.get(hit.uid)
        if obj is not None:
            out.append(
                {
                    "title": hit.title,
                    "url": obj.get_absolute_url(),
                    "kind": str(get(hit.kind).label),
                }
            )
        if len(out) >= limit:
            break
    return out


#: (index folder, uid, viewer, limit, index identity) → the engine's more-like-this hits, kept
#: per process: a few hundred bytes each, some 2 MB at most, the least recently used going first.
RELATED_KEPT = 4000
_related_kept: OrderedDict[tuple, tuple[Hit, ...]] = OrderedDict()
_related_lock = threading.Lock()


def _more_like(uid: str, viewer: Viewer, limit: int) -> tuple[Hit, ...]:
    """The engine's items like ``uid`` for ``viewer``, kept for this very state of the index
    (its ``identity`` changes with every commit, rebuild or folder made again): a detail page is
    read far more often than the index changes, and more-like-this was a third of a document's
    page (issue 20). Kept per viewer, so one person's answer is never another's; what is shown
    is checked against the database on every page all the same (``related``)."""
    engine = get_engine()
    try:
        identity = engine.store.identity()
    except OSError:  # the folder cannot be read: ask the engine, which says so in its way
        identity = None
    key = (str(engine.index_dir), uid, viewer, limit, identity)
    if identity is not None:
        with _related_lock:
            hits = _related_kept.get(key)
            if hits is not None:
                _related_kept.move_to_end(key)
                return hits
    hits = tuple(engine.more_like(uid, viewer, limit=limit))
    if identity is not None:
        with _related_lock:
            _related_kept[key] = hits
            while len(_related_kept) > RELATED_KEPT:
                _related_kept.popitem(last=False)
    return hits


def forget_related() -> None:
    """Drop every kept more-like-this answer (tests; the identity makes them unused anyway)."""
    with _related_lock:
        _related_kept.clear()


def related(*, user, obj, limit: int = 5) -> list[Result]:
    """Items like ``obj`` that the person may open (the "related items" of detail pages): from
    the list the worker keeps (``related.py``), read a few at a time until ``limit`` are found
    that the person may open, or else from the engine now."""
    searchable = next((s for s in searchables() if isinstance(obj, s.model)), None)
    if searchable is None or not _may_search(user):
        return []
    uid = searchable.uid(obj.pk)
    try:  # shown items are checked against the database below, as suggestions are
        kept = listed_related(uid)
        if kept is None:
            return _openable(list(_more_like(uid, viewer_for(user), limit * 2)), user, limit)
        results: list[Result] = []
        for start in range(0, len(kept), limit * 2):
            hits = related_entries(kept[start : start + limit * 2])
            results += _openable(hits, user, limit - len(results))
            if len(results) >= limit:
                break
        return results
    except IndexUnavailableError:  # a detail page shows no related items rather than an error
        return []


def _openable(hits: list[Hit], user, limit: int) -> list[Result]:
    """The first ``limit`` of ``hits`` that ``user`` may open, as results."""
    response = SearchResponse(hits=hits, total=len(hits), page=1, page_size=len(hits) or 1)
    allowed = visible_hits(response, user)
    results = []
    for hit in hits:
        other = allowed.get(hit.uid)
        if other is None:
            continue
        kind = get(hit.kind)
        results.append(
            Result(
                kind=hit.kind,
                kind_label=kind.label,
                icon=kind.icon,
                obj=other,
                title=hit.title,
                url=other.get_absolute_url(),
                score=hit.score,
                snippet=SafeString(""),
            )
        )
        if len(results) >= limit:
            break
    return results


def find(*, user, text: str, kinds=(), limit: int = 5) -> list[dict[str, str]]:
    """The best few matches ``user`` may open, for another app's page (the Q&A board's similar
    questions, ``apps.core.searchables.find``); not counted among the searches people made."""
    if not text.strip():
        return []
    page = search(user=user, text=text, kinds=kinds, page_size=limit, record=False)
    return [
        {"title": result.title, "url": result.url, "kind": str(result.kind_label)}
        for result in page.results
    ]
