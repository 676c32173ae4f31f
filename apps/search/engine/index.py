"""The index folder's lifecycle, writing documents to it, and reading it safely.

``Index`` opens (or makes) the index, turns the portal's plain dicts into Whoosh fields, writes
them under Whoosh's one-writer lock, and gives each thread a searcher that is opened again
whenever the index changes. ``SearchEngine`` (``searcher.py``) adds searching to it.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from contextlib import AbstractContextManager, suppress
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, TypeVar

from whoosh import scoring
from whoosh.fields import Schema

from . import legal
from .analysis import WORD, stopwords
from .analyzers import ThaiWordTokenizer
from .schema import (
    ACCESS_PRIVATE,
    DEFAULT_CONFIG,
    MULTI_VALUED,
    PARENTHESES,
    EngineConfig,
    IndexUnavailableError,
    build_schema,
)
from .sections import section_docs
from .snapshot import Snapshot
from .store import IndexStore

logger = logging.getLogger(__name__)
Result = TypeVar("Result")


class Index:
    """A Whoosh index in ``index_dir``: made when missing, written, and read by thread.

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
        self.store = IndexStore(self.index_dir, config, on_new=on_new, schema=self.new_schema)
        self._schema: Schema | None = None
        self._local = threading.local()

    # ---------------------------------------------------------------- index lifecycle

    def new_schema(self) -> Schema:
        """The fields (and analysis) an index made now gets."""
        return build_schema(self.config)

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
        wanted = self.new_schema()
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
        latest = self._with_sections(_latest(docs))
        if not latest:
            return 0
        with self.writer() as writer:
            self._drop_sections(writer, latest)
            given = self._given()
            for doc in latest.values():
                writer.update_document(**given(self._entry(doc, writer.schema)))
        return len(latest)

    def rebuild(self, docs: Iterable[Mapping[str, Any]]) -> int:
        """Replace the whole index with ``docs`` in one commit; searchers see the old until then."""
        latest = self._with_sections(_latest(docs))
        with self.writer(replace_all=True) as writer:
            given = self._given()
            for doc in latest.values():
                writer.add_document(**given(self._entry(doc, writer.schema)))
        return len(latest)

    def delete(self, uids: Iterable[str]) -> None:
        uids = list(dict.fromkeys(uids))
        if not uids:
            return
        with self.writer() as writer:
            self._drop_sections(writer, uids)
            for uid in uids:
                writer.delete_by_term("uid", uid)

    def write(
        self, writer: Any, docs: Iterable[Mapping[str, Any]], delete: Iterable[str] = ()
    ) -> int:
        """Add or replace ``docs`` and remove ``delete`` with a writer the caller already holds
        (``with engine.writer() as w``), so that reading what to write happens under the lock."""
        latest = self._with_sections(_latest(docs))
        delete = list(dict.fromkeys(delete))
        self._drop_sections(writer, [*latest, *delete])
        for uid in delete:
            if uid not in latest:
                writer.delete_by_term("uid", uid)
        given = self._given()
        for doc in latest.values():
            writer.update_document(**given(self._entry(doc, writer.schema)))
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

    def _fields(self, doc: Mapping[str, Any], schema: Schema | None = None) -> dict[str, Any]:
        """The Whoosh fields of ``doc`` for an index of ``schema`` (the writer's: asking
        ``self.schema`` looks at the index folder each time, twice per entry)."""
        schema = schema if schema is not None else self.schema
        kind = str(doc["kind"])
        pk = doc["pk"]
        uid = str(doc.get("uid") or f"{kind}:{pk}")
        title = str(doc.get("title") or "")
        body = str(doc.get("body") or "")
        law, section = str(doc.get("law") or ""), str(doc.get("section") or "")
        if not (law or section):
            section = legal.leading_section(title, body) or ""
            law = title if section else ""
        analyzer = schema["body"].analyzer
        body_tokens = analyzer.analyse(body)  # kept: Whoosh asks again for the body field
        own = own_title(title, law)
        own_keys = legal.keys_for(section, law, analyzer.analyse)
        fields: dict[str, Any] = {
            "uid": uid,
            "kind": kind,
            "pk": pk,
            "title": own,
            "_stored_title": title,
            "law": law,
            "section": ",".join(own_keys),
            "cites": ",".join(legal.cited_keys(body, law, own_keys, analyzer.analyse)),
            "title_key": _title_key(analyzer.analyse(PARENTHESES.sub(" ", own))),
            "body": body,
            "partial": self._partial(own, body, body_tokens),
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
        return {
            name: value
            for name, value in fields.items()
            if name in schema or name.removeprefix("_stored_") in schema
        }

    # ---------------------------------------------------------------- sections (``sections.py``)

    def _with_sections(self, latest: dict[str, Mapping[str, Any]]) -> dict[str, Mapping[str, Any]]:
        """``latest`` (uid → document) with the section entries of its split records after
        each record (none in an index made before the ``parent`` field: ``rebuild_index`` adds
        them). A section is given as a document too, its fields made when it is written."""
        if "parent" not in self.schema.names() or not any(
            doc.get("sections") for doc in latest.values()
        ):
            return latest
        entries: dict[str, Mapping[str, Any]] = {}
        for uid, doc in latest.items():
            entries[uid] = doc
            if doc.get("sections"):
                for section in section_docs(doc, uid):
                    entries[str(section["uid"])] = {**section, _PARENT: uid}
        return entries

    def _entry(self, doc: Mapping[str, Any], schema: Schema | None = None) -> dict[str, Any]:
        """The fields of a record's or a section's entry."""
        fields = self._fields(doc, schema)
        if _PARENT in doc:
            fields["parent"] = doc[_PARENT]
        return fields

    def _drop_sections(self, writer: Any, uids: Iterable[str]) -> None:
        """Delete the section entries of the records ``uids`` (written again or deleted): a
        record's sections are always written whole, so none of the old ones may stay."""
        if "parent" not in self.schema.names():
            return
        with writer.reader() as reader:
            split = set(reader.field_terms("parent"))
        if not split:
            return
        for uid in dict.fromkeys(uids):
            if uid in split:
                writer.delete_by_term("parent", uid)

    def _given(self) -> Callable[[dict[str, Any]], dict[str, Any]]:
        """What Whoosh is given of a document's fields: without the empty texts of fields that
        Whoosh would do nothing with (indexed, yielding no term for "", neither stored, sortable
        nor vectored: no posting, no length, no value). Whoosh still walks each field it is
        given, and most entries leave half their fields empty (the import of the legal corpus
        spent a fifth of its index writing on them)."""
        schema = self.schema
        idle = {
            name
            for name, field in schema.items()
            if field.indexed
            and not field.stored
            and field.column_type is None
            and not field.vector
            and not field.separate_spelling()
            and not any(True for _ in field.index(""))
        }

        def given(fields: dict[str, Any]) -> dict[str, Any]:
            return {k: v for k, v in fields.items() if not (v == "" and k in idle)}

        return given

    def _partial(self, title: str, body: str, body_tokens: tuple[Any, ...]) -> str | list[str]:
        """What the partial field is given: the title (its n-grams find parts of its words)."""
        return title

    @property
    def schema(self) -> Schema:
        """The schema the index was built with (its analysis settings included). Kept once
        read: a searcher opened on a changed index replaces it (``_snapshot``), so the folder
        is not looked at again for it (three times a search page, issue 20)."""
        if self._schema is None:
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


#: The key a section entry's document carries its record's uid under (the ``parent`` field).
_PARENT = "_parent"


def _latest(docs: Iterable[Mapping[str, Any]]) -> dict[str, Mapping[str, Any]]:
    """The documents by uid, the last of one uid winning. Their fields are made one document at
    a time, right before Whoosh indexes them: the body ``_fields`` analysed is then still the
    text analysed last when Whoosh analyses it again (``analysis.analyse`` answers it at once),
    where fields made for a whole batch first had each body analysed twice."""
    return {str(doc.get("uid") or f"{doc['kind']}:{doc['pk']}"): doc for doc in docs}


def own_title(title: str, law: str) -> str:
    """The words of a section's title that are its own: without the name of its law, which
    every section of the law shares (``law`` field)."""
    if law and title.startswith(law):
        return title[len(law) :].strip(" -–—:,")
    return title


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
