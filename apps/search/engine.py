"""The search engine: one Whoosh index of everything the portal can find.

Only this package imports Whoosh, so the engine can change without the rest of the portal
noticing. The Django side (which records go in, when, who may see what) turns records into plain
dicts for ``SearchEngine.upsert`` and viewers into ``Viewer``; nothing here imports Django.

The fields, the engine's settings and the request and result types are in ``schema.py``.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from contextlib import AbstractContextManager, suppress
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, TypeVar

from whoosh import scoring, sorting
from whoosh.fields import Schema
from whoosh.query import (
    And,
    Every,
    Prefix,
    Query,
    Term,
)

# Whoosh's plain Or picks a "preloaded array" matcher on indexes under 5,000 documents, and that
# matcher returns wrong hits once it is nested inside AndMaybe/Or (whoosh-reloaded 2.7.5). The
# binary-tree Or is always right; the plain one is used only as the whole query.
from whoosh.query.compound import DefaultOr as Or

from apps.search import spelling
from apps.search.analysis import (
    WORD,
    ThaiWordTokenizer,
    normalize,
    stopwords,
    word_prefixes,
)
from apps.search.highlight import highlight
from apps.search.query import (
    NOTHING,
    Built,
    ParsedQuery,
    build_query,
    field_query,
    parse,
)
from apps.search.schema import (
    ACCESS_ALL,
    ACCESS_KM,
    ACCESS_PRIVATE,
    ACCESS_TEAM,
    DEFAULT_CONFIG,
    FACET_FIELDS,
    MULTI_VALUED,
    PARENTHESES,
    EngineConfig,
    Hit,
    IndexLockedError,
    IndexUnavailableError,
    SearchRequest,
    SearchResponse,
    Viewer,
    access_filter,
    build_schema,
)
from apps.search.snapshot import Scope, Snapshot
from apps.search.store import IndexStore

__all__ = [
    "ACCESS_ALL",
    "ACCESS_KM",
    "ACCESS_PRIVATE",
    "ACCESS_TEAM",
    "DEFAULT_CONFIG",
    "FACET_FIELDS",
    "EngineConfig",
    "Hit",
    "IndexLockedError",
    "IndexUnavailableError",
    "SearchEngine",
    "SearchRequest",
    "SearchResponse",
    "Viewer",
    "access_filter",
    "build_schema",
    "highlight",
]

logger = logging.getLogger(__name__)
Result = TypeVar("Result")


class SearchEngine:
    """A Whoosh index in ``index_dir`` and everything the portal does with it.

    ``on_new(index_id)`` is called when an index is made in the folder (see ``store.py``).
    Reading never fails with Whoosh's or the file system's errors: a damaged index raises
    ``IndexUnavailableError``, and an index that changed under a reader (a commit, a rebuild, a
    folder made again) is simply opened again.
    """

    def __init__(
        self,
        index_dir: Path | str,
        config: EngineConfig = DEFAULT_CONFIG,
        on_new: Callable[[str], None] | None = None,
    ):
        self.index_dir = Path(index_dir)
        self.config = config
        self.store = IndexStore(self.index_dir, config, on_new=on_new)
        self._schema: Schema | None = None
        self._local = threading.local()

    # ---------------------------------------------------------------- index lifecycle

    def open_or_create(self) -> Any:
        """Open the index, creating an empty one (safely across processes) if there is none."""
        ix = self.store.open()
        if self._schema is None:
            # FileIndex.schema unpickles the table of contents on every access: keep it.
            self._schema = ix.schema
        return ix

    @property
    def index_id(self) -> str:
        """The identity of the index in the folder (a new one whenever it is made again)."""
        try:
            return self.store.index_id
        except Exception as error:  # a table of contents that cannot be read
            raise IndexUnavailableError(str(error)) from error

    def is_current(self) -> bool:
        """False when the index was built with another schema or analysis: rebuild it."""
        stored = self.schema
        wanted = build_schema(self.config)
        if sorted(stored.names()) != sorted(wanted.names()):
            return False
        return all(
            getattr(stored[name], "analyzer", None) == getattr(wanted[name], "analyzer", None)
            for name in wanted.names()
        )

    def writer(
        self, timeout: float | None = None, *, replace_all: bool = False, optimize: bool = False
    ) -> AbstractContextManager[Any]:
        """A Whoosh writer, committed at the end of the block and undone on error.

        Whoosh allows one writer per index; other processes wait for the lock with backoff for
        up to ``timeout`` seconds (``config.lock_timeout``) before ``IndexLockedError``.
        ``replace_all``: the commit drops every document written before this writer;
        ``optimize``: it merges all segments into one.
        """
        return self.store.writer(timeout, replace_all=replace_all, optimize=optimize)

    def upsert(self, docs: Iterable[Mapping[str, Any]]) -> int:
        """Add or replace documents by uid; returns how many were written."""
        latest: dict[str, dict[str, Any]] = {}
        for doc in docs:
            fields = self._fields(doc)
            latest[fields["uid"]] = fields  # the same uid twice in one batch: the last wins
        if not latest:
            return 0
        with self.writer() as writer:
            for fields in latest.values():
                writer.update_document(**fields)
        return len(latest)

    def rebuild(self, docs: Iterable[Mapping[str, Any]]) -> int:
        """Replace the whole index with ``docs`` in one commit; searchers see the old until then."""
        latest: dict[str, dict[str, Any]] = {}
        for doc in docs:
            fields = self._fields(doc)
            latest[fields["uid"]] = fields  # the same uid twice: the last wins
        with self.writer(replace_all=True) as writer:
            for fields in latest.values():
                writer.add_document(**fields)
        return len(latest)

    def delete(self, uids: Iterable[str]) -> None:
        uids = list(dict.fromkeys(uids))
        if not uids:
            return
        with self.writer() as writer:
            for uid in uids:
                writer.delete_by_term("uid", uid)

    def write(
        self, writer: Any, docs: Iterable[Mapping[str, Any]], delete: Iterable[str] = ()
    ) -> int:
        """Add or replace ``docs`` and remove ``delete`` with a writer the caller already holds
        (``with engine.writer() as w``), so that reading what to write happens under the lock."""
        latest = {}
        for doc in docs:
            fields = self._fields(doc)
            latest[fields["uid"]] = fields
        for uid in dict.fromkeys(delete):
            if uid not in latest:
                writer.delete_by_term("uid", uid)
        for fields in latest.values():
            writer.update_document(**fields)
        return len(latest)

    def clear(self) -> None:
        """Remove every document."""
        with self.writer(replace_all=True):
            pass

    def optimize(self) -> None:
        """Merge all segments into one (after a large import)."""
        with self.writer(optimize=True):
            pass

    def uids_with_stamps(self) -> dict[str, str]:
        """Every indexed uid and its stamp, to compare with the database."""
        with self.open_or_create().searcher() as searcher:
            return {f["uid"]: f.get("stamp") or "" for f in searcher.all_stored_fields()}

    def count(self) -> int:
        return self._reading(lambda snap: snap.reader.doc_count())

    def _fields(self, doc: Mapping[str, Any]) -> dict[str, Any]:
        kind = str(doc["kind"])
        pk = doc["pk"]
        uid = str(doc.get("uid") or f"{kind}:{pk}")
        title = str(doc.get("title") or "")
        body = str(doc.get("body") or "")
        analyzer = self._word_analyzer
        body_tokens = analyzer.analyse(body)  # kept: Whoosh asks again for the body field
        partial: str | list[str] = title
        if self.config.partial_source == "all":
            partial = f"{title}\n{body}"
        if self.config.partial_mode == "prefix":
            # The terms themselves, so the text is not analysed again.
            tokens = analyzer.analyse(title)
            if self.config.partial_source == "all":
                tokens = (*tokens, *body_tokens)
            partial = sorted(word_prefixes(tokens, self.config.gram_size))
        fields: dict[str, Any] = {
            "uid": uid,
            "kind": kind,
            "pk": pk,
            "title": title,
            "title_key": _title_key(analyzer.analyse(PARENTHESES.sub(" ", title))),
            "body": body,
            "partial": partial,
            "code": str(doc.get("code") or ""),
            "doc_type": str(doc.get("doc_type") or ""),
            "access": str(doc.get("access") or ACCESS_PRIVATE),
            "stamp": str(doc.get("stamp") or ""),
            "keyterms": _keyterms(body_tokens),
            "data": dict(doc.get("data") or {}),
        }
        for name in MULTI_VALUED:
            fields[name] = _keywords(doc.get(name))
        when = doc.get("date")
        if isinstance(when, datetime):
            if when.tzinfo is not None:
                when = when.astimezone(UTC).replace(tzinfo=None)
            fields["date"] = when
        elif isinstance(when, date):
            fields["date"] = datetime(when.year, when.month, when.day)
        year = doc.get("year")
        if year is None and "date" in fields:
            year = fields["date"].year + 543
        if year is not None:
            fields["year"] = int(year)
        # An index built before a field was added keeps working (without it) until rebuilt.
        names = set(self.schema.names())
        return {name: value for name, value in fields.items() if name in names}

    @property
    def schema(self) -> Schema:
        """The schema the index was built with (its analysis settings included)."""
        self.open_or_create()
        return self._schema

    @property
    def _word_analyzer(self) -> ThaiWordTokenizer:
        return self.schema["body"].analyzer

    # ---------------------------------------------------------------- reading

    def _snapshot(self) -> Snapshot:
        """This thread's searcher, opened again whenever the index changed: a commit, a rebuild
        that replaced it, a folder deleted and made again (its numbers start again, so the
        folder and the table of contents file themselves are compared, not only numbers)."""
        identity = self.store.identity()
        snap: Snapshot | None = getattr(self._local, "snapshot", None)
        if snap is not None and identity is not None and snap.identity == identity:
            return snap
        self.close()
        # A new searcher, not ``searcher.refresh()``: refresh reuses the readers of unchanged
        # segments and misses deletions made in them since (a replaced document would then be
        # found twice).
        ix = self.store.open()  # makes the index again if its folder is gone
        searcher = ix.searcher(weighting=self._weighting())
        snap = Snapshot(searcher, identity or self.store.identity())
        self._schema = searcher.schema
        self._local.snapshot = snap
        return snap

    def _reading(self, read: Callable[[Snapshot], Result]) -> Result:
        """``read(snapshot)``, tried a second time on a freshly opened index if it fails (the
        index may have changed under the first); then ``IndexUnavailableError``."""
        for attempt in (1, 2):
            try:
                return read(self._snapshot())
            except Exception as error:
                self.close()
                if attempt == 2:
                    logger.exception("the search index %s cannot be read", self.index_dir)
                    raise IndexUnavailableError(str(error)) from error
        raise AssertionError("unreachable")

    def _weighting(self) -> scoring.WeightingModel:
        c = self.config
        return scoring.BM25F(B=c.b, K1=c.k1, title_B=c.title_b)

    def close(self) -> None:
        """Close this thread's searcher."""
        snap = getattr(self._local, "snapshot", None)
        self._local.snapshot = None
        if snap is not None:
            with suppress(Exception):
                snap.close()

    def search(self, request: SearchRequest) -> SearchResponse:
        """Run one search for one viewer; see ``SearchRequest``."""
        started = time.perf_counter()
        return self._reading(lambda snap: self._search(snap, request, started))

    def _search(self, snap: Snapshot, request: SearchRequest, started: float) -> SearchResponse:
        parsed = parse(request.text)
        built = self.build_query(parsed, snap)
        scope = self._scope(snap, request.viewer, request.hidden)
        allowed, masked = self._filters(snap, request, parsed, scope)
        page_size = max(1, min(int(request.page_size), 100))
        page = max(1, int(request.page))
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
            kwargs["groupedby"] = {
                name: sorting.FieldFacet(
                    name, allow_overlap=name in MULTI_VALUED, maptype=sorting.Count
                )
                for name in FACET_FIELDS
            }
        results = snap.searcher.search(query, **kwargs)
        facets: dict[str, list[tuple[Any, int]]] = {}
        if request.facets:
            for name in FACET_FIELDS:
                counts = results.groups(name)
                facets[name] = sorted(
                    ((k, v) for k, v in counts.items() if k not in (None, "")),
                    key=lambda kv: (-kv[1], str(kv[0])),
                )
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
        did_you_mean = None
        # Words and corrections are those of what this viewer may open: a word that only a
        # restricted (or replaced) entry holds is unknown here, and never offered as a correction.
        maybe_unknown = built.unknown or not scope.everything
        if request.spelling and maybe_unknown and len(request.text) <= spelling.SPELLING_MAX_CHARS:
            did_you_mean = spelling.did_you_mean(scope, self._word_analyzer, request.text)
        return SearchResponse(
            hits=hits,
            total=total,
            page=page,
            page_size=page_size,
            facets=facets,
            did_you_mean=did_you_mean,
            terms=tuple(built.terms),
            partials=tuple(built.partials),
            took_ms=(time.perf_counter() - started) * 1000,
        )

    @staticmethod
    def _hit(hit: Any) -> Hit:
        fields = hit.fields()
        when = fields.get("date")
        return Hit(
            uid=fields["uid"],
            kind=fields.get("kind", ""),
            pk=fields.get("pk"),
            title=fields.get("title", ""),
            score=float(hit.score or 0.0),
            date=when.replace(tzinfo=UTC) if isinstance(when, datetime) else None,
            doc_type=fields.get("doc_type", ""),
            year=fields.get("year"),
            data=fields.get("data") or {},
        )

    # ---------------------------------------------------------------- query building

    def build_query(self, parsed: ParsedQuery, snap: Snapshot | None = None) -> Built:
        """The scored Whoosh query for the text of ``parsed`` (filters are applied elsewhere)."""
        return build_query(parsed, snap or self._snapshot(), self._word_analyzer, self.config)

    @staticmethod
    def _scope(snap: Snapshot, viewer: Viewer, hidden: Iterable[str] = ()) -> Scope:
        """What ``viewer`` may open in ``snap``, without the ``hidden`` uids."""
        access = access_filter(viewer)
        allowed = snap.docs(access) if access is not None else None
        uids = sorted(set(hidden))
        masked = snap.docs(Or([Term("uid", uid) for uid in uids])) if uids else frozenset()
        return Scope(snap, allowed, masked)

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
        masked: frozenset[int] | None = scope.hidden or None
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
            mask=set(scope.hidden) or None,
        )
        return [self._hit(h) for h in results]

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
        scored = []
        for term in dict.fromkeys(words):
            if term in stop or len(term) < 2:
                continue
            df = snap.doc_frequency("body", term) + snap.doc_frequency("title", term)
            if df > 1 and (n < 20 or df <= n / 3):  # words in a third of all items say little
                scored.append((math.log(n / df), term))
        top = [term for _, term in sorted(scored, reverse=True)[:12]]
        if not top:
            return []
        query = Or([Or([Term("title", t, boost=2.0), Term("body", t)]) for t in top])
        results = snap.searcher.search(
            query,
            limit=limit,
            filter=set(allowed) if allowed else None,
            mask={docnum, *scope.hidden},
        )
        return [self._hit(h) for h in results]


def _title_key(tokens: Iterable[Any]) -> str:
    """A title's words run together: what ``_title_matches`` looks for in a query."""
    return "".join(tok.text for tok in tokens if tok.kind == WORD)


def _keyterms(tokens: Iterable[Any], limit: int = 24) -> str:
    """The most frequent non-stopwords of a body, stored for ``more_like``."""
    stop = stopwords()
    counts = Counter(
        tok.text
        for tok in tokens
        if tok.kind == WORD and len(tok.text) > 1 and tok.text not in stop
    )
    return " ".join(term for term, _ in counts.most_common(limit))


def _keywords(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (str, int)):
        value = [value]
    return ",".join(str(v).replace(",", " ").strip() for v in value if str(v).strip())
