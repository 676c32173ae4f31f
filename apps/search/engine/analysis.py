"""Thai text analysis for the search index: normalisation, word segmentation, parts of words.

Whoosh's own tokenizer splits Thai at every vowel and tone mark, so nothing here uses it. Text goes
through these steps, the same for documents and queries:

1. ``normalize`` folds the ways one Thai word can be typed into one string (see ``_THAI_RULES``).
2. The text is cut into runs: Thai, Latin words (letters with digits), and numbers. Thai runs are
   segmented with a dictionary (newmm through nlpo3, PyThaiNLP's word list plus our own KM and
   cooperative terms in ``dictionary/km_terms.txt``). A long dictionary word that is itself made of
   dictionary words (รายงานการประชุม) also yields its parts (รายงาน, การประชุม, การ, ประชุม), so a
   search for a part finds the compound. Parts share positions with the compound, and positions
   count the smallest parts, so phrase queries work over either.
3. A word the dictionary does not know (a name: ซิลิฟูลส์) comes out in pieces (ซิ, ลิ, ฟูลส์)
   that depend on its neighbours; the pieces are also joined up again as extra tokens.
4. Document numbers get extra joined tokens: "กษ 1108/ว 123" also yields "กษ1108/ว123",
   "กษ1108" and "ว123"; "5/2551" yields "5/2551" besides "5" and "2551".

Nothing here downloads anything: the word lists are files inside the PyThaiNLP wheel and this repo.
"""

from __future__ import annotations

import math
import os
import re
import tempfile
import threading
import unicodedata
from collections import deque
from collections.abc import Iterable, Iterator
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import NamedTuple

# PyThaiNLP must never fetch corpora at run time (no internet on the servers): say so before it
# is imported anywhere in this process.
os.environ.setdefault("PYTHAINLP_OFFLINE", "1")
os.environ.setdefault("PYTHAINLP_READ_ONLY", "1")

KM_TERMS_FILE = Path(__file__).resolve().parent / "dictionary" / "km_terms.txt"

#: Segmenters: "nlpo3" (the Rust port of newmm, ~7x faster) or "newmm" (PyThaiNLP's Python one).
DEFAULT_ENGINE = "nlpo3"

# --------------------------------------------------------------------------------------------
# Normalisation
# --------------------------------------------------------------------------------------------

_TRANSLATE: dict[int, str | None] = {ord(d): str(i) for i, d in enumerate("๐๑๒๓๔๕๖๗๘๙")}
# Invisible characters that word processors and web pages leave inside Thai words.
_TRANSLATE.update(dict.fromkeys((0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x00AD)))
# No-break spaces are spaces (they separate "ว 123" as well as a plain space does).
_TRANSLATE.update(dict.fromkeys((0x00A0, 0x2007, 0x202F), " "))

_TONE = "\u0e48-\u0e4b"  # ่ ้ ๊ ๋
_VOWEL_MARK = "\u0e31\u0e34-\u0e3a"  # ั ิ ี ึ ื ุ ู ฺ: written above or below the consonant
_ANY_MARK = "\u0e31\u0e34-\u0e3a\u0e47-\u0e4e"

# Each rule fixes a typing variant that looks identical on screen but would not match. They are
# applied in order, only to text that has Thai in it.
_THAI_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    # เ + เ typed for แ (sara ae): "เเละ" → "และ". Two sara e never occur in a Thai word.
    (re.compile("\u0e40\u0e40"), "\u0e41"),
    # Sara am typed as nikhahit + sara aa (what NFKC would produce, and old keyboards):
    # "น้ํา" → "น้ำ". A tone mark typed between the two ends up before sara am: "นํ้า" → "น้ำ".
    (re.compile(f"\u0e4d([{_TONE}]?)\u0e32"), "\\1\u0e33"),
    # Tone mark typed after sara am: "นำ้" → "น้ำ". The tone belongs to the consonant.
    (re.compile(f"\u0e33([{_TONE}])"), "\\1\u0e33"),
    # Tone mark or thanthakhat typed before an upper/lower vowel: "ท่ี" → "ที่". Unicode order is
    # consonant, vowel, tone; a tone is never followed by a vowel mark of its own syllable.
    (re.compile(f"([{_TONE}\u0e4c])([{_VOWEL_MARK}])"), "\\2\\1"),
    # The same mark typed twice in a row ("ก่่", "กิิ"): Thai never stacks a mark on itself.
    (re.compile(f"([{_ANY_MARK}])\\1+"), "\\1"),
)
_HAS_THAI = re.compile("[\u0e01-\u0e5b]")
# The characters ``_TRANSLATE`` changes. ``str.translate`` with a dict looks every character
# of a Thai text up one by one (a tenth of a search page's snippets, issue 20); most texts
# hold none of these, and a regular expression says so at C speed.
_TRANSLATED = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(_TRANSLATE)) + "]")


