"""Tesseract's Thai output made fit to read and to index: a pure function, step by step.

Three steps, in this order, each measurable on its own (``bench/ocr_quality.py`` adds them
one at a time):

``sara_am``
    Tesseract writes SARA AM as NIKHAHIT + SARA AA (``นํา`` for ``นำ``), sometimes with the tone
    mark between them or a space; a reader types ``นำ`` and search looks for it so.
``drop_noise``
    Specks become isolated characters: ``|``, ``_``, ``~``, a lone quote or dot, a Thai vowel or
    mark with no consonant. A word made only of such characters is dropped, and so is a line
    left with no letter or digit. Real punctuation inside words stays.
``join_lines``
    A Thai line ends where the paper's line ended, with no space to mark it: the word or phrase
    goes on on the next line. Lines of one paragraph are joined without a space where a Thai
    character meets a Thai character, and with one space otherwise (English words, numbers).
    Blank lines (paragraphs) are kept.

``clean_ocr_text`` runs the chosen steps, then ``normalize_thai`` (the same normalisation
every other extracted text goes through). Nothing here imports Django.
"""

from __future__ import annotations

import re
import unicodedata

from apps.core.thaitext import normalize_thai

__all__ = ["STEPS", "clean_ocr_text", "drop_noise", "join_lines", "sara_am"]

STEPS = ("sara_am", "drop_noise", "join_lines")

_TONE = "\u0e48-\u0e4b"
_NIKHAHIT_AA = re.compile(rf"\u0e4d([{_TONE}]?)\s?([{_TONE}]?)\u0e32")
_THAI_CHAR = re.compile(r"[\u0e01-\u0e5b]")
# Thai marks that cannot stand at the start of a word (vowels above/below, tone marks, ...).
_MARKS = "\u0e31\u0e34-\u0e3a\u0e47-\u0e4e"
_LEADING_MARKS = re.compile(rf"(?:(?<=\s)|^)[{_MARKS}]+", re.MULTILINE)
# Isolated punctuation kept: it means something on its own (a dash, a slash between numbers).
_KEEP_ALONE = frozenset("-–—/()%&:+=*•ฯๆ")


def sara_am(text: str) -> str:
    """NIKHAHIT (+ tone) + SARA AA → tone + SARA AM: ``นํา`` → ``นำ``, ``น้ํา`` → ``น้ำ``."""
    return _NIKHAHIT_AA.sub(lambda m: f"{m.group(1) or m.group(2)}\u0e33", text)


def join_lines(text: str) -> str:
    """The lines of each paragraph as one line: Thai meets Thai without a space, anything
    else with one space. Paragraphs (separated by blank lines) stay apart."""
    paragraphs = re.split(r"\n[ \t]*\n", text.replace("\r\n", "\n"))
    joined = []
    for paragraph in paragraphs:
        lines = [line.strip() for line in paragraph.split("\n") if line.strip()]
        if not lines:
            continue
        out = lines[0]
        for line in lines[1:]:
            thai_meets_thai = _THAI_CHAR.match(out[-1]) and _THAI_CHAR.match(line[0])
            out += line if thai_meets_thai else f" {line}"
        joined.append(out)
    return "\n\n".join(joined)


def _is_noise(word: str) -> bool:
    if word in _KEEP_ALONE:
        return False
    return not any(unicodedata.category(char)[0] in "LN" for char in word)


def drop_noise(text: str) -> str:
    """Words with no letter or digit (``|``, ``_``, ``~``, ``'``, ``.``, ``�``), Thai marks with
    no consonant before them, lines left empty, and lines of specks read as letters (no word
    longer than two characters, and three words or more or no Thai: ``aa a ๐ 0 a``, ``YY aw``)
    dropped; the rest as it was. (A line that is only a two-letter English word or a page
    number goes too: nobody searches for them.)"""
    text = text.replace("\ufffd", "")
    text = _LEADING_MARKS.sub("", text)
    lines = []
    for line in text.split("\n"):
        words = [word for word in re.split(r"[ \t]+", line) if word and not _is_noise(word)]
        if all(len(word) <= 2 for word in words) and (
            len(words) >= 3 or not any(_THAI_CHAR.search(word) for word in words)
        ):
            words = []  # specks read as letters: "aa a ๐ 0 a", "YY aw", "o"
        if words or not line.strip():
            lines.append(" ".join(words))
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")


_FUNCTIONS = {"sara_am": sara_am, "drop_noise": drop_noise, "join_lines": join_lines}


def clean_ocr_text(text: str, *, steps: tuple[str, ...] = STEPS, normalize: bool = True) -> str:
    """Tesseract's text after ``steps`` (in their fixed order) and ``normalize_thai``."""
    unknown = set(steps) - set(STEPS)
    if unknown:
        raise ValueError(f"unknown steps: {', '.join(sorted(unknown))}")
    for name in STEPS:
        if name in steps:
            text = _FUNCTIONS[name](text)
    return normalize_thai(text) if normalize else text.strip()
