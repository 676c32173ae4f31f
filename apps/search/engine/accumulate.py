"""Term-at-a-time scoring for long queries (a pasted passage, a case, "more like this").

A paragraph-long question has 50-200 distinct terms. Whoosh scores an OR of that many terms
document at a time, moving every term's matcher for every candidate, which takes a second on
5,000 sections. Here every term is scored, none dropped: the postings of each (field, term) are
read once per snapshot into two flat arrays (document numbers and the BM25 term-frequency part,
which depends only on the document), and a query adds ``weight × part`` into one accumulator per
document, term after term. The score is the one Whoosh's BM25F gives the same ``Term`` clauses
(``idf × tf-part × boost``), so both paths rank alike.

Nothing here knows the query language: ``top_k`` takes (field, term, weight) triples.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
from whoosh.query import Query

from .bounded import Bounded

#: Postings kept per snapshot, counted one by one (12 bytes each in the arrays): about 12 MB at
#: most, the least recently used terms going first, whatever the index's size or the queries.
POSTINGS_BUDGET = 1_000_000


class Postings:
    """The postings of one snapshot, as flat arrays of global document numbers and BM25
    term-frequency parts, read on first use and kept while the snapshot lives."""

    def __init__(self, searcher: Any, k1: float, b: float, field_b: dict[str, float]):
        self.searcher = searcher
        self.reader = searcher.reader()
        self.k1 = k1
        self.b = b
        self.field_b = field_b
        self.slots = self.reader.doc_count_all()
        self._cache: Bounded[tuple[np.ndarray, np.ndarray]] = Bounded(
            POSTINGS_BUDGET, lambda p: len(p[0])
        )
        self._lengths: dict[str, np.ndarray] = {}
        self._deleted: frozenset[int] | None = None
        self._deleted_mask: np.ndarray | None = None

    @property
    def deleted(self) -> frozenset[int]:
        if self._deleted is None:
            gone: set[int] = set()
            for leaf, offset in self.reader.leaf_readers():
                if leaf.has_deletions():
                    gone.update(
                        offset + d for d in range(leaf.doc_count_all()) if leaf.is_deleted(d)
                    )
            self._deleted = frozenset(gone)
        return self._deleted

    @property
    def deleted_mask(self) -> np.ndarray:
        """True at each deleted document's number."""
        if self._deleted_mask is None:
            mask = np.zeros(self.slots, dtype=bool)
            mask[list(self.deleted)] = True
            self._deleted_mask = mask
        return self._deleted_mask

    def lengths(self, fieldname: str) -> np.ndarray:
        """Each document's length of ``fieldname`` (as Whoosh stores it, one byte rounded)."""
        found = self._lengths.get(fieldname)
        if found is None:
            found = np.zeros(self.slots, dtype=np.float64)
            for leaf, offset in self.reader.leaf_readers():
                for docnum in range(leaf.doc_count_all()):
                    found[offset + docnum] = leaf.doc_field_length(docnum, fieldname, 1) or 0
            self._lengths[fieldname] = found
        return found

    def get(self, fieldname: str, text: str) -> tuple[np.ndarray, np.ndarray]:
        """(document numbers, BM25 tf parts) of the term's live postings."""
        key = (fieldname, text)
        found = self._cache.get(key)
        if found is None:
            found = self._cache.put(key, self._read(fieldname, text))
        return found

    def _read(self, fieldname: str, text: str) -> tuple[np.ndarray, np.ndarray]:
        ids: list[int] = []
        tfs: list[float] = []
        for leaf, offset in self.reader.leaf_readers():
            if (fieldname, text) not in leaf:
                continue
            matcher = leaf.postings(fieldname, text)
            matcher = getattr(matcher, "child", matcher)  # deletions are filtered below
            block_ids, block_tfs = _read_blocks(matcher)
            ids.extend(block_ids if not offset else [offset + d for d in block_ids])
            tfs.extend(block_tfs)
        docs = np.asarray(ids, dtype=np.int32)
        tf = np.asarray(tfs, dtype=np.float64)
        k1 = self.k1
        b = self.field_b.get(fieldname, self.b)
        average = self.searcher.avg_field_length(fieldname) or 1.0
        # BM25's tf part: tf (k1 + 1) / (tf + k1 (1 - b + b len / avglen))
        base, slope = k1 * (1 - b), k1 * b / average
        parts = tf * (k1 + 1) / (tf + base + slope * self.lengths(fieldname)[docs])
        if self.deleted:
            live = ~self.deleted_mask[docs]
            docs, parts = docs[live], parts[live]
        return docs, parts


