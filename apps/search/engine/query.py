"""Parsing what people type into the search box (``pipeline.py`` builds the query from it).

The syntax is small on purpose:

- plain words: any of them may match; more matches rank higher (no implicit AND),
- ``"..."`` (or Thai/curly quotes ``“...”``): the words must appear in this order,
- ``-word`` / ``-"..."``: leave out items containing it,
- ``field:value``: filters; ``type:circular``, ``kind:document``, ``year:2551``,
  ``year:2550-2555``, ``category:12``, ``team:3``, ``code:5/2551`` (Thai names too: ``ประเภท:``,
  ``ปี:``, ``หมวด:``, ``ทีม:``, ``เลขที่:``). Several values are ``type:a,b``; ``-type:a`` leaves
  them out. An unknown ``name:`` is ordinary text (times like 10:30 stay searchable). Values
  may be typed by name in Thai or English (``ประเภท:หนังสือเวียน``): ``rewrite_filters`` turns
  them into stored values with what the portal's apps know.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from whoosh.query import NumericRange, Query, Term

# Whoosh's plain Or picks a "preloaded array" matcher on indexes under 5,000 documents, and that
# matcher returns wrong hits once it is nested inside AndMaybe/Or (whoosh-reloaded 2.7.5). The
# binary-tree Or is always right.
from whoosh.query.compound import DefaultOr as Or

from .analysis import normalize

#: Field names people may type, mapped to index fields.
FIELD_ALIASES: dict[str, str] = {
    "type": "doc_type",
    "doc_type": "doc_type",
    "ประเภท": "doc_type",
    "kind": "kind",
    "ชนิด": "kind",
    "year": "year",
    "ปี": "year",
    "category": "category",
    "cat": "category",
    "หมวด": "category",
    "หมวดหมู่": "category",
    "team": "team",
    "ทีม": "team",
    "code": "code",
    "no": "code",
    "เลขที่": "code",
}

WORD_FIELDS = ("title", "body", "code")
_TITLE_MATCH_MAX_WORDS = 40
_PARTIAL_MAX_UNITS = 4

_CHUNK_RE = re.compile(
    r"""(?P<neg>-)?(?:(?P<field>[^\s:"“”]+):)?(?:"(?P<q1>[^"]*)"?|“(?P<q2>[^”]*)”?|(?P<bare>\S+))"""
)
_YEAR_RANGE_RE = re.compile(r"^(\d{1,4})\s*(?:-|\.\.)\s*(\d{1,4})$")


@dataclass
class ParsedQuery:
    """The parts of one search-box string, all normalised."""

    words: list[str] = field(default_factory=list)
    phrases: list[str] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)
    filters: dict[str, list[str]] = field(default_factory=dict)
    excluded_filters: dict[str, list[str]] = field(default_factory=dict)

    @property
    def text(self) -> str:
        """The free text (words only) as one string."""
        return " ".join(self.words)

    def is_empty(self) -> bool:
        return not (self.words or self.phrases or self.filters or self.excluded_filters)


def parse(raw: str) -> ParsedQuery:
    """Split a search-box string into words, phrases, exclusions and field filters."""
    parsed = ParsedQuery()
    for match in _CHUNK_RE.finditer(normalize(raw or "")):
        negated = bool(match.group("neg"))
        name = match.group("field")
        quoted = match.group("q1")
        if quoted is None:
            quoted = match.group("q2")
        value = quoted if quoted is not None else match.group("bare")
        if name is not None and name in FIELD_ALIASES:
            target = parsed.excluded_filters if negated else parsed.filters
            values = [v.strip() for v in (value or "").split(",") if v.strip()]
            if values:
                target.setdefault(FIELD_ALIASES[name], []).extend(values)
            continue
        if name is not None:  # not a filter: put the text back together
            value = f"{name}:{value or ''}"
        value = (value or "").strip()
        if not value or value == "-":
            continue
        if negated:
            parsed.excluded.append(value)
        elif quoted is not None and name is None:
            parsed.phrases.append(value)
        else:
            parsed.words.append(value)
    return parsed


def rewrite_filters(raw: str, value_of: Callable[[str, str], str | None]) -> str:
    """``raw`` with each filter value people typed by name replaced by the stored value
    ``value_of(index field, typed)`` gives ("ประเภท:หนังสือเวียน" → "ประเภท:circular"); values
    it does not know, and everything else, stay as typed."""

    def replace(match: re.Match[str]) -> str:
        name = match.group("field")
        if name is None or name.casefold() not in FIELD_ALIASES:
            return match.group()
        field_name = FIELD_ALIASES[name.casefold()]
        quoted = match.group("q1") if match.group("q1") is not None else match.group("q2")
        value = quoted if quoted is not None else match.group("bare") or ""
        values = [v.strip() for v in value.split(",") if v.strip()]
        resolved = [value_of(field_name, v) or v for v in values]
        if resolved == values:
            return match.group()
        joined = ",".join(resolved)
        if any(c.isspace() or c == '"' for c in joined):
            return match.group()  # a value the syntax cannot carry unquoted: leave it
        return f"{match.group('neg') or ''}{name}:{joined}"

    return _CHUNK_RE.sub(replace, raw or "")


#: Text longer than this is a pasted passage (a case, a letter), not a typed query.
PASSAGE_CHARS = 200


def as_passage(parsed: ParsedQuery) -> ParsedQuery:
    """A pasted passage's quotation marks quote the law or a letter, they do not ask for an
    exact phrase: its quoted parts are searched as words like the rest."""
    if parsed.phrases and len(parsed.text) + sum(map(len, parsed.phrases)) > PASSAGE_CHARS:
        parsed.words.extend(parsed.phrases)
        parsed.phrases = []
    return parsed


def year_bounds(value: str) -> tuple[int, int] | None:
    """``"2551"`` → (2551, 2551); ``"2550-2555"`` → (2550, 2555); anything else → None."""
    value = value.strip()
    if value.isdigit():
        return int(value), int(value)
    match = _YEAR_RANGE_RE.match(value)
    if match:
        low, high = sorted((int(match.group(1)), int(match.group(2))))
        return low, high
    return None


#: A query that finds nothing (words that are nowhere in the index, an impossible filter).
NOTHING = Term("uid", "\x00nothing")


def field_query(name: str, values: list[str]) -> Query:
    if name == "year":
        ranges = [b for b in (year_bounds(v) for v in values) if b]
        if not ranges:
            return NOTHING
        return Or([NumericRange("year", low, high) for low, high in ranges])
    return Or([Term(name, v) for v in values])
