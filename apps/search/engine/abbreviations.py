"""Thai abbreviations and their full forms (``dictionary/abbreviations.txt``), applied when a
query is read: "พ.ร.บ.", "พรบ" and "พ.ร.บ.สหกรณ์" also search "พระราชบัญญัติ", and a query
naming "พระราชบัญญัติ" also finds texts that wrote "พ.ร.บ." (indexed as the word "พรบ").

Query time rather than index time: the index keeps what documents say, the list can grow
without a rebuild, and ``bench/search_quality.py`` measures the same index before and after.

An abbreviation is recognised only as a whole: a chunk of the query that is nothing but it
(with or without its dots), a dotted form not glued to a Thai letter before it
("พ.ร.บ.สหกรณ์"), or an undotted key of three letters or more that the segmenter cut out as
one piece ("พรบสหกรณ์"). "กษ" inside "รักษา" is not one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .analysis import normalize

ABBREVIATIONS_FILE = Path(__file__).resolve().parent / "dictionary" / "abbreviations.txt"
#: Undotted keys shorter than this are recognised only as a whole chunk ("กษ", "ว").
MIN_TOKEN_KEY = 3


@dataclass(frozen=True)
class Abbreviation:
    key: str  # the compact form: no dots ("พรบ"; "ระเบียบฯ" keeps its ฯ, no word has one)
    forms: tuple[str, ...]  # as written ("พ.ร.บ.", "พรบ")
    full: tuple[str, ...]  # what it stands for


def compact(text: str) -> str:
    """ "พ.ร.บ." → "พรบ"; "ระเบียบฯ" stays (ฯ marks the abbreviation)."""
    return normalize(text).replace(".", "").replace(" ", "")


@lru_cache(maxsize=1)
def abbreviations() -> tuple[Abbreviation, ...]:
    entries = []
    for line in ABBREVIATIONS_FILE.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        forms, _, full = line.partition("=")
        written = tuple(normalize(f) for f in forms.split())
        meanings = tuple(normalize(f).strip() for f in full.split("|") if f.strip())
        if written and meanings:
            key = compact(written[0])
            entries.append(Abbreviation(key, written, meanings))
    return tuple(entries)


@lru_cache(maxsize=1)
def _by_chunk() -> dict[str, Abbreviation]:
    found: dict[str, Abbreviation] = {}
    for entry in abbreviations():
        for form in entry.forms:
            found.setdefault(compact(form), entry)
    return found


@lru_cache(maxsize=1)
def _dotted() -> re.Pattern[str] | None:
    forms = sorted(
        {form for entry in abbreviations() for form in entry.forms if form.count(".") >= 2},
        key=len,
        reverse=True,
    )
    if not forms:
        return None
    return re.compile("(?<![\u0e01-\u0e4e])(?:" + "|".join(map(re.escape, forms)) + ")")


def is_abbreviation(chunk: str) -> bool:
    """Whether a chunk of a query is nothing but an abbreviation ("พรบ", "กษ.", "ระเบียบฯ")."""
    return compact(chunk) in _by_chunk()


def in_query(chunks: list[str], token_texts: list[str]) -> list[Abbreviation]:
    """The abbreviations a query holds: whole chunks, dotted forms inside a chunk, and
    segmented pieces that are an undotted key of ``MIN_TOKEN_KEY`` letters or more."""
    by_chunk, dotted = _by_chunk(), _dotted()
    found: dict[str, Abbreviation] = {}
    for chunk in chunks:
        entry = by_chunk.get(compact(chunk))
        if entry is not None:
            found.setdefault(entry.key, entry)
        elif dotted is not None:
            for match in dotted.finditer(normalize(chunk)):
                entry = by_chunk[compact(match.group())]
                found.setdefault(entry.key, entry)
    keys = {entry.key: entry for entry in abbreviations() if len(entry.key) >= MIN_TOKEN_KEY}
    for text in token_texts:
        if text in keys:
            found.setdefault(text, keys[text])
    return list(found.values())


def full_forms_in(text: str) -> list[Abbreviation]:
    """The abbreviations whose (first) full form ``text`` names: the reverse direction."""
    folded = normalize(text)
    return [
        entry
        for entry in abbreviations()
        if len(entry.key) >= MIN_TOKEN_KEY and "ฯ" not in entry.key and entry.full[0] in folded
    ]
