"""The library list's word filter ("title, number or description") at department scale (issue 20).

The meaning is ``DocumentFilter.filter_text``'s: every word typed (Thai digits read as Arabic
ones) is part of the title, the number or the description, with letters folded as the
database's ``icontains`` folds them. As SQL that is ``LIKE '%word%'`` over every visible
document, and the list page ran it seven times (the page, its count, five facets): 200 ms at
20,000 documents, ten times its cost at 2,000. Here:

- the words are looked for in a haystack of every document's folded title, number and
  description, made once per library fingerprint and kept per process (only the latest one);
  it also holds what the side panel counts (type, year, agency, category, tags);
- which documents the person may open, under the other filters and in the chosen order, is the
  database's answer as ever (the same queryset, without the word): its primary keys are kept
  per exact SQL and parameters and per fingerprint, in a per-process cache bounded by the
  number of keys it holds;
- the page is their intersection in that order; only the page's documents are read (by primary
  key, at most a page of them), the count and the facets are counted over it in Python.

So no list whose length grows with the library ever goes into SQL, and a document the person
may not open never matches, nor is counted: the intersection is with what the database gave
them. A changed title changes the fingerprint, so it is found at once.
"""

from __future__ import annotations

import threading
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import connection
from django.db.models import QuerySet

from apps.core.thaidates import THAI_DIGITS, be_year

from .models import Document, Tag

#: Primary keys kept in the per-process cache of ordered visible lists (some 40 bytes each as
#: Python ints in a list: about 8 MB at most), the least recently used lists going first.
PKS_BUDGET = 200_000

#: Characters between a document's fields in the haystack: a word never holds whitespace (the
#: words are what ``str.split`` leaves), so no match spans two fields.
SEPARATOR = "\n"


def words_of(text: str) -> list[str]:
    """The words of the filter box, Thai digits read as Arabic ones."""
    return text.translate(THAI_DIGITS).split()


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def fold(text: str) -> str:
    """Letters folded as the database's ``icontains`` folds them: SQLite's LIKE folds only
    ASCII letters; PostgreSQL compares ``UPPER()`` of both sides."""
    if connection.vendor == "sqlite":
        return text.translate(_ASCII_LOWER)
    return text.upper()


@dataclass(frozen=True)
class Haystack:
    """Every document at one fingerprint: (pk, folded title/number/description) to look words
    up in, and by pk what the side panel counts."""

    fingerprint: tuple
    rows: list[tuple[int, str]]
    facts: dict[int, tuple[str, int | None, str, int | None, tuple[int, ...]]]

    def matching(self, words: Iterable[str]) -> set[int]:
        """The pks of the documents (any, visible or not) holding every word."""
        rows = self.rows
        for word in sorted({fold(w) for w in words}, key=len, reverse=True):
            rows = [row for row in rows if word in row[1]]
        return {pk for pk, _text in rows}


_lock = threading.Lock()
_haystack: Haystack | None = None
_ordered: OrderedDict[tuple, list[int]] = OrderedDict()
_ordered_held = 0


def haystack(fingerprint: tuple) -> Haystack:
    """The haystack at ``fingerprint`` (read from the database when the library has changed)."""
    global _haystack
    found = _haystack
    if found is not None and found.fingerprint == fingerprint:
        return found
    tags: dict[int, list[int]] = {}
    through = Document.tags.through.objects.order_by("pk")
    for document_id, tag_id in through.values_list("document_id", "tag_id").iterator(5000):
        tags.setdefault(document_id, []).append(tag_id)
    rows, facts = [], {}
    fields = ("pk", "title", "number", "description", "doc_type", "issued_on", "agency")
    agencies: dict[str, str] = {}  # one string per agency, not one per document
    for pk, title, number, description, doc_type, issued_on, agency, category_id in (
        Document.objects.order_by("pk").values_list(*fields, "category_id").iterator(5000)
    ):
        rows.append((pk, fold(SEPARATOR.join((title, number, description)))))
        year = issued_on.year if issued_on is not None else None
        agency = agencies.setdefault(agency, agency)
        facts[pk] = (doc_type, year, agency, category_id, tuple(tags.get(pk, ())))
    found = Haystack(fingerprint, rows, facts)
    _haystack = found
    return found


