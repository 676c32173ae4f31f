"""A long law or regulation indexed section by section, besides its own entry.

A record whose document carries ``sections`` (the text to cut, see ``Searchable.sections``) and
whose text has at least ``MIN_SECTIONS`` headings ("มาตรา 40", "ข้อ 5" at the start of a line,
``legal.split_sections``) gets one extra entry per section: uid ``"<record uid>#<key>"``
("document:12#มาตรา40"), the record's pk, access, facet and owner fields and stamp, the title
"<record title> <section label>" with the record's title as its ``law`` (so a query naming the
law and the section finds it, ``legal.keys_for``), the section's text as its body, and the field
``parent`` = the record's uid.

Section entries are never hits of their own: a relevance search lifts the record to its best
section's score when that is higher and says which section (``Hit.data["section"]``); every
other search leaves them out. Totals and facets count records.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from . import legal

#: A text with fewer headings is not split (a circular that quotes "ข้อ 1" once).
MIN_SECTIONS = 3
#: The fields a section entry takes from its record as they are.
_SHARED = (
    "kind",
    "pk",
    "doc_type",
    "category",
    "team",
    "year",
    "date",
    "access",
    "access_team",
    "owner",
    "extra",
    "stamp",
)
SEPARATOR = "#"


def parent_of(uid: str) -> str | None:
    """The record's uid of a section entry's uid ("document:12#มาตรา40" → "document:12")."""
    parent, separator, _key = uid.partition(SEPARATOR)
    return parent if separator else None


def sections(text: str) -> list[tuple[str, str]]:
    """The labelled sections of ``text`` ("มาตรา 40", its text), in order, when it has at least
    ``MIN_SECTIONS`` of them; none otherwise. The preamble belongs to the record's own entry."""
    parts = [(label, body) for label, body in legal.split_sections(text or "") if label]
    return parts if len(parts) >= MIN_SECTIONS else []


def section_text(text: str, label: str) -> str | None:
    """The text of the section ``label`` ("มาตรา 40", spaces as typed) of ``text``; None when
    there is no such section (the first of two with the same label)."""
    wanted = _key(label)
    if not wanted:
        return None
    return next((body for own, body in sections(text) if _key(own) == wanted), None)


def section_docs(doc: Mapping[str, Any], uid: str) -> list[dict[str, Any]]:
    """The section entries of the record ``doc`` (uid ``uid``): none unless it is split."""
    parts = sections(str(doc.get("sections") or ""))
    if not parts:
        return []
    title = str(doc.get("title") or "")
    data = dict(doc.get("data") or {})
    shared = {name: doc[name] for name in _SHARED if name in doc}
    seen: Counter[str] = Counter()
    entries = []
    for label, body in parts:
        key = _key(label)
        seen[key] += 1
        if seen[key] > 1:  # a second "ข้อ 1" (an annex): its own uid, the same label
            key = f"{key}-{seen[key]}"
        entries.append(
            {
                **shared,
                "uid": f"{uid}{SEPARATOR}{key}",
                "title": f"{title} {label}".strip(),
                "law": title,
                "section": label,
                "body": body,
                "data": {**data, "section": label},
            }
        )
    return entries


def lift(scores: list[float], parents: Mapping[int, int | None]) -> dict[int, int]:
    """Give each record the score of its best section when that is higher (in ``scores``, in
    place); returns record → the section it now opens at. Sections keep their own scores: the
    caller masks them."""
    best: dict[int, int] = {}
    for section, record in parents.items():
        score = scores[section]
        if score > 0.0 and record is not None:
            current = best.get(record)
            if current is None or score > scores[current]:
                best[record] = section
    opened = {}
    for record, section in best.items():
        if scores[section] >= scores[record]:
            scores[record] = scores[section]
            opened[record] = section
    return opened


def _key(label: str) -> str:
    return "".join(label.split())


def parents(uids: Iterable[str]) -> set[str]:
    """The record uids the section uids among ``uids`` belong to."""
    return {parent for uid in uids if (parent := parent_of(uid)) is not None}
