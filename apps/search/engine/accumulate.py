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

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import numpy as np
from whoosh.query import Or, Phrase, Query, Term

from .bounded import Bounded

#: Postings kept per snapshot, counted one by one (12 bytes each in the arrays): about 12 MB at
#: most, the least recently used terms going first, whatever the index's size or the queries.
POSTINGS_BUDGET = 1_000_000
#: Documents kept per snapshot for phrases (``Postings.phrase_docs``): 200,000 numbers, under
#: 1 MB, whatever the queries.
PHRASES_BUDGET = 200_000


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
        self._phrases: Bounded[np.ndarray] = Bounded(PHRASES_BUDGET, len)
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

    def parts_of(self, fieldname: str, text: str, docs: np.ndarray) -> np.ndarray:
        """The BM25 tf part of the term in each of ``docs`` (ascending, live), 0 where it is
        absent: each looked up by skipping through the list's blocks (only the blocks holding
        one of them are decoded), the list itself not read whole."""
        tf = np.zeros(len(docs), dtype=np.float64)
        for leaf, offset in self.reader.leaf_readers():
            size = leaf.doc_count_all()
            inside = np.flatnonzero((docs >= offset) & (docs < offset + size))
            if not len(inside) or (fieldname, text) not in leaf:
                continue
            matcher = leaf.postings(fieldname, text)
            matcher = getattr(matcher, "child", matcher)  # the candidates are live
            tf[inside] = _look_up(matcher, docs[inside].astype(np.int64) - offset)
        parts = np.zeros(len(docs), dtype=np.float64)
        held = tf > 0.0
        parts[held] = self._parts(fieldname, tf[held], docs[held])
        return parts

    def phrase_docs(self, fieldname: str, words: Sequence[str]) -> np.ndarray:
        """The live documents (ascending) where ``words`` stand one after the other, in order:
        those holding them all, then their positions looked at (``adjacent``). Kept like a
        term's postings, for this snapshot: a phrase of a partial word (its letter triples)
        is read for every search that types it, and its positions were most of its cost."""
        key = (fieldname, tuple(words))
        found = self._phrases.get(key)
        if found is None:
            lists = [self.get(fieldname, word)[0] for word in words]
            docs = min(lists, key=len)
            for ids in lists:
                docs = np.intersect1d(docs, ids, assume_unique=True)
            if len(words) > 1 and len(docs):
                docs = docs[self.adjacent(fieldname, words, docs)]
            found = self._phrases.put(key, docs)
        return found

    def adjacent(self, fieldname: str, words: Sequence[str], docs: np.ndarray) -> np.ndarray:
        """For each of ``docs`` (ascending, live, holding every word), whether the words stand
        in it one after the other, in order (a phrase of slop 1): some position p of the first
        with p + i a position of the i-th. Only the blocks of each list that hold one of the
        documents are decoded, and only their positions."""
        found = np.zeros(len(docs), dtype=bool)
        for leaf, offset in self.reader.leaf_readers():
            size = leaf.doc_count_all()
            inside = np.flatnonzero((docs >= offset) & (docs < offset + size))
            if not len(inside):
                continue
            local = docs[inside].astype(np.int64) - offset
            positions = []
            for word in words:
                matcher = leaf.postings(fieldname, word)
                matcher = getattr(matcher, "child", matcher)  # the documents are live
                positions.append(_positions(matcher, local))
            for j in range(len(local)):
                first, rest = positions[0][j], [set(p[j]) for p in positions[1:]]
                found[inside[j]] = any(
                    all(start + i in held for i, held in enumerate(rest, 1)) for start in first
                )
        return found

    def _parts(self, fieldname: str, tf: np.ndarray, docs: np.ndarray) -> np.ndarray:
        k1 = self.k1
        b = self.field_b.get(fieldname, self.b)
        average = self.searcher.avg_field_length(fieldname) or 1.0
        # BM25's tf part: tf (k1 + 1) / (tf + k1 (1 - b + b len / avglen))
        base, slope = k1 * (1 - b), k1 * b / average
        return tf * (k1 + 1) / (tf + base + slope * self.lengths(fieldname)[docs])

    def _read(self, fieldname: str, text: str) -> tuple[np.ndarray, np.ndarray]:
        ids: list[np.ndarray] = []
        tfs: list[np.ndarray] = []
        for leaf, offset in self.reader.leaf_readers():
            if (fieldname, text) not in leaf:
                continue
            matcher = leaf.postings(fieldname, text)
            matcher = getattr(matcher, "child", matcher)  # deletions are filtered below
            block_ids, block_tfs = _read_blocks(matcher)
            ids.append(block_ids + offset)
            tfs.append(block_tfs)
        docs = np.concatenate(ids).astype(np.int32) if ids else np.zeros(0, dtype=np.int32)
        tf = np.concatenate(tfs) if tfs else np.zeros(0, dtype=np.float64)
        parts = self._parts(fieldname, tf, docs)
        if self.deleted:
            live = ~self.deleted_mask[docs]
            docs, parts = docs[live], parts[live]
        return docs, parts