def _translate(text: str) -> str:
    """``text.translate(_TRANSLATE)``, without the look-ups when nothing is to change."""
    return text.translate(_TRANSLATE) if _TRANSLATED.search(text) else text


def normalize(text: str) -> str:
    """Fold text into the one form the index stores.

    NFC; Thai digits to ASCII; drop zero-width characters and soft hyphens; no-break spaces to
    spaces; casefold; then the Thai typing fixes in ``_THAI_RULES``. NFKC is deliberately not
    used: it would split sara am (ำ) into two characters.
    """
    if not text:
        return ""
    text = _translate(unicodedata.normalize("NFC", text)).casefold()
    if _HAS_THAI.search(text):
        for pattern, replacement in _THAI_RULES:
            text = pattern.sub(replacement, text)
    return text


# --------------------------------------------------------------------------------------------
# Dictionaries
# --------------------------------------------------------------------------------------------

_LOAD_LOCK = threading.Lock()
_NLPO3_LOADED: set[str] = set()

# Prefixes that make nouns of verbs and people of nouns. They are shorter than MIN_PART but are
# still split off a compound: การประชุม → การ + ประชุม, นักปฏิบัติ → นัก + ปฏิบัติ.
_PREFIX_PARTS = frozenset({"การ", "ความ", "ผู้", "นัก", "ชาว", "ที่"})
#: A compound is split only into parts of at least this many characters (or the prefixes above):
#: shorter pieces are single syllables (ประชุม is not ประ + ชุม).
MIN_PART = 4
#: ...except that a word this long may have three-letter parts (กรม + ส่งเสริม + สหกรณ์).
LONG_WORD = 9


def _read_pythainlp_corpus(name: str) -> str:
    return resources.files("pythainlp.corpus").joinpath(name).read_text(encoding="utf-8-sig")


def _read_km_terms() -> list[str]:
    lines = KM_TERMS_FILE.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


def dictionary_words(custom: bool = True) -> frozenset[str]:
    """PyThaiNLP's bundled word list (62k words), plus ``km_terms.txt`` when ``custom``."""
    # One cache entry per list: ``lru_cache`` keys ``f()`` and ``f(True)`` apart, and spelling's
    # ``dictionary_words()`` read and kept a second copy of the list (0.14 s, issue 20).
    return _dictionary_words(bool(custom))


@lru_cache(maxsize=2)
def _dictionary_words(custom: bool) -> frozenset[str]:
    words = _read_pythainlp_corpus("words_th.txt").splitlines()
    if custom:
        words += _read_km_terms()
    # One normalize() over the joined list: its rules never reach across a line break.
    normalized = normalize("\n".join(word.strip() for word in words)).split("\n")
    return frozenset(word for word in normalized if word and " " not in word)


@lru_cache(maxsize=1)
def _word_scores() -> dict[str, float]:
    """log frequency of words in the Thai National Corpus: breaks ties between compound splits."""
    scores: dict[str, float] = {}
    for line in normalize(_read_pythainlp_corpus("tnc_freq.txt")).splitlines():
        word, _, count = line.partition("\t")
        if count.isdigit():
            scores[word] = math.log1p(int(count))
    return scores


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """Thai stopwords bundled with PyThaiNLP plus a few English ones, normalised."""
    thai = _read_pythainlp_corpus("stopwords_th.txt").splitlines()
    english = "a an and are as at be by for from in is it of on or that the this to was with"
    return frozenset(normalize(w.strip()) for w in [*thai, *english.split()] if w.strip())


def _nlpo3_dict_name(custom: bool) -> str:
    name = "kmportal_th_custom" if custom else "kmportal_th_base"
    if name in _NLPO3_LOADED:
        return name
    with _LOAD_LOCK:
        if name not in _NLPO3_LOADED:
            import nlpo3

            # nlpo3 loads from a file: write the merged, normalised list once per process.
            with tempfile.NamedTemporaryFile(
                "w", encoding="utf-8", suffix=".txt", delete=False
            ) as handle:
                handle.write("\n".join(sorted(dictionary_words(custom))))
            try:
                nlpo3.load_dict(handle.name, name)
            finally:
                os.unlink(handle.name)
            _NLPO3_LOADED.add(name)
    return name


@lru_cache(maxsize=2)
def _newmm_trie(custom: bool):
    from pythainlp.util import Trie

    return Trie(dictionary_words(custom))


