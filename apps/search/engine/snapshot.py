"""One searcher of the index and what is cached with it, and the part of it one viewer may open.

A ``Snapshot`` is valid as long as its searcher: the engine makes a new one whenever the index
changes (a commit, a rebuild, a folder put back). A ``Scope`` is the documents of a snapshot one
viewer may open; whatever is shown to that viewer and is not itself a hit (did-you-mean words,
counts) is measured against the scope, never against the whole index.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any, NamedTuple

import numpy as np
from whoosh import sorting
from whoosh.query import Every, Query, Term

from .bounded import Bounded

#: Document numbers kept per snapshot in sets of filters and of terms' documents (each a few
#: tens of bytes): about 40 MB each at most, whatever the index's size or the queries.
FILTER_DOCS_BUDGET = 600_000
TERM_DOCS_BUDGET = 600_000
#: Terms whose document frequency is kept (forgotten all at once when over).
DF_ENTRIES = 20_000
#: Answers of "did you mean" kept per snapshot (each a short string).
SPELLING_ENTRIES = 4_096


class FacetTable(NamedTuple):
    """A facet's values over the snapshot as flat arrays: entry i says document ``docs[i]`` has
    value ``values[codes[i]]``. Counting the values of a set of documents is then one
    ``bincount`` over its entries, whatever the number of documents."""

    docs: np.ndarray
    codes: np.ndarray
    values: list[Any]

    def count(self, documents: np.ndarray) -> dict[Any, int]:
        """How many of ``documents`` (a boolean array over document numbers) have each value."""
        if not len(self.docs):
            return {}
        inside = documents[self.docs] if len(documents) else np.zeros(len(self.docs), bool)
        counts = np.bincount(self.codes[inside], minlength=len(self.values))
        return {self.values[i]: int(counts[i]) for i in np.flatnonzero(counts)}


class Snapshot:
    """A searcher and the caches that are valid as long as it is (one per thread)."""

    def __init__(self, searcher: Any, identity: Any = None):
        self.searcher = searcher
        self.identity = identity
        self.reader = searcher.reader()
        self.doc_count = max(1, self.reader.doc_count())
        self.live_count = self.reader.doc_count()  # without deleted documents
        self.slots = self.reader.doc_count_all()  # deleted documents too
        self.filters: Bounded[frozenset[int]] = Bounded(FILTER_DOCS_BUDGET)
        self.df: dict[tuple[str, str], int] = {}
        self.term_docs: Bounded[frozenset[int]] = Bounded(TERM_DOCS_BUDGET)
        self.postings: Any = None  # accumulate.Postings, made on the first scored query
        self._facet_tables: dict[str, FacetTable] = {}
        self._sections: dict[int, int | None] | None = None
        self._section_docs: frozenset[int] = frozenset()
        self._cited: np.ndarray | None = None
        self._cited_factors: dict[float, np.ndarray | None] = {}
        #: "Did you mean" by (the scope's ``key``, the text typed): the same words of the same
        #: documents give the same answer, and a word the index lacks cost 12 ms of Levenshtein
        #: automata a look-up (issue 20). Forgotten with the snapshot, at the index's next change.
        self.spelling: Bounded[tuple[str | None]] = Bounded(SPELLING_ENTRIES, weigh=lambda _v: 0)

    def cited_factors(self, weight: float) -> np.ndarray | None:
        """1 + ``weight`` × ln(1 + citing sections) per document, made once for the snapshot;
        None when no section is cited (nothing to multiply)."""
        if weight not in self._cited_factors:
            cited = self.cited
            self._cited_factors[weight] = 1.0 + weight * np.log1p(cited) if cited.any() else None
        return self._cited_factors[weight]

    @property
    def cited(self) -> np.ndarray:
        """For each document number, how many sections of its law cite it (``cites``: the
        document frequency of its own "<law>#<section>" key there); read once for the snapshot,
        one look-up per section that is cited at all."""
        if self._cited is None:
            cited = np.zeros(self.slots, dtype=np.float64)
            if "cites" in self.reader.schema:
                for term in list(self.reader.field_terms("cites")):
                    if ("section", term) in self.reader:
                        ids = list(self.reader.postings("section", term).all_ids())
                        cited[ids] = self.reader.doc_frequency("cites", term)
            self._cited = cited
        return self._cited

    @property
    def section_parents(self) -> dict[int, int | None]:
        """Each section entry's document number → its record's (None: the record is gone),
        ``sections.py``; read once for the snapshot (a query per split record)."""
        if self._sections is None:
            found: dict[int, int | None] = {}
            if "parent" in self.reader.schema:
                for parent in list(self.reader.field_terms("parent")):
                    record = self.searcher.document_number(uid=parent)
                    for docnum in self.searcher.docs_for_query(Term("parent", parent)):
                        found[docnum] = record
            self._sections = found
            self._section_docs = frozenset(found)
        return self._sections

    @property
    def section_docs(self) -> frozenset[int]:
        """The section entries: never hits of their own."""
        self.section_parents  # noqa: B018 (reads them)
        return self._section_docs

    def doc_frequency(self, fieldname: str, text: str) -> int:
        """How many documents hold the term, deleted ones included (Whoosh's statistics)."""
        key = (fieldname, text)
        value = self.df.get(key)
        if value is None:
            # 0 for a field an index made before it existed lacks (until it is rebuilt)
            schema = self.reader.schema
            value = self.reader.doc_frequency(fieldname, text) if fieldname in schema else 0
            if len(self.df) > DF_ENTRIES:
                self.df.clear()
            self.df[key] = value
        return value

    def docs(self, query: Query) -> frozenset[int]:
        key = repr(query)
        found = self.filters.get(key)
        if found is None:
            found = self.filters.put(key, frozenset(self.searcher.docs_for_query(query)))
        return found

    def docs_with(self, fieldname: str, text: str) -> frozenset[int]:
        """The live (not deleted) documents that hold the term."""
        key = (fieldname, text)
        found = self.term_docs.get(key)
        if found is None:
            if not self.doc_frequency(fieldname, text):
                found = frozenset()
            else:
                found = frozenset(self.reader.postings(fieldname, text).all_ids())
            self.term_docs.put(key, found)
        return found

    def facet_table(self, name: str, groups: Any) -> FacetTable:
        """Each document's values of the facet ``name`` (``groups()``: the Whoosh facets) as a
        ``FacetTable``, read once for the snapshot with one grouped search of every document."""
        found = self._facet_tables.get(name)
        if found is None:
            facet = groups()[name]
            facet.maptype = sorting.UnorderedList
            results = self.searcher.search(Every(), limit=1, groupedby={name: facet})
            values, docs, codes = [], [], []
            for key, docnums in results.groups(name).items():
                codes.extend([len(values)] * len(docnums))
                docs.extend(docnums)
                values.append(key)
            found = FacetTable(
                np.asarray(docs, dtype=np.int64), np.asarray(codes, dtype=np.int64), values
            )
            self._facet_tables[name] = found
        return found

    def close(self) -> None:
        self.searcher.close()


class Scope:
    """The documents of ``snap`` one viewer may open: ``allowed`` (None: every live document)
    without ``hidden`` (entries whose change the index has not taken yet)."""

    def __init__(
        self,
        snap: Snapshot,
        allowed: frozenset[int] | None,
        hidden: frozenset[int] = frozenset(),
        key: Hashable = None,
    ):
        self.snap = snap
        self.allowed = allowed
        self.hidden = hidden
        # What the scope was made from (the access rule and the hidden uids), the same for
        # every viewer with the same scope; None: not to be cached by.
        self.key = key
        if allowed is None:
            self.size = max(0, snap.live_count - len(hidden))
        else:
            self.size = len(allowed - hidden) if hidden else len(allowed)

    @property
    def everything(self) -> bool:
        """Every live document, and the index has no deleted ones: Whoosh's counts are exact."""
        return self.allowed is None and not self.hidden and self.snap.slots == self.snap.live_count

    def frequency(self, fieldname: str, text: str) -> int:
        """How many documents of the scope hold the term."""
        df = self.snap.doc_frequency(fieldname, text)
        if not df or self.everything:
            return df
        docs = self.snap.docs_with(fieldname, text)
        if self.allowed is not None:
            docs = docs & self.allowed
        if self.hidden:
            docs = docs - self.hidden
        return len(docs)

    def holds(self, fieldname: str, text: str) -> bool:
        """Whether any document of the scope holds the term (cheap for common terms)."""
        df = self.snap.doc_frequency(fieldname, text)
        if not df:
            return False
        # More documents hold it than there are documents outside the scope (deleted ones
        # included): one of them must be inside.
        if df > self.snap.slots - self.size:
            return True
        return self.frequency(fieldname, text) > 0
