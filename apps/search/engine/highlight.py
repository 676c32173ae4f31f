"""Search-result snippets with the matched words marked, for Thai text without spaces.

Whoosh's highlighter re-tokenises with the field analyzer but needs stored text and character
offsets into it; ours works on any text the caller has (the body is not stored in the index),
finds matches with the same analysis as the index, and maps them back to the original text.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Iterable
from html import escape

from .analysis import CODE, normalize
from .analyzers import ThaiWordTokenizer, word_analyzer
from .spans import normalize_with_offsets, term_spans

ELLIPSIS = "…"


@functools.lru_cache(maxsize=2048)
def _normal_word(word: str) -> str:
    """``normalize`` of a query's term: every hit of a page is highlighted with the same few
    terms, each folded once rather than once a hit (issue 20)."""
    return normalize(word)


def highlight(
    text: str,
    query_terms: Iterable[str] | str,
    *,
    partials: Iterable[str] = (),
    max_chars: int = 240,
    analyzer: ThaiWordTokenizer | None = None,
) -> str:
    """An HTML-safe snippet of ``text`` around its best matches, each wrapped in ``<mark>``.

    ``query_terms`` are index terms (``SearchResponse.terms``) or a raw query string, which is
    analysed here. ``partials`` are substrings to mark too (parts of words typed by the user).
    Everything outside the marks is escaped. Text longer than ``max_chars`` is cut to the window
    with the most matches, with an ellipsis where it was cut.
    """
    analyzer = analyzer or word_analyzer()
    text = unicodedata.normalize("NFC", text or "")
    if isinstance(query_terms, str):
        terms = {tok.text for tok in analyzer.analyse(query_terms) if tok.kind != CODE}
    else:
        terms = {_normal_word(term) for term in query_terms}
    terms.discard("")
    partials = {p for p in (_normal_word(p) for p in partials) if len(p) >= 2}
    # Only the stretch the snippet can come from is analysed: a long text (a 300-page PDF's)
    # cost a page a second of word splitting for 240 characters shown (issue 20).
    region_start, region_end = _region(text, terms | partials, max_chars)
    norm, offsets = normalize_with_offsets(text[region_start:region_end])
    at = region_start  # offsets are into the region

    spans = [
        (at + offsets[start], at + offsets[end - 1] + 1)
        for start, end in _term_spans(analyzer, norm, terms)
    ]
    for partial in partials:
        start = norm.find(partial)
        while start >= 0:
            spans.append((at + offsets[start], at + offsets[start + len(partial) - 1] + 1))
            start = norm.find(partial, start + len(partial))
    spans = _merge(spans)

    begin, end = _window(text, spans, max_chars)
    out: list[str] = [ELLIPSIS] if begin > 0 else []
    cursor = begin
    for span_start, span_end in spans:
        if span_end <= begin or span_start >= end:
            continue
        span_start, span_end = max(span_start, begin), min(span_end, end)
        out.append(escape(text[cursor:span_start]))
        out.append(f"<mark>{escape(text[span_start:span_end])}</mark>")
        cursor = span_end
    out.append(escape(text[cursor:end]))
    if end < len(text):
        out.append(ELLIPSIS)
    return "".join(out)


def _term_spans(analyzer: ThaiWordTokenizer, text: str, terms: set[str]) -> list[tuple[int, int]]:
    """Where the tokens of ``text`` (``normalize``'s output) that are ``terms`` start and end
    (not document numbers)."""
    if not terms:
        return []
    if type(analyzer) is ThaiWordTokenizer:  # its own analysis: only runs with a term are split
        return term_spans(text, terms, normalized=True, **analyzer.options())
    return [(t.start, t.end) for t in analyzer.analyse(text) if t.text in terms and t.kind != CODE]


REGION_WIDTHS = 4  # a long text is analysed over this many snippet widths around the matches
LOOKED_AT = 20_000  # characters analysed when the words are not found as they were typed


def _region(text: str, words: set[str], max_chars: int) -> tuple[int, int]:
    """The part of ``text`` worth analysing: all of a short text; in a long one the stretch
    around the ``max_chars`` window where the words occur most, found by plain substring
    search (the folded text keeps nearly every position of the original, and the stretch is
    wide enough for the few that move). Words not found that way (typed in another form)
    are looked for in the first ``LOOKED_AT`` characters, as before."""
    if len(text) <= REGION_WIDTHS * max_chars:
        return 0, len(text)
    folded = text.casefold()
    found: list[int] = []
    for word in words:
        at = folded.find(word)
        while at >= 0 and len(found) < 5000:
            found.append(at)
            at = folded.find(word, at + len(word))
    if not found:
        return 0, min(len(text), LOOKED_AT)
    found.sort()
    best, best_count, j = found[0], 0, 0
    for i, start in enumerate(found):
        j = max(j, i)
        while j + 1 < len(found) and found[j + 1] < start + max_chars:
            j += 1
        if j - i + 1 > best_count:
            best, best_count = start, j - i + 1
    begin = max(0, best - max_chars)
    end = min(len(text), best + (REGION_WIDTHS - 1) * max_chars)
    # Start and end on a space where there is one near, so no word is cut in two.
    space = text.rfind(" ", max(0, begin - 40), begin + 1)
    begin = space + 1 if space >= 0 and begin > 0 else begin
    space = text.find(" ", end, end + 40)
    end = space if space >= 0 else end
    return begin, end


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _window(text: str, spans: list[tuple[int, int]], max_chars: int) -> tuple[int, int]:
    """The ``max_chars`` slice of text holding the most spans, widened to whitespace if near."""
    if len(text) <= max_chars:
        return 0, len(text)
    if not spans:
        return 0, _soft_end(text, max_chars)
    best_start, best_count = spans[0][0], 0
    j = 0
    for i, (start, _end) in enumerate(spans):
        j = max(j, i)
        while j + 1 < len(spans) and spans[j + 1][1] <= start + max_chars:
            j += 1
        if j - i + 1 > best_count:
            best_start, best_count = start, j - i + 1
    # Put a little context before the first match.
    begin = max(0, best_start - max_chars // 5)
    space = text.rfind(" ", max(0, begin - 20), begin + 1)
    if space >= 0 and begin > 0:
        begin = space + 1
    end = min(len(text), begin + max_chars)
    if end < len(text):
        end = _soft_end(text, end)
    return begin, end


def _soft_end(text: str, end: int) -> int:
    space = text.rfind(" ", max(0, end - 20), end)
    return space if space > 0 else end