def segment(run: str, engine: str = DEFAULT_ENGINE, custom: bool = True) -> list[str]:
    """Cut one run of (normalised) Thai text into dictionary words."""
    if engine == "nlpo3":
        import nlpo3

        return nlpo3.segment(run, _nlpo3_dict_name(custom), safe=True)
    if engine == "newmm":
        from pythainlp.tokenize.newmm import segment as newmm_segment

        return newmm_segment(run, custom_dict=_newmm_trie(custom), safe_mode=True)
    raise ValueError(f"unknown segmenter {engine!r}")


@lru_cache(maxsize=262144)
def split_compound(word: str, custom: bool = True) -> tuple[str, ...] | None:
    """Split a dictionary compound into its fewest dictionary words, or None.

    Parts have at least ``MIN_PART`` characters (3 in words of ``LONG_WORD`` or more) or are one
    of the noun-making prefixes; among splits with the same number of parts the one made of the
    more common words wins.
    """
    n = len(word)
    if n < 2 * MIN_PART and not word.startswith(tuple(_PREFIX_PARTS)):
        return None
    min_part = 3 if n >= LONG_WORD else MIN_PART
    words = dictionary_words(custom)
    scores = _word_scores()
    # best[i]: (parts, -score, previous cut) for the best split of word[:i]
    best: list[tuple[int, float, int] | None] = [None] * (n + 1)
    best[0] = (0, 0.0, -1)
    for i in range(n):
        current = best[i]
        if current is None:
            continue
        for j in range(i + 2, n + 1):
            if i == 0 and j == n:
                continue
            piece = word[i:j]
            if piece not in words or (len(piece) < min_part and piece not in _PREFIX_PARTS):
                continue
            candidate = (current[0] + 1, current[1] - scores.get(piece, 0.0), i)
            if best[j] is None or candidate < best[j]:
                best[j] = candidate
    if best[n] is None:
        return None
    pieces: list[str] = []
    end = n
    while end > 0:
        start = best[end][2]
        pieces.append(word[start:end])
        end = start
    return tuple(reversed(pieces))


# --------------------------------------------------------------------------------------------
# Tokens
# --------------------------------------------------------------------------------------------


class Tok(NamedTuple):
    """One analysed token: ``pos`` counts the smallest parts; offsets index the normalised text."""

    text: str
    pos: int
    start: int
    end: int
    # "word" (as segmented), "part" (of a compound word), "join" (pieces of an unknown word
    # joined up), "code" (document number)
    kind: str


WORD, PART, JOIN, CODE = "word", "part", "join", "code"

# Thai letters, vowels and tone marks; ฯ (paiyannoi), ๆ (mai yamok) and ฿ end a run.
_THAI_CHARS = "\u0e01-\u0e2e\u0e30-\u0e3a\u0e40-\u0e45\u0e47-\u0e4e"
_NOT_WORD = "\\W_\u0e00-\u0e7f"
_RUN_RE = re.compile(
    # Thai abbreviations with dots ("พ.ศ.", "ม.ค.", "ธ.ก.ส.") are one token, without the dots
    "(?P<abbr>(?<![\u0e01-\u0e4e])(?:[\u0e01-\u0e2e]{1,3}\\.){2,}(?![\u0e01-\u0e4e]))"
    f"|(?P<thai>[{_THAI_CHARS}]+)"
    # letters and digits with at least one letter: "covid19", "iso", "é"
    f"|(?P<word>[^{_NOT_WORD}]*[^\\d{_NOT_WORD}][^{_NOT_WORD}]*)"
    "|(?P<num>\\d+(?:[.,]\\d+)*)"
)
# Document numbers: an optional Thai letter prefix (ว, กษ, นร) and a number, chained with "/".
_CODE_PREFIX = "[\u0e01-\u0e2e]{1,3}\\.? ?"
_CODE_RE = re.compile(
    f"(?:(?<![\u0e01-\u0e2e.]){_CODE_PREFIX}|(?<![\\d/.,]))\\d+(?: ?/ ?(?:{_CODE_PREFIX})?\\d+)*"
)
_MAX_TOKEN = 60


def _compact(code: str) -> str:
    return code.replace(" ", "").replace(".", "")


#: Unknown words are joined up again from at most this many pieces.
MAX_JOIN = 4


