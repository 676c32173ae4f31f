"""Searching the index: one query for one viewer, suggestions as you type, related items.

Only this package imports Whoosh, so the engine can change without the rest of the portal
noticing. The Django side (which records go in, when, who may see what) turns records into plain
dicts for ``SearchEngine.upsert`` and viewers into ``Viewer``; nothing here imports Django.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

import numpy as np
from whoosh import sorting
from whoosh.query import And, Every, Prefix, Query, Term

# Whoosh's plain Or picks a "preloaded array" matcher on indexes under 5,000 documents, and that
# matcher returns wrong hits once it is nested inside AndMaybe/Or (whoosh-reloaded 2.7.5). The
# binary-tree Or is always right; the plain one is used only as the whole query.
from whoosh.query.compound import DefaultOr as Or

from . import spelling
from .accumulate import Postings, accumulate, top_k, top_k_pruned
from .analysis import WORD, normalize, stopwords
from .index import Index
from .pipeline import STAGES, Built, Stage, build_query
from .query import NOTHING, ParsedQuery, as_passage, field_query, parse
from .schema import (
    FACET_FIELDS,
    MULTI_VALUED,
    Hit,
    SearchRequest,
    SearchResponse,
    Viewer,
    access_filter,
)
from .sections import lift
from .snapshot import Scope, Snapshot


class SearchEngine(Index):
    """An ``Index`` and everything the portal does with it: search, suggest, more like this.

    Reading never fails with Whoosh's or the file system's errors: a damaged index raises
    ``IndexUnavailableError``, and an index that changed under a reader (a commit, a rebuild, a
    folder made again) is simply opened again.
    """

    #: How a query is built (``pipeline.py``); bench/ runs other stages to try variants.
    stages: tuple[Stage, ...] = STAGES

    def search(self, request: SearchRequest) -> SearchResponse:
        """Run one search for one viewer; see ``SearchRequest``."""
        started = time.perf_counter()
        return self._reading(lambda snap: self._search(snap, request, started))

    def _search(self, snap: Snapshot, request: SearchRequest, started: float) -> SearchResponse:
        parsed = as_passage(parse(request.text))
        built = self.build_query(parsed, snap)
        scope = self._scope(snap, request.viewer, request.hidden)
        allowed, masked = self._filters(snap, request, parsed, scope)
        page_size = max(1, min(int(request.page_size), 100))
        page = max(1, int(request.page))
        if self._term_at_a_time(built, parsed, request):
            return self._search_long(snap, request, built, scope, (allowed, masked), started)
        query = built.query if built.query is not None else Every()
        if allowed is not None and not allowed:
            # Whoosh reads an empty filter as "no filter": nothing visible must mean no hits.
            query, allowed = NOTHING, None
        kwargs: dict[str, Any] = {
            "filter": set(allowed) if allowed is not None else None,
            "mask": set(masked) if masked else None,
            "limit": page * page_size,
        }
        if request.sort == "date":
            kwargs["sortedby"] = sorting.FieldFacet("date", reverse=True)
        elif request.sort == "date_asc":
            kwargs["sortedby"] = sorting.FieldFacet("date")
        if request.facets:
            kwargs["groupedby"] = _facet_groups()
        results = snap.searcher.search(query, **kwargs)
        facets: dict[str, list[tuple[Any, int]]] = {}
        if request.facets:
            facets = _facet_counts(results)
            total = sum(count for _, count in facets["kind"])
        elif results.has_exact_length():
            total = len(results)
        else:  # the top-N collector skipped blocks: count separately
            matched = set(snap.searcher.docs_for_query(query))
            if allowed is not None:
                matched &= allowed
            if masked:
                matched -= masked
            total = len(matched)
        hits = [self._hit(h) for h in results[(page - 1) * page_size : page * page_size]]
        return self._response(snap, request, built, scope, hits, total, facets, started)

    @staticmethod
    def _term_at_a_time(built: Built, parsed: ParsedQuery, request: SearchRequest) -> bool:
        """A query that only adds its clauses up, ranked by relevance."""
        return (
            built.weighted is not None
            and bool(built.weighted or built.extra)
            and request.sort == "relevance"
        )

    def _search_long(
        self,
        snap: Snapshot,
        request: SearchRequest,
        built: Built,
        scope: Scope,
        filters: tuple[frozenset[int] | None, frozenset[int] | None],
        started: float,
    ) -> SearchResponse:
        """A pasted passage: every term scored, added up term at a time (``accumulate``)."""
        page_size = max(1, min(int(request.page_size), 100))
        page = max(1, int(request.page))
        allowed, masked = filters
        scores = accumulate(self._postings(snap), built.weighted, built.extra)
        factors = snap.cited_factors(self.config.cited_weight) if self.config.cited_weight else None
        if factors is not None:
            scores *= factors
        opened = lift(scores, snap.section_parents)  # a split record: its best section's score
        best, matched = top_k(scores, page * page_size, allowed, masked)
        facets: dict[str, list[tuple[Any, int]]] = {}
        if request.facets:
            inside = np.zeros(snap.slots, dtype=bool)
            if matched:
                inside[np.fromiter(matched, dtype=np.int64, count=len(matched))] = True
            facets = {
                name: _ordered(snap.facet_table(name, _facet_groups).count(inside))
                for name in FACET_FIELDS
            }
        stored = snap.searcher.stored_fields
        hits = [
            self._opened_at(self._hit_of(stored(docnum), score), opened.get(docnum), stored)
            for docnum, score in best[(page - 1) * page_size : page * page_size]
        ]
        return self._response(snap, request, built, scope, hits, len(matched), facets, started)

    @staticmethod
    def _opened_at(hit: Hit, section: int | None, stored: Any) -> Hit:
        """``hit`` with the section it opens at (``data["section"]``, e.g. "มาตรา 40")."""
        if section is not None:
            label = (stored(section).get("data") or {}).get("section")
            if label:
                hit.data = {**hit.data, "section": label}
        return hit

    def _postings(self, snap: Snapshot) -> Postings:
        if snap.postings is None:
            c = self.config
            snap.postings = Postings(snap.searcher, c.k1, c.b, {"title": c.title_b})
        return snap.postings

    def _response(
        self,
        snap: Snapshot,
        request: SearchRequest,
        built: Built,
        scope: Scope,
        hits: list[Hit],
        total: int,
        facets: dict[str, list[tuple[Any, int]]],
        started: float,
    ) -> SearchResponse:
        page_size = max(1, min(int(request.page_size), 100))
        did_you_mean = None
        # Words and corrections are those of what this viewer may open: a word that only a
        # restricted (or replaced) entry holds is unknown here, and never offered as a correction.
        maybe_unknown = built.unknown or not scope.everything
        if request.spelling and maybe_unknown and len(request.text) <= spelling.SPELLING_MAX_CHARS:
            did_you_mean = self._did_you_mean(scope, request.text)
        return SearchResponse(
            hits=hits,
            total=total,
            page=max(1, int(request.page)),
            page_size=page_size,
            facets=facets,
            did_you_mean=did_you_mean,
            terms=tuple(built.terms),
            partials=tuple(built.partials),
            took_ms=(time.perf_counter() - started) * 1000,
        )

    def _did_you_mean(self, scope: Scope, text: str) -> str | None:
        """``spelling.did_you_mean``, kept in the snapshot for the scope it was measured in."""
        if scope.key is None:
            return spelling.did_you_mean(scope, self._word_analyzer, text)
        key = (scope.key, self._word_analyzer, text)
        known = scope.snap.spelling.get(key)
        if known is None:
            known = (spelling.did_you_mean(scope, self._word_analyzer, text),)
            scope.snap.spelling.put(key, known)
        return known[0]

    @classmethod
    def _hit(cls, hit: Any) -> Hit:
        return cls._hit_of(hit.fields(), hit.score)

    @staticmethod
    def _hit_of(fields: dict[str, Any], score: float | None) -> Hit:
        when = fields.get("date")
        return Hit(
            uid=fields["uid"],
            kind=fields.get("kind", ""),
            pk=fields.get("pk"),
            title=fields.get("title", ""),
            score=float(score or 0.0),
            date=when.replace(tzinfo=UTC) if isinstance(when, datetime) else None,
            doc_type=fields.get("doc_type", ""),
            year=fields.get("year"),
            data=fields.get("data") or {},
        )

    # ---------------------------------------------------------------- query building

    def build_query(self, parsed: ParsedQuery, snap: Snapshot | None = None) -> Built:
        """The scored Whoosh query for the text of ``parsed`` (filters are applied elsewhere)."""
        snap = snap or self._snapshot()
        return build_query(parsed, snap, self._word_analyzer, self.config, self.stages)

    @staticmethod
    def _scope(snap: Snapshot, viewer: Viewer, hidden: Iterable[str] = ()) -> Scope:
        """What ``viewer`` may open in ``snap``, without the ``hidden`` uids."""
        access = access_filter(viewer)
        allowed = snap.docs(access) if access is not None else None
        uids = sorted(set(hidden))
        masked = snap.docs(Or([Term("uid", uid) for uid in uids])) if uids else frozenset()
        key = (repr(access) if access is not None else None, tuple(uids))
        return Scope(snap, allowed, masked, key=key)

    def _filters(
        self, snap: Snapshot, request: SearchRequest, parsed: ParsedQuery, scope: Scope
    ) -> tuple[frozenset[int] | None, frozenset[int] | None]:
        """Documents allowed (access and filters) and masked (excluded filters, and entries the
        index has not caught up with), as doc sets."""
        wanted: dict[str, list[str]] = {name: list(v) for name, v in parsed.filters.items()}
        for name, values in (
            ("kind", request.kinds),
            ("doc_type", request.doc_types),
            ("category", request.categories),
            ("year", request.years),
            ("team", request.teams),
        ):
            if values:
                wanted.setdefault(name, []).extend(str(v) for v in values)
        sets: list[frozenset[int]] = []
        if scope.allowed is not None:
            sets.append(scope.allowed)
        for name, values in wanted.items():
            if name == "code":
                continue
            sets.append(snap.docs(field_query(name, values)))
        for keyword in request.extra:
            sets.append(snap.docs(Term("extra", str(keyword))))
        allowed: frozenset[int] | None = None
        if sets:
            allowed = sets[0]
            for other in sets[1:]:
                allowed = allowed & other
        # Sections of split records are never hits of their own (``sections.py``).
        masked: frozenset[int] | None = (scope.hidden | snap.section_docs) or None
        for name, values in parsed.excluded_filters.items():
            if name == "code":
                continue
            found = snap.docs(field_query(name, values))
            masked = found if masked is None else masked | found
        return allowed, masked

    # ---------------------------------------------------------------- spelling, suggest, related

    def suggest(
        self, prefix: str, viewer: Viewer, limit: int = 8, hidden: Iterable[str] = ()
    ) -> list[Hit]:
        """Titles visible to ``viewer`` with a word starting with what has been typed."""
        return self._reading(lambda snap: self._suggest(snap, prefix, viewer, limit, hidden))

    def _suggest(
        self, snap: Snapshot, prefix: str, viewer: Viewer, limit: int, hidden: Iterable[str]
    ) -> list[Hit]:
        text = normalize(prefix).strip()
        if len(text) < 2:
            return []
        tokens = [t.text for t in self._word_analyzer.analyse(text) if t.kind == WORD]
        options: list[Query] = [Prefix("title", text.replace(" ", ""))]
        if len(tokens) > 1:
            options.append(
                And([*(Term("title", t) for t in tokens[:-1]), Prefix("title", tokens[-1])])
            )
        elif tokens and tokens[0] != text:
            options.append(Prefix("title", tokens[0]))
        scope = self._scope(snap, viewer, hidden)
        if scope.allowed is not None and not scope.allowed:
            return []
        results = snap.searcher.search(
            Or(options),
            limit=limit,
            filter=set(scope.allowed) if scope.allowed is not None else None,
            mask=set(scope.hidden | snap.section_docs) or None,
        )
        return [self._hit(h) for h in results]

    def entries(self, uids: Iterable[str]) -> list[Hit]:
        """The index's entries for ``uids``, in that order, leaving out those it does not hold
        (no access check: the caller checks each against the database)."""

        def read(snap: Snapshot) -> list[Hit]:
            searcher, found = snap.searcher, []
            for uid in uids:
                docnum = searcher.document_number(uid=uid)
                if docnum is not None:
                    found.append(self._hit_of(searcher.stored_fields(docnum), None))
            return found

        return self._reading(read)

    def more_like(
        self, uid: str, viewer: Viewer, limit: int = 5, hidden: Iterable[str] = ()
    ) -> list[Hit]:
        """Items like ``uid`` (by its title and key terms) that ``viewer`` may see."""
        return self._reading(lambda snap: self._more_like(snap, uid, viewer, limit, hidden))

    def _more_like(
        self, snap: Snapshot, uid: str, viewer: Viewer, limit: int, hidden: Iterable[str]
    ) -> list[Hit]:
        docnum = snap.searcher.document_number(uid=uid)
        scope = self._scope(snap, viewer, hidden)
        allowed = scope.allowed
        if docnum is None or (allowed is not None and docnum not in allowed):
            return []
        stored = snap.searcher.stored_fields(docnum)
        analyzer = self._word_analyzer
        stop = stopwords()
        words = [t.text for t in analyzer.analyse(stored.get("title", "")) if t.kind == WORD]
        words += (stored.get("keyterms") or "").split()
        n = snap.doc_count
        weighted: list[tuple[str, str, float]] = []
        for term in dict.fromkeys(words):
            if term in stop or len(term) < 2:
                continue
            dfs = {
                "title": snap.doc_frequency("title", term),
                "body": snap.doc_frequency("body", term),
            }
            df = sum(dfs.values())
            if df > 1 and (n < 20 or df <= n / 3):  # words in a third of all items say little
                boosts = {"title": 2.0, "body": 1.0}
                weighted += [(name, term, boosts[name]) for name in boosts if dfs[name]]
        if not weighted:
            return []
        # Every key term, added up term at a time like a pasted passage (``accumulate``), the
        # commonest ones looked up only for the documents that can still be among the best.
        masked = {docnum, *scope.hidden, *snap.section_docs}
        best = top_k_pruned(
            self._postings(snap), weighted, limit, allowed, masked, snap.doc_frequency
        )
        stored_fields = snap.searcher.stored_fields
        return [self._hit_of(stored_fields(d), score) for d, score in best]


def _facet_groups() -> dict[str, sorting.FieldFacet]:
    return {
        name: sorting.FieldFacet(name, allow_overlap=name in MULTI_VALUED, maptype=sorting.Count)
        for name in FACET_FIELDS
    }


def _facet_counts(results: Any) -> dict[str, list[tuple[Any, int]]]:
    """Each facet's values with their counts, most first."""
    facets = {}
    for name in FACET_FIELDS:
        counts = results.groups(name)
        facets[name] = sorted(
            ((k, v) for k, v in counts.items() if k not in (None, "")),
            key=lambda kv: (-kv[1], str(kv[0])),
        )
    return facets


def _ordered(counts: dict[Any, int]) -> list[tuple[Any, int]]:
    """A facet's counted values, most first (empty values left out)."""
    return sorted(
        ((k, v) for k, v in counts.items() if k not in (None, "")),
        key=lambda kv: (-kv[1], str(kv[0])),
    )