def _blockwise(matcher: Any) -> bool:
    """A Whoosh 3 on-disk list, read here a block at a time (its ids decoded by numpy)."""
    return (
        hasattr(matcher, "_read_data")
        and hasattr(matcher, "_next_block")
        and not getattr(matcher, "_byteids", True)
    )


def _block(matcher: Any) -> tuple[np.ndarray, np.ndarray]:
    """The current block's ids and weights. Whoosh keeps the ids as gaps and adds them up a
    Python step per posting (``delta_decode``); a cumulative sum gives the same ids. The
    weights are its ``_read_weights``' (float32 values, 1.0 where none were kept)."""
    if matcher._data is None:
        matcher._read_data()
    gaps, weights = matcher._data[0], matcher._data[1]
    ids = np.cumsum(np.asarray(gaps, dtype=np.int64))
    if weights is None:
        tf = np.ones(len(ids), dtype=np.float64)
    elif isinstance(weights, float):
        tf = np.full(len(ids), np.float32(weights), dtype=np.float64)
    else:
        tf = np.asarray(weights, dtype=np.float32).astype(np.float64)
    return ids, tf


def _look_up(matcher: Any, wanted: np.ndarray) -> np.ndarray:
    """The weight (tf) of each of the ``wanted`` ids (ascending) in the list, 0 where it is
    absent. A block whose highest id is below the next wanted one is passed over on its
    header alone; the others are decoded and searched by bisection."""
    tf = np.zeros(len(wanted), dtype=np.float64)
    if not _blockwise(matcher):
        targets = {int(w): j for j, w in enumerate(wanted)}  # e.g. a short list kept inline
        while matcher.is_active():
            if matcher.id() in targets:
                tf[targets[matcher.id()]] = matcher.weight()
            matcher.next()
        return tf
    for j, end in _blocks_holding(matcher, wanted):
        ids, weights = _block(matcher)
        at = np.minimum(np.searchsorted(ids, wanted[j:end]), len(ids) - 1)
        held = ids[at] == wanted[j:end]
        tf[j:end][held] = weights[at][held]
    return tf


def _blocks_holding(matcher: Any, wanted: np.ndarray) -> Iterator[tuple[int, int]]:
    """For each block of a blockwise list that may hold some of the ``wanted`` ids (ascending):
    ``(j, end)``, those ids being ``wanted[j:end]``, while the matcher stands on that block.
    The other blocks are passed over on their headers alone."""
    j = 0
    while j < len(wanted) and matcher.is_active():
        top = matcher.block_max_id()
        if wanted[j] > top:
            matcher._next_block()
            continue
        end = int(np.searchsorted(wanted, top, side="right"))
        yield j, end
        j = end
        matcher._next_block()


def _positions(matcher: Any, wanted: np.ndarray) -> list[list[int]]:
    """The positions of the term in each of the ``wanted`` ids (ascending, each in the list),
    skipping the blocks that hold none of them as ``_look_up`` does."""
    decode = matcher.format.decoder("positions")
    out: list[list[int]] = [[] for _ in range(len(wanted))]
    if not _blockwise(matcher):
        targets = {int(w): j for j, w in enumerate(wanted)}
        while matcher.is_active():
            if matcher.id() in targets:
                out[targets[matcher.id()]] = list(decode(matcher.value()))
            matcher.next()
        return out
    for j, end in _blocks_holding(matcher, wanted):
        ids, _weights = _block(matcher)
        if matcher._values is None:
            matcher._read_values()
        values = matcher._values
        for k, at in enumerate(np.searchsorted(ids, wanted[j:end]), j):
            if at < len(ids) and ids[at] == wanted[k]:
                out[k] = list(decode(values[at]))
    return out