def ordered_pks(queryset: QuerySet, fingerprint: tuple) -> list[int]:
    """The pks of ``queryset`` in its order, kept per (SQL with its parameters, fingerprint)."""
    global _ordered_held
    sql, params = queryset.values_list("pk", flat=True).query.sql_with_params()
    key = (fingerprint, sql, repr(params))
    with _lock:
        found = _ordered.get(key)
        if found is not None:
            _ordered.move_to_end(key)
            return found
    found = list(queryset.values_list("pk", flat=True))
    with _lock:
        if key not in _ordered and len(found) < PKS_BUDGET:
            _ordered[key] = found
            _ordered_held += len(found) + 1
            while _ordered_held > PKS_BUDGET:
                _key, gone = _ordered.popitem(last=False)
                _ordered_held -= len(gone) + 1
    return found


def forget() -> None:
    """Drop what this process keeps (tests)."""
    global _haystack, _ordered_held
    with _lock:
        _haystack = None
        _ordered.clear()
        _ordered_held = 0


class WordMatches:
    """The documents of ``queryset`` (visible, filtered, ordered, without the word filter) that
    hold every word, as Django's paginator reads them: ``count()`` and a slice, which reads
    only the slice's documents, by primary key, through ``queryset`` again."""

    def __init__(self, queryset: QuerySet, words: Iterable[str], fingerprint: tuple):
        self.model = queryset.model
        self._queryset = queryset
        self._words = tuple(words)
        self._fingerprint = fingerprint
        self._pks: list[int] | None = None

    def pks(self) -> list[int]:
        if self._pks is None:
            found = haystack(self._fingerprint).matching(self._words)
            self._pks = [pk for pk in ordered_pks(self._queryset, self._fingerprint) if pk in found]
        return self._pks

    def count(self) -> int:
        return len(self.pks())

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, key: slice) -> list[Document]:
        if not isinstance(key, slice):
            raise TypeError("WordMatches is read a page at a time")
        wanted = self.pks()[key]
        if not wanted:
            return []
        found = {d.pk: d for d in self._queryset.filter(pk__in=wanted).order_by()}
        return [found[pk] for pk in wanted if pk in found]


def count_shelves(
    narrowed: Callable[[str], QuerySet[Document]], words: Iterable[str], fingerprint: tuple
) -> dict:
    """What ``selectors.shelves`` keeps (the facets as plain numbers, documents per category)
    for the documents holding every word: each facet counts within ``narrowed(name)`` (the
    visible documents under every other filter but the word, which is counted here)."""
    stack = haystack(fingerprint)
    found = stack.matching(words)
    facts = stack.facts
    within_cache: dict[tuple, list[tuple]] = {}

    def within(name: str) -> list[tuple]:
        queryset = narrowed(name).order_by()
        key = queryset.values_list("pk", flat=True).query.sql_with_params()
        key = (key[0], repr(key[1]))
        if key not in within_cache:
            pks = ordered_pks(queryset, fingerprint)
            within_cache[key] = [facts[pk] for pk in pks if pk in found]
        return within_cache[key]

    types = Counter(fact[0] for fact in within("doc_type"))
    years = Counter(fact[1] for fact in within("year") if fact[1] is not None)
    agencies = Counter(fact[2] for fact in within("agency") if fact[2])
    tag_counts = Counter(tag for fact in within("tag") for tag in fact[4])
    names = _tag_names(_top(tag_counts, 30))
    tags = sorted(
        ((pk, n, names[pk]) for pk, n in tag_counts.items() if pk in names),
        key=lambda t: (-t[1], t[2]),
    )[:30]
    return {
        "facets": {
            "types": sorted(types.items()),
            "years": [(be_year(year), n) for year, n in sorted(years.items(), reverse=True)],
            "agencies": sorted(agencies.items(), key=lambda a: (-a[1], a[0]))[:15],
            "tags": tags,
        },
        "categories": dict(Counter(fact[3] for fact in within("category"))),
    }


def _top(counts: Counter, k: int) -> list[int]:
    """The keys among the ``k`` most counted, with every key tied with the ``k``-th: the only
    ones whose names decide the order (at most the number of tags, a small table)."""
    if len(counts) <= k:
        return list(counts)
    kth = sorted(counts.values(), reverse=True)[k - 1]
    return [key for key, n in counts.items() if n >= kth]


def _tag_names(pks: list[int]) -> dict[int, str]:
    """The names of these tags, read now (a tag renamed since the haystack shows its new name);
    a long list of them reads the whole (small) table instead of a long ``IN``."""
    tags = Tag.objects.all() if len(pks) > 100 else Tag.objects.filter(pk__in=pks)
    return dict(tags.values_list("pk", "name"))
