"""Typed text, cleaned one way for every app: invisible characters at the ends, NUL anywhere.

A title or comment made only of zero-width characters looks empty on every page but is not
empty to Python (``"\\u200b".strip()`` keeps it), so it used to pass "required". Thai text uses
U+200B inside a line as a word-break hint, so only the ends are cleaned, never the middle.
"""

from __future__ import annotations

# Zero-width and other invisible format characters people paste from Word, LINE or the web.
INVISIBLE = (
    "\u200b"  # zero width space
    "\u200c"  # zero width non-joiner
    "\u200d"  # zero width joiner
    "\u2060"  # word joiner
    "\ufeff"  # zero width no-break space (byte order mark)
    "\u180e"  # Mongolian vowel separator (was a space before Unicode 6.3)
    "\u00ad"  # soft hyphen
    "\u2061\u2062\u2063\u2064"  # invisible mathematical operators
)


def strip_invisible(text: str) -> str:
    """``text`` without whitespace and invisible characters at either end."""
    start, end = 0, len(text)
    while start < end and (text[start].isspace() or text[start] in INVISIBLE):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in INVISIBLE):
        end -= 1
    return text[start:end]


def is_blank(text: str | None) -> bool:
    """Nothing a reader could see: empty, or only whitespace and invisible characters."""
    return not strip_invisible(text or "")


def has_nul(text: str) -> bool:
    """PostgreSQL refuses NUL in text (and in any query parameter compared with text)."""
    return "\x00" in text