def _read_blocks(matcher: Any) -> tuple[np.ndarray, np.ndarray]:
    """All ids and weights of a leaf matcher, a whole block at a time where it can."""
    if _blockwise(matcher) and not matcher._lastblock:  # one block: Python is quicker
        blocks = []
        while matcher.is_active():
            blocks.append(_block(matcher))
            matcher._next_block()
        if not blocks:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64)
        return np.concatenate([b[0] for b in blocks]), np.concatenate([b[1] for b in blocks])
    ids: list[int] = []
    weights: list[float] = []
    while matcher.is_active():  # any other matcher: one posting at a time
        ids.append(matcher.id())
        weights.append(matcher.weight())
        matcher.next()
    return np.asarray(ids, dtype=np.int64), np.asarray(weights, dtype=np.float64)


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
    """Add each ``extra`` query's score into ``scores``: terms, phrases and ORs of them from
    the postings arrays (``add_scored``), anything else through Whoosh's matcher, document at
    a time. A partial word's phrase and its body words took Whoosh 50-270 ms a search at
    20,000 documents, walking every list a posting at a time (issue 20)."""
    for query in extra:
        if scorable(postings, query):
            add_scored(postings, query, scores, 1.0)
            continue
        for searcher, offset in postings.searcher.leaf_searchers():
            matcher = query.matcher(searcher)
            while matcher.is_active():
                scores[offset + matcher.id()] += matcher.score()
                matcher.next()


def scorable(postings: Postings, query: Query) -> bool:
    """Whether ``add_scored`` scores ``query`` as Whoosh does: a ``Term`` of a field scored
    by BM25F (not ``title_key``, whose postings Whoosh scores by their weight alone), a
    ``Phrase`` of words next to each other (slop 1) in such a field with positions, or a plain
    ``Or`` (no ``minmatch``, no ``scale``) of those."""
    if isinstance(query, Or):
        return (
            not query.minmatch
            and not query.scale
            and all(scorable(postings, sub) for sub in query.subqueries)
        )
    if isinstance(query, (Term, Phrase)):
        schema = postings.searcher.schema
        if query.fieldname not in schema:
            return False
        field = schema[query.fieldname]
        if not field.scorable:  # Whoosh scores its postings by their weight alone, not BM25
            return False
        words = [query.text] if isinstance(query, Term) else list(query.words)
        if not all(_text(field, word) is not None for word in words):
            return False
        if isinstance(query, Phrase):
            format_ = field.format
            return query.slop == 1 and bool(format_) and format_.supports("positions")
        return True
    return False


def _text(field: Any, word: Any) -> str | None:
    """A query's word as the postings arrays name it: a text field's term (a prefix's
    expansions come as bytes), None for any other kind of field (numbers, dates)."""
    if isinstance(word, bytes):
        try:
            text = word.decode("utf-8")
        except UnicodeDecodeError:
            return None
    elif isinstance(word, str):
        text = word
    else:
        return None
    try:
        return text if field.to_bytes(text) == text.encode("utf-8") else None
    except (ValueError, TypeError):
        return None


def add_scored(postings: Postings, query: Query, scores: np.ndarray, weight: float) -> None:
    """Add ``weight`` × ``query``'s BM25F score into ``scores`` (``scorable`` queries): what
    Whoosh's matchers give, up to the order of the floating-point additions. A term scores
    ``boost × idf × tf part``, an OR the sum of its parts that match, times its boost; a
    phrase, where its words stand next to each other in order, the sum of its words' scores
    times its boost (Whoosh's ``SpanNear2`` over their ``Term`` matchers)."""
    idf = postings.searcher.idf
    if isinstance(query, Or):
        # Whoosh gives an OR of one clause that clause's matcher: its own boost is dropped.
        boost = query.boost if len(query.subqueries) > 1 else 1.0
        for sub in query.subqueries:
            add_scored(postings, sub, scores, weight * boost)
    elif isinstance(query, Term):
        text = _text(postings.searcher.schema[query.fieldname], query.text)
        ids, parts = postings.get(query.fieldname, text)
        scores[ids] += (weight * query.boost * idf(query.fieldname, text)) * parts
    else:
        fieldname = query.fieldname
        words = [_text(postings.searcher.schema[fieldname], word) for word in query.words]
        docs = postings.phrase_docs(fieldname, words)
        if not len(docs):
            return
        total = np.zeros(len(docs), dtype=np.float64)
        for word in words:
            ids, parts = postings.get(fieldname, word)
            total += idf(fieldname, word) * parts[np.searchsorted(ids, docs)]
        scores[docs] += (weight * query.boost) * total


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


#: Candidates above which ``top_k_pruned`` reads every list whole rather than look each up.
MAX_LOOKUPS = 400
#: Postings (all the terms' lists together) under which it reads everything, as ``accumulate``.
PRUNE_FROM = 10_000


