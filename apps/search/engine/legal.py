"""The structure of Thai laws and regulations: sections ("มาตรา 40", "ข้อ 5", "มาตรา 50 ทวิ"),
references to them in a query ("มาตรา 40 (2) แห่งประมวลรัษฎากร"), and cutting a law's text into
its sections.

A section is indexed with keys in the ``section`` field: its own number ("มาตรา40") and the
number within its law ("<law key>#มาตรา40", the law key being the law's name with its words run
together). A query that names a section and its law finds that section straight away; one that
names only a section number lifts every law's section of that number a little.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .analysis import WORD, normalize

#: The Pali-number suffixes of inserted sections (มาตรา 50 ทวิ, 3 ตรี, ... 3 อัฏฐารส, 3 ฉัพพีสติ:
#: ประมวลรัษฎากร inserts up to the 26th after มาตรา 3).
SUFFIXES = (
    "ทวิ|ตรี|จัตวา|เบญจ|ฉ|สัตต|อัฏฐ|นว|ทศ|เอกาทศ|ทวาทศ|เตรส|จตุทศ|ปัณรส|โสฬส|สัตตรส|อัฏฐารส"
    "|เอกูนวีสติ|วีสติ|เอกวีสติ|ทวาวีสติ|เตวีสติ|จตุวีสติ|ปัญจวีสติ|ฉัพพีสติ|สัตตวีสติ|อัฏฐวีสติ"
    "|เอกูนตึงสติ|ตึงสติ"
)
_NUMBER = r"(?P<number>\d+(?:/\d+)?)(?:\s*(?P<suffix>" + SUFFIXES + r")(?![ก-๛]))?"
#: A section reference: มาตรา 40, ม. 40, ข้อ 5, มาตรา 77/1, มาตรา 50 ทวิ, then maybe "(2)".
REFERENCE = re.compile(
    r"(?P<kind>มาตรา|ม\.|ข้อ)\s*" + _NUMBER + r"(?:\s*\((?P<item>\d+)\))?",
)
#: A section heading at the start of a line (or of the text): where a law is cut.
HEADING = re.compile(r"(?:^|\n)[ \t]*(?P<kind>มาตรา|ข้อ)[ \t]*" + _NUMBER)
#: Words between a reference and its law's name ("มาตรา 40 แห่งประมวลรัษฎากร").
_LINKS = frozenset({"แห่ง", "ของ", "ตาม", "ใน", "พระราชบัญญัติ"})
_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
_LAW_MAX_WORDS = 14
_LOOK_CHARS = 160


@dataclass(frozen=True)
class Reference:
    """A section named in a query: its key ("มาตรา40"), where it is, its sub-item ("2")."""

    key: str
    start: int
    end: int
    item: str = ""


def section_key(kind: str, number: str, suffix: str | None = None) -> str:
    """ "มาตรา", "40", None → "มาตรา40"; "ม.", "50", "ทวิ" → "มาตรา50ทวิ"."""
    kind = "มาตรา" if kind.startswith("ม") else "ข้อ"
    return f"{kind}{number.translate(_THAI_DIGITS)}{suffix or ''}"


def law_key(words: Iterable[str]) -> str:
    """A law's name as a key: its words run together (``analysis`` WORD tokens)."""
    return "".join(words)


def section_label(text: str) -> str | None:
    """The section a text starts with ("มาตรา 40", "ข้อ 5", "มาตรา 50 ทวิ"), if it does."""
    match = HEADING.match(normalize(text[:200]).lstrip())
    if match is None:
        return None
    suffix = match.group("suffix")
    return f"{match.group('kind')} {match.group('number')}" + (f" {suffix}" if suffix else "")


def leading_section(title: str, body: str) -> str | None:
    """The section ``body`` is, when it starts with its law's name (``title``) and then a
    section heading, as the sections of a law shelved one by one do: "ประมวลรัษฎากร มาตรา 40
    ..." under the title "ประมวลรัษฎากร" → "มาตรา 40". A text that only starts with a heading
    ("ข้อ 1 ...", a whole regulation) is not taken for one section."""
    name = normalize(title).strip()
    text = normalize(body[: len(title) + 200]).lstrip()
    if not name or not text.startswith(name):
        return None
    return section_label(text[len(name) :])