# Thai runs analysed lately (about a kilobyte each): a web worker's snippets keep bringing new
# ones, so the bound is what keeps its memory flat (issue 20); 9 in 10 look-ups hit it.
@lru_cache(maxsize=16384)
def _analyse_thai(
    run: str, engine: str, custom: bool, decompose: bool, join: bool
) -> tuple[tuple, int]:
    """One Thai run's tokens ``((text, pos, start, end, kind), ...)`` and its width in positions.

    Cached: documents repeat the same runs (and the index analyses a body twice).
    """
    out: list[tuple[str, int, int, int, str]] = []
    pos = 0
    start = 0
    words = dictionary_words(custom)
    stop = stopwords()
    # Pieces of words the dictionary does not know: (text, pos, start, strong)
    group: list[tuple[str, int, int, bool]] = []
    joined: list[tuple[str, int, int, int, str]] = []
    for word in segment(run, engine, custom):
        end = start + len(word)
        if len(word) > _MAX_TOKEN or word.isspace():
            start = end
            joined.extend(_joins(group))
            group = []
            continue
        if join:
            strong = len(word) == 1 or word not in words
            if strong or (len(word) == 2 and word not in stop):
                group.append((word, pos, start, strong))
            elif group:
                joined.extend(_joins(group))
                group = []
        parts = split_compound(word, custom) if decompose else None
        out.append((word, pos, start, end, WORD))
        pos = _emit_parts(parts, pos, start, custom, out) if parts else pos + 1
        start = end
    joined.extend(_joins(group))
    if joined:
        out.extend(joined)
        out.sort(key=lambda item: item[1])
    return tuple(out), pos


def _joins(group: list[tuple[str, int, int, bool]]) -> list[tuple[str, int, int, int, str]]:
    """An unknown word cut into pieces, joined up again: "ซิ"+"ลิ"+"ฟูลส์" → "ซิลิฟูลส์".

    The segmenter cuts the same name differently next to different words ("วงซิลิฟูลส์"), so
    every 2..MAX_JOIN-piece window with a truly unknown piece (not in the dictionary, or one
    letter) is a token, at the position of its first piece.
    """
    out: list[tuple[str, int, int, int, str]] = []
    for i in range(len(group)):
        for j in range(i + 2, min(len(group), i + MAX_JOIN) + 1):
            window = group[i:j]
            if any(piece[3] for piece in window):
                text = "".join(piece[0] for piece in window)
                if 3 <= len(text) <= _MAX_TOKEN:
                    first = window[0]
                    out.append((text, first[1], first[2], first[2] + len(text), JOIN))
    return out


def _emit_parts(parts: tuple[str, ...], pos: int, start: int, custom: bool, out: list) -> int:
    for part in parts:
        end = start + len(part)
        out.append((part, pos, start, end, PART))
        sub = split_compound(part, custom)
        pos = _emit_parts(sub, pos, start, custom, out) if sub else pos + 1
        start = end
    return pos


def analyse(
    text: str,
    *,
    engine: str = DEFAULT_ENGINE,
    custom: bool = True,
    decompose: bool = True,
    join: bool = True,
    normalized: bool = False,
) -> tuple[Tok, ...]:
    """All tokens of ``text`` in position order (words, compound parts, document numbers).

    The last few results are kept: indexing one document analyses its body for several fields,
    and Whoosh analyses it again when it indexes the body. The very text objects analysed last
    in this thread are answered at once (no normalising, hashing or comparing a long text
    again); other texts go through a cache keyed by their normalised content.
    """
    options = (engine, custom, decompose, join, normalized)
    recent: deque | None = getattr(_recent, "items", None)
    if recent is None:
        recent = _recent.items = deque(maxlen=RECENT_TEXTS)
    for seen, seen_options, tokens in recent:
        if seen is text and seen_options == options:
            return tokens
    normal = text if normalized else normalize(text)
    tokens = _analyse_normalized(normal, engine, custom, decompose, join)
    # Holding the text keeps its identity from being reused by another string.
    recent.append((text, options, tokens))
    return tokens


#: Texts analysed last in this thread, by identity (``analyse``).
_recent = threading.local()
RECENT_TEXTS = 8


@lru_cache(maxsize=16)
def _analyse_normalized(
    text: str, engine: str, custom: bool, decompose: bool, join: bool
) -> tuple[Tok, ...]:
    tokens: list[Tok] = []
    pos = 0
    starts: dict[int, int] = {}
    for match in _RUN_RE.finditer(text):
        offset = match.start()
        if match.lastgroup == "thai":
            items, width = _analyse_thai(match.group(), engine, custom, decompose, join)
            for word, rel, start, end, kind in items:
                if kind == WORD:
                    starts[offset + start] = pos + rel
                tokens.append(Tok(word, pos + rel, offset + start, offset + end, kind))
            pos += width
        else:
            value = match.group()
            if match.lastgroup == "num":
                value = value.replace(",", "")
            elif match.lastgroup == "abbr":
                value = value.replace(".", "")
            if len(value) <= _MAX_TOKEN:
                starts[offset] = pos
                tokens.append(Tok(value, pos, offset, match.end(), WORD))
                pos += 1
    if any(char.isdigit() for char in text):
        codes = list(_code_tokens(text, starts))
        if codes:
            tokens.extend(codes)
            tokens.sort(key=lambda tok: tok.pos)
    return tuple(tokens)