def _read_blocks(matcher: Any) -> tuple[Sequence[int], Sequence[float]]:
    """All ids and weights of a leaf matcher, a whole block at a time where it can."""
    ids: list[int] = []
    weights: list[float] = []
    if hasattr(matcher, "_read_ids") and hasattr(matcher, "_next_block"):
        while matcher.is_active():
            matcher._read_ids()
            matcher._read_weights()
            ids.extend(matcher._ids)
            weights.extend(matcher._weights)
            matcher._next_block()
        return ids, weights
    while matcher.is_active():  # any other matcher: one posting at a time
        ids.append(matcher.id())
        weights.append(matcher.weight())
        matcher.next()
    return ids, weights


def accumulate(
    postings: Postings, weighted: Iterable[tuple[str, str, float]], extra: Iterable[Query] = ()
) -> np.ndarray:
    """Each document's score: the sum over (field, term, weight) of weight × idf × tf part,
    plus the score of each ``extra`` query (small ones: title matches, parts of words), which
    is what Whoosh's BM25F gives an OR of the same clauses."""
    scores = np.zeros(postings.slots, dtype=np.float64)
    idf = postings.searcher.idf
    for fieldname, text, weight in weighted:
        factor = weight * idf(fieldname, text)
        ids, parts = postings.get(fieldname, text)
        scores[ids] += factor * parts  # a term's postings name each document once
    add_extra(postings, extra, scores)
    return scores


def add_extra(postings: Postings, extra: Iterable[Query], scores: Any) -> None:
    """Add each ``extra`` query's score (Whoosh's matcher, document at a time) into ``scores``."""
    for query in extra:
        for searcher, offset in postings.searcher.leaf_searchers():
            matcher = query.matcher(searcher)
            while matcher.is_active():
                scores[offset + matcher.id()] += matcher.score()
                matcher.next()


def top_k(
    scores: np.ndarray,
    k: int,
    allowed: frozenset[int] | set[int] | None = None,
    masked: frozenset[int] | set[int] | None = None,
) -> tuple[list[tuple[int, float]], set[int]]:
    """The ``k`` best (document, score) among the scored documents ``allowed`` and not
    ``masked``, best first (ties: lower document number first), and every matched document."""
    keep = scores > 0.0
    if allowed is not None:
        keep &= _mask(allowed, len(scores))
    if masked:
        keep &= ~_mask(masked, len(scores))
    matched = np.flatnonzero(keep)
    if k < len(matched):
        # the k best by score; the k-th score's ties are all kept, then ordered by number
        kth = np.partition(scores[matched], len(matched) - k)[len(matched) - k]
        candidates = matched[scores[matched] >= kth]
    else:
        candidates = matched
    order = np.lexsort((candidates, -scores[candidates]))[:k]
    best = [(int(d), float(scores[d])) for d in candidates[order]]
    return best, set(matched.tolist())


def _mask(docs: frozenset[int] | set[int], size: int) -> np.ndarray:
    mask = np.zeros(size, dtype=bool)
    if docs:
        numbers = np.fromiter(docs, dtype=np.int64, count=len(docs))
        mask[numbers[numbers < size]] = True
    return mask