def keys_for(section: str, law: str | None, analyse: Callable[[str], Iterable]) -> list[str]:
    """The ``section`` field's keys of a section: its own key, and within its law."""
    match = REFERENCE.match(normalize(section).strip())
    if match is None:
        return []
    key = section_key(match.group("kind"), match.group("number"), match.group("suffix"))
    keys = [key]
    if law:
        keys.append(f"{law_key(t.text for t in analyse(law) if t.kind == WORD)}#{key}")
    return keys


#: Other laws named right after a reference ("มาตรา 5 แห่งพระราชบัญญัติ…"): not its own law's.
_OTHER_LAW = re.compile(r"\s*(?:\(\d+\)\s*)?(?:แห่ง|ของ)")


def cited_keys(body: str, law: str | None, own: Iterable[str], analyse: Callable) -> list[str]:
    """The sections of its own law (``law``) a section's ``body`` refers to, as "<law words>#
    <section>" keys (``keys_for``), its ``own`` keys left out; a reference followed by
    "แห่ง…"/"ของ…" names another law and is left out too. None when ``law`` is unknown."""
    if not law:
        return []
    prefix = law_key(t.text for t in analyse(law) if t.kind == WORD)
    skip = set(own)
    text = normalize(body)
    found: dict[str, None] = {}
    for m in REFERENCE.finditer(text):
        if _OTHER_LAW.match(text, m.end()):
            continue
        key = f"{prefix}#{section_key(m.group('kind'), m.group('number'), m.group('suffix'))}"
        if key not in skip:
            found[key] = None
    return list(found)


def references(text: str) -> list[Reference]:
    """The section references in a query, in order."""
    return [
        Reference(
            section_key(m.group("kind"), m.group("number"), m.group("suffix")),
            m.start(),
            m.end(),
            m.group("item") or "",
        )
        for m in REFERENCE.finditer(text)
    ]


def law_of(
    text: str, reference: Reference, analyse: Callable[[str], Iterable], known: Callable
) -> str | None:
    """The key "<law>#<section>" of the law a reference names right after it ("มาตรา 40
    แห่งประมวลรัษฎากร") or right before it ("ประมวลรัษฎากร มาตรา 40"), when ``known(key)``."""
    after = _words(analyse, text[reference.end : reference.end + _LOOK_CHARS])
    while after and (after[0] in _LINKS - {"พระราชบัญญัติ"} or after[0].isdigit()):
        after = after[1:]
    for size in range(min(len(after), _LAW_MAX_WORDS), 0, -1):
        key = f"{law_key(after[:size])}#{reference.key}"
        if known(key):
            return key
    before = _words(analyse, text[max(0, reference.start - _LOOK_CHARS) : reference.start])
    for size in range(min(len(before), _LAW_MAX_WORDS), 0, -1):
        key = f"{law_key(before[-size:])}#{reference.key}"
        if known(key):
            return key
    return None


def _words(analyse: Callable[[str], Iterable], text: str) -> list[str]:
    return [t.text for t in analyse(text) if t.kind == WORD]


def split_sections(text: str) -> list[tuple[str, str]]:
    """A law's or regulation's text cut at its section headings: (label, text) pairs, the text
    before the first heading (its preamble) labelled ""; one pair for a text without any."""
    text = normalize(text)
    starts = [m.start() if m.group(0)[0] != "\n" else m.start() + 1 for m in HEADING.finditer(text)]
    if not starts:
        return [("", text)] if text.strip() else []
    parts: list[tuple[str, str]] = []
    if text[: starts[0]].strip():
        parts.append(("", text[: starts[0]].strip()))
    for start, end in zip(starts, [*starts[1:], len(text)], strict=True):
        chunk = text[start:end].strip()
        parts.append((section_label(chunk) or "", chunk))
    return parts