def _code_tokens(text: str, starts: dict[int, int]) -> Iterator[Tok]:
    for match in _CODE_RE.finditer(text):
        raw = match.group()
        if "/" not in raw and not raw[0].isalpha():
            continue  # a plain number is already a token
        pos = starts.get(match.start())
        if pos is None:
            continue
        items = [item.strip() for item in raw.split("/")]
        if len(items) > 1:
            yield Tok(_compact("/".join(items)), pos, match.start(), match.end(), CODE)
        item_start = match.start()
        for item in items:
            item_start = text.index(item, item_start)
            if item[0].isalpha():
                yield Tok(_compact(item), pos, item_start, item_start + len(item), CODE)


def phrase_terms(text: str, **options: object) -> list[str]:
    """The smallest-part term sequence of ``text``: what a phrase query must find in a row."""
    tokens = analyse(text, **options)
    has_parts = {tok.pos for tok in tokens if tok.kind == PART}
    # Per position keep the finest token: a part if the word has parts, else the word itself.
    seen: dict[int, str] = {}
    for tok in tokens:
        if tok.kind in (CODE, JOIN):
            continue
        if tok.pos in has_parts and tok.kind == WORD:
            continue
        seen[tok.pos] = tok.text  # later parts at a position are finer than earlier ones
    return [seen[pos] for pos in sorted(seen)]


# --------------------------------------------------------------------------------------------
# Parts of words
# --------------------------------------------------------------------------------------------


_GRAM_RUN_RE = re.compile(f"[{_THAI_CHARS}]+|[^{_NOT_WORD}]+")


def gram_runs(text: str) -> list[str]:
    """The Thai and Latin runs of ``text`` (no pure numbers), normalised."""
    return [m.group() for m in _GRAM_RUN_RE.finditer(normalize(text)) if not m.group().isdigit()]


def ngrams(text: str, size: int = 3, *, normalized: bool = False) -> list[list[str]]:
    """Character n-grams of each Thai or Latin run of ``text`` (runs shorter than ``size`` skip)."""
    if not normalized:
        text = normalize(text)
    out: list[list[str]] = []
    for match in _GRAM_RUN_RE.finditer(text):
        run = match.group()
        if len(run) >= size and not run.isdigit():
            out.append([run[i : i + size] for i in range(len(run) - size + 1)])
    return out


#: Longest prefix the partial field keeps: what someone types before the suggestions help.
MAX_PREFIX = 12


# A Thai character cluster cannot end before a mark or a following vowel, nor after a leading
# vowel: prefixes stop only where a cluster ends (ประ, ประชุ; not ประช).
_NO_CUT_BEFORE = frozenset(
    "\u0e30\u0e31\u0e32\u0e33\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39\u0e3a\u0e45"
    "\u0e47\u0e48\u0e49\u0e4a\u0e4b\u0e4c\u0e4d\u0e4e"
)
_NO_CUT_AFTER = frozenset("\u0e40\u0e41\u0e42\u0e43\u0e44")


def cluster_prefix(text: str) -> str:
    """``text`` cut back to its last cluster boundary (what a prefix term can be)."""
    end = len(text)
    while end > 0 and not _can_cut(text, end):
        end -= 1
    return text[:end]


def _can_cut(word: str, i: int) -> bool:
    return i >= len(word) or (word[i] not in _NO_CUT_BEFORE and word[i - 1] not in _NO_CUT_AFTER)


@lru_cache(maxsize=262144)
def _prefixes(word: str, min_size: int) -> tuple[str, ...]:
    stop = min(len(word), MAX_PREFIX + 1)
    return tuple(word[:i] for i in range(min_size, stop) if _can_cut(word, i))


def word_prefixes(tokens: Iterable[Tok], min_size: int = 3) -> set[str]:
    """Beginnings of every word and compound part, ``min_size`` to ``MAX_PREFIX`` characters.

    Only prefixes that end on a character-cluster boundary, and no whole words: the word fields
    already have them.
    """
    out: set[str] = set()
    for word in {tok.text for tok in tokens if tok.kind != CODE}:
        if len(word) > min_size and not word.isdigit():
            out.update(_prefixes(word, min_size))
    return out
