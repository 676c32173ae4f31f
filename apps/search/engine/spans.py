"""Where a query's terms are in a text, for snippets: the folded text with each character's
place in the original (``normalize_with_offsets``), and the spans of the tokens that are query
terms (``term_spans``), found without analysing the runs that hold none of them.

Kept apart from ``analysis.py``, whose rules they follow (and whose tests compare them with
it): only the highlighter needs them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .analysis import (
    _HAS_THAI,
    _MAX_TOKEN,
    _RUN_RE,
    _THAI_RULES,
    _TRANSLATE,
    DEFAULT_ENGINE,
    _analyse_thai,
    _translate,
    normalize,
)


def normalize_with_offsets(text: str) -> tuple[str, list[int]]:
    """``normalize`` that also says where each output character came from.

    Returns ``(normalized, offsets)``: ``offsets[i]`` is the index in ``text`` of normalized
    character ``i``, with one extra entry ``len(text)`` at the end. ``text`` must already be NFC
    (the highlighter shows the NFC form). Slower than ``normalize``; used for highlighting only.
    """
    # Translating and folding look at one character at a time. When neither drops a character
    # (translation maps to one character or none; folding never to none) nor adds one, every
    # character stayed in its place: the whole text is folded at once, without the loop over
    # its characters (a third of a search page's snippets, issue 20).
    translated = _translate(text)
    folded = translated.casefold()
    if len(translated) == len(text) and len(folded) == len(text):
        offsets = list(range(len(text)))
    else:
        chars: list[str] = []
        offsets = []
        for index, char in enumerate(text):
            mapped = char.translate(_TRANSLATE).casefold()
            chars.extend(mapped)
            offsets.extend([index] * len(mapped))
        folded = "".join(chars)
    if _HAS_THAI.search(folded):
        for pattern, replacement in _THAI_RULES:
            parts: list[str] = []
            new_offsets: list[int] = []
            last = 0
            for match in pattern.finditer(folded):
                parts.append(folded[last : match.start()])
                new_offsets.extend(offsets[last : match.start()])
                new = match.expand(replacement)
                width = match.end() - match.start()
                parts.append(new)
                new_offsets.extend(
                    offsets[match.start() + min(i, width - 1)] for i in range(len(new))
                )
                last = match.end()
            if last:
                parts.append(folded[last:])
                new_offsets.extend(offsets[last:])
                folded = "".join(parts)
                offsets = new_offsets
    offsets.append(len(text))
    return folded, offsets


def term_spans(
    text: str,
    terms: frozenset[str] | set[str],
    *,
    engine: str = DEFAULT_ENGINE,
    custom: bool = True,
    decompose: bool = True,
    join: bool = True,
    normalized: bool = False,
) -> list[tuple[int, int]]:
    """``(tok.start, tok.end)`` of the tokens of ``analyse(text)`` whose text is one of
    ``terms``, document numbers left out: what the highlighter marks, found without analysing
    all of ``text``. Every token of a Thai run (its words, their parts, unknown pieces joined
    up) is a stretch of that run, and depends on the run alone: a run holding none of the
    terms has no match, and is not split into words. Splitting the runs of a snippet's text
    was most of a search page's snippets (issue 20); ``tests/search/test_page_paths.py``
    compares this with ``analyse``. ``normalized``: ``text`` is ``normalize``'s output
    already (the highlighter's), and its spans are into it as it is."""
    normal = text if normalized else normalize(text)
    spans: list[tuple[int, int]] = []
    if not terms:
        return spans
    for match in _runs_holding(normal, _term_starts(normal, terms)):
        offset = match.start()
        value = match.group()
        group = match.lastgroup
        if group == "thai":
            if not any(term in value for term in terms):
                continue
            items, _width = _analyse_thai(value, engine, custom, decompose, join)
            for word, _rel, start, end, _kind in items:
                if word in terms:
                    spans.append((offset + start, offset + end))
            continue
        if group == "num":
            value = value.replace(",", "")
        elif group == "abbr":
            value = value.replace(".", "")
        if len(value) <= _MAX_TOKEN and value in terms:
            spans.append((offset, match.end()))
    return spans


#: Occurrences of the terms looked at in one text at most: past it, every run is looked at.
MAX_STARTS = 2000


def _term_starts(normal: str, terms: frozenset[str] | set[str]) -> list[int] | None:
    """Where a token that is one of ``terms`` may be in ``normal``: where a term occurs as it
    is, and, for a term that may be a number written with commas ("1,250") or a Thai
    abbreviation written with dots ("ธ.ก.ส."), which are tokens without them, just before
    each comma or dot. Found by plain substring search, at C speed; None: too many to be
    worth it (look at every run)."""
    starts: list[int] = []
    marks = set()
    for term in terms:
        if not term:
            continue
        if any(char.isdigit() for char in term):
            marks.add(",")
        if len(term) > 1 and all("\u0e01" <= char <= "\u0e2e" for char in term):
            marks.add(".")
        at = normal.find(term)
        while at >= 0:
            starts.append(at)
            if len(starts) > MAX_STARTS:
                return None
            at = normal.find(term, at + len(term))
    for mark in marks:
        at = normal.find(mark, 1)
        while at >= 0:
            starts.append(at - 1)
            if len(starts) > MAX_STARTS:
                return None
            at = normal.find(mark, at + 1)
    return starts


def _runs_holding(normal: str, starts: list[int] | None) -> Iterator[re.Match[str]]:
    """The runs of ``normal`` (the matches of ``_RUN_RE`` over the whole of it) that hold one
    of ``starts``, or that first follow one between runs, each once, in order; every run
    when ``starts`` is None. No run holds a space or a line break, so the runs found from
    just after one are those the whole text's would be there: each start is looked for from
    the last space before it, not from the beginning of the text."""
    if starts is None:
        yield from _RUN_RE.finditer(normal)
        return
    done = 0  # where the runs given so far end: the whole text's scan would go on from here
    for at in sorted(set(starts)):
        if at < done:
            continue
        space = max(normal.rfind(" ", done, at), normal.rfind("\n", done, at))
        for match in _RUN_RE.finditer(normal, space + 1 if space >= 0 else done):
            if match.end() > at:
                done = match.end()
                yield match
                break
        else:
            return
