"""Did you mean: close indexed words for the words of a query the index does not know.

Thai has no spaces, so a misspelt word ("สหกรน์") reaches us cut into pieces (สห, กรน์) by the
segmenter; the pieces are tried alone and with their neighbours against the title and body
words (Whoosh's Levenshtein automata over the term index).

Everything is measured in the viewer's ``Scope``: a word is unknown when nothing the viewer may
open holds it, and a correction must be held by something the viewer may open. The term index
itself also lists the words of restricted entries and of replaced ones not yet merged away.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from whoosh.support.levenshtein import distance

from . import abbreviations
from .analysis import WORD, dictionary_words, normalize
from .analyzers import ThaiWordTokenizer

WORD_FIELDS = ("title", "body", "code")  # as the query builder's: a word in any is known
SPELLING_MAX_CHARS = 80  # a pasted paragraph gets no "did you mean"
_MAX_LOOKUPS = 12  # each lookup builds an automaton: keep it cheap
#: Shortest word corrected, and shortest correction offered. Three Thai letters are a syllable
#: or an abbreviation ("พรบ"), and one letter off them is another syllable: "พรบ" was offered
#: "พระ", a fragment of the word meant (issue 16).
MIN_CORRECTED = 4


def did_you_mean(scope: Any, analyzer: ThaiWordTokenizer, raw: str) -> str | None:
    """The query with its unknown words replaced by close known words, or None.

    ``scope`` is the engine's ``Scope``: the documents of its snapshot the viewer may open.
    """
    text = normalize(raw)
    changed = False
    budget = [_MAX_LOOKUPS]
    known: dict[str, bool] = {}
    for chunk in dict.fromkeys(text.split()):
        if chunk.startswith("-") or ":" in chunk or abbreviations.is_abbreviation(chunk):
            continue
        words = [t.text for t in analyzer.analyse(chunk) if t.kind == WORD]
        for word in words:
            if word not in known:
                known[word] = any(scope.holds(name, word) for name in WORD_FIELDS)
        unknown = [word for word in words if not known[word]]
        if not unknown:
            continue
        fixed = _correct_pieces(scope, words, unknown, budget)
        if fixed and fixed != chunk:
            text = text.replace(chunk, fixed)
            changed = True
    return text if changed else None


def _correct_pieces(
    scope: Any, words: list[str], unknown: list[str], budget: list[int]
) -> str | None:
    """Fix unknown words; a misspelt word is often cut into pieces, so try it with neighbours.

    Among the windows around an unknown piece the closest correction wins, then the one
    covering more pieces, then the more common word.
    """
    out = list(words)
    fixed_any = False
    for i, word in enumerate(words):
        if word not in unknown or not out[i]:
            continue
        best: tuple[int, int, int, str, int, int] | None = None
        for lo in range(max(0, i - 2), i + 1):
            for hi in range(i + 1, min(len(words), i + 3) + 1):
                if not all(out[lo:hi]) or budget[0] <= 0:
                    continue
                budget[0] -= 1
                found = _correct(scope, "".join(words[lo:hi]))
                if found:
                    key = (found[0], lo - hi, found[1], found[2], lo, hi)
                    if best is None or key < best:
                        best = key
        if best:
            _dist, _width, _freq, fix, lo, hi = best
            out[lo:hi] = [fix] + [""] * (hi - lo - 1)
            fixed_any = True
    return "".join(out) if fixed_any else None


def _correct(scope: Any, word: str) -> tuple[int, int, str] | None:
    """The closest title/body word of the scope as (distance, -frequency, word), or None.

    A correction is a whole word: at least ``MIN_CORRECTED`` letters, not shorter than the
    word less one, and for a Thai word one the dictionary knows or one at least as long as
    the word typed (a piece the segmenter cut out of a longer word is not offered)."""
    if len(word) < MIN_CORRECTED:
        return None
    maxdist = 1 if len(word) <= 4 else 2
    best: tuple[int, int, str] | None = None
    known = dictionary_words()
    for name in ("title", "body"):
        for candidate in within(scope.snap.reader, name, word, maxdist):
            if candidate == word or len(candidate) < max(MIN_CORRECTED, len(word) - 1):
                continue
            if _is_thai(candidate) and candidate not in known and len(candidate) < len(word):
                continue
            freq = scope.frequency("body", candidate) + scope.frequency("title", candidate)
            if not freq:  # only in what the viewer may not open, or in replaced entries
                continue
            key = (distance(word, candidate), -freq, candidate)
            if best is None or key < best:
                best = key
    return best


def within(reader: Any, fieldname: str, word: str, maxdist: int) -> Iterable[str]:
    """``reader.terms_within(fieldname, word, maxdist, prefix=1)``: a segment's own (Whoosh
    walks its word list with an automaton), ``terms_within`` below over several."""
    if reader.is_atomic():
        return reader.terms_within(fieldname, word, maxdist, prefix=1)
    return terms_within(reader, fieldname, word, maxdist)


def terms_within(reader: Any, fieldname: str, word: str, maxdist: int) -> list[str]:
    """The words of ``fieldname`` that begin with ``word``'s first letter and are at most
    ``maxdist`` edits from it: what Whoosh's ``terms_within(..., prefix=1)`` gives over several
    segments, where it measures the distance to every word of that letter in pure Python
    (a Thai letter begins thousands: 30 ms a correction, issue 20). A word whose length
    differs by more than ``maxdist`` cannot be that close, and is passed over unmeasured."""
    field = reader.schema[fieldname]
    shortest, longest = len(word) - maxdist, len(word) + maxdist
    found = []
    for raw in reader.expand_prefix(fieldname, word[:1]):
        candidate = field.from_bytes(raw)
        if (
            shortest <= len(candidate) <= longest
            and distance(candidate, word, limit=maxdist) <= maxdist
        ):
            found.append(candidate)
    return found


def _is_thai(word: str) -> bool:
    return any("\u0e01" <= char <= "\u0e4e" for char in word)