def top_k_pruned(
    postings: Postings,
    weighted: Sequence[tuple[str, str, float]],
    k: int,
    allowed: frozenset[int] | set[int] | None,
    masked: frozenset[int] | set[int] | None,
    frequency: Any,
) -> list[tuple[int, float]]:
    """What ``top_k(accumulate(postings, weighted), k, allowed, masked)[0]`` gives, the same
    documents with the same scores in the same order, without reading every long list whole
    ("more like this" at department scale, issue 20: a page's key terms include words held by
    thousands of documents, and reading their lists grew with the library).

    MaxScore: no document scores more from a term than ``weight × idf × (k1 + 1)``. The terms
    are read rarest first (the highest of those bounds) into the accumulator; the commonest
    terms whose bounds add up to less than the k-th best score so far are never read whole: a
    document none of the others holds cannot reach the k best, and for the few that can
    (``MAX_LOOKUPS`` at most) each such term's tf is looked up by skipping through its blocks.
    Each candidate's score is then added up again in ``weighted``'s order, so the sums are the
    very floating-point numbers ``accumulate`` makes. ``frequency(field, term)``: its
    document frequency (how long its list is)."""
    searcher = postings.searcher
    terms = [(f, t, w * searcher.idf(f, t)) for f, t, w in weighted]
    if any(factor < 0.0 for _f, _t, factor in terms):  # the bounds below need no negative part
        return top_k(accumulate(postings, weighted), k, allowed, masked)[0]
    unread = sum(frequency(f, t) for f, t, _factor in terms)  # postings not yet read
    if unread < PRUNE_FROM:  # a small library: reading everything is as quick
        return top_k(accumulate(postings, weighted), k, allowed, masked)[0]
    bound = postings.k1 + 1.0
    order = sorted(range(len(terms)), key=lambda i: (-terms[i][2], i))
    eligible: np.ndarray | None = None  # made once pruning is in sight
    partial = np.zeros(postings.slots, dtype=np.float64)
    rest = [terms[i][2] * bound for i in order]
    remaining = float(sum(rest))
    read: set[int] = set()
    for position, i in enumerate(order):
        fieldname, text, factor = terms[i]
        remaining -= rest[position]
        unread -= frequency(fieldname, text)
        ids, parts = postings.get(fieldname, text)
        partial[ids] += factor * parts
        read.add(i)
        if unread < 4 * MAX_LOOKUPS or remaining >= partial.max():
            continue  # what is left is short (read it whole), or could still make anyone best
        if eligible is None:
            eligible = np.ones(postings.slots, dtype=bool)
            if allowed is not None:
                eligible &= _mask(allowed, postings.slots)
            if masked:
                eligible &= ~_mask(masked, postings.slots)
        live = np.flatnonzero(eligible & (partial > 0.0))
        if len(live) < k or remaining >= partial[live].max():  # the k-th is at most the best
            continue
        kth = np.partition(partial[live], len(live) - k)[len(live) - k]
        if remaining >= kth:
            continue
        margin = 1e-9 * max(kth, 1.0)
        candidates = live[partial[live] + remaining >= kth - margin]
        if len(candidates) > MAX_LOOKUPS:
            continue
        return _rescored(postings, terms, read, candidates, partial[candidates], k)
    return top_k(accumulate(postings, weighted), k, allowed, masked)[0]


def _rescored(
    postings: Postings,
    terms: list[tuple[str, str, float]],
    read: set[int],
    candidates: np.ndarray,
    lower: np.ndarray,
    k: int,
) -> list[tuple[int, float]]:
    """The k best candidates with their full scores. The unread terms are looked up for the
    candidates still in the running, most weighty first, dropping after each those whose best
    possible score falls below the k-th surest one; then each survivor's score is added up
    again term by term in the query's order (the same floating-point sums as ``accumulate``)."""
    bound = postings.k1 + 1.0
    unread = sorted((i for i in range(len(terms)) if i not in read), key=lambda i: -terms[i][2])
    remaining = float(sum(terms[i][2] * bound for i in unread))
    looked_up = np.zeros((len(candidates), len(terms)), dtype=np.float64)
    alive = np.arange(len(candidates))
    for i in unread:
        fieldname, text, factor = terms[i]
        part = postings.parts_of(fieldname, text, candidates[alive])
        looked_up[alive, i] = part
        lower[alive] += factor * part
        remaining -= factor * bound
        kth = np.partition(lower[alive], len(alive) - k)[len(alive) - k]
        alive = alive[lower[alive] + remaining >= kth - 1e-9 * max(kth, 1.0)]
    docs = candidates[alive]
    scores = np.zeros(len(docs), dtype=np.float64)
    for i, (fieldname, text, factor) in enumerate(terms):
        if i in read:
            ids, parts = postings.get(fieldname, text)
            if not len(ids):
                continue
            at = np.searchsorted(ids, docs)
            at[at >= len(ids)] = 0
            part = np.where(ids[at] == docs, parts[at], 0.0)
        else:
            part = looked_up[alive, i]
        scores += factor * part
    keep = scores > 0.0
    docs, scores = docs[keep], scores[keep]
    order = np.lexsort((docs, -scores))[:k]
    return [(int(docs[j]), float(scores[j])) for j in order]
