"""Plain text: guessing the encoding of Thai files, and cleaning extracted Thai text.

Two jobs, both pure functions without Django:

``decode_text`` turns the bytes of a text file into a string. Thai offices still produce files in
TIS-620 and Windows-874 (Notepad's "ANSI" on a Thai Windows), alongside UTF-8 and UTF-16.

``normalize_thai`` turns text that came out of a PDF, an Office file or a web page into Thai "as a
reader would type it", which is what the search index needs. Each step is listed in its docstring.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

__all__ = ["decode_text", "looks_like_text", "normalize_thai"]

# --- Decoding ------------------------------------------------------------------------------------
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE: FF FE 00 00 starts with FF FE
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# Windows-874 adds printable characters to TIS-620 in 0x80-0xA0: € … ‘ ’ “ ” • – — and NBSP.
_CP874_ONLY = frozenset(b"\x80\x85\x91\x92\x93\x94\x95\x96\x97\xa0")
# Bytes that neither TIS-620 nor Windows-874 assigns.
_THAI_UNASSIGNED = frozenset(
    b"\x81\x82\x83\x84\x86\x87\x88\x89\x8a\x8b\x8c\x8d\x8e\x8f\x90"
    b"\x98\x99\x9a\x9b\x9c\x9d\x9e\x9f\xdb\xdc\xdd\xde\xfc\xfd\xfe\xff"
)
_ALLOWED_CONTROLS = frozenset("\t\n\r\f\x1a\x1b")  # tab, newlines, form feed, DOS EOF, ESC
_ASCII_CONTROLS = re.compile(rb"[\x00-\x08\x0b\x0e-\x19\x1c-\x1f\x7f]")
# Decoded text's control characters other than those: counted by one regex, not char by char.
_STRAY_CONTROLS = re.compile(
    "[" + "".join(re.escape(chr(c)) for c in range(0x20) if chr(c) not in _ALLOWED_CONTROLS) + "]"
)


_UTF16_HIGH_BYTES = bytes(b for b in range(0x0F) if b not in (0x09, 0x0A, 0x0D))


def _plausible(char: str) -> bool:
    """Characters a Thai office's text file is made of (used to tell UTF-16 from noise)."""
    code = ord(char)
    return (
        (0x20 <= code < 0x250 and not 0x7F <= code < 0xA0)  # Latin, incl. accented letters
        or char in _ALLOWED_CONTROLS
        or 0x0E01 <= code <= 0x0E5B  # Thai
        or 0x2000 <= code <= 0x20CF  # punctuation, currency
        or code in (0x2122, 0x2026, 0xFEFF)
    )


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """``(text, codec)`` if ``data`` reads as UTF-16 (LE or BE) of plausible characters, else None.

    NUL high bytes give away English UTF-16, but Thai code units (U+0E01-U+0E5B) have a 0x0E
    high byte and no NUL at all, so the test is on what the decoded characters are instead.
    ASCII, UTF-8 and TIS-620 read as UTF-16 turn into CJK or Hangul and fail it.
    """
    if len(data) < 2 or _is_plain_ascii(data):
        return None
    # Every UTF-16 code unit of Latin or Thai text has a high byte of 0x00-0x0E; text in any
    # 8-bit encoding has almost none. Counting them (in C) spares decoding most files twice.
    high_bytes = len(data) - len(data.translate(None, _UTF16_HIGH_BYTES))
    if high_bytes < len(data) // 4:
        return None
    even = data[: len(data) - len(data) % 2]
    best: tuple[float, str, str] | None = None
    for codec in ("utf-16-le", "utf-16-be"):
        try:
            text = even.decode(codec)
        except UnicodeDecodeError:
            continue
        share = sum(map(_plausible, text)) / len(text)
        if share >= 0.95 and (best is None or share > best[0]):
            best = (share, text, codec)
    return None if best is None else (best[1], best[2])


def _mostly_latin_pairs(text: str) -> bool:
    """True when UTF-8 text is mainly two-byte characters (U+0080-U+07FF), none of them Thai.

    Short TIS-620 Thai can be valid UTF-8 by accident ("สก" is CA A1 = "ʡ"); real Thai UTF-8 has
    three-byte characters, and real Western UTF-8 is mostly ASCII with a few accents.
    """
    wide = sum(1 for char in text if 0x80 <= ord(char) < 0x800)
    if not wide or any(ord(char) >= 0x800 for char in text):
        return False
    return wide / len(text) >= 0.3


def _thai_single_byte(data: bytes) -> str:
    """Which of the two Thai single-byte encodings fits: "cp874" if a byte needs it."""
    return "cp874" if _CP874_ONLY.intersection(data) else "tis-620"


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode a text file's bytes; return ``(text, encoding)``.

    The encoding is the name of the Python codec that decodes the bytes, checked in this order:

    1. a byte-order mark: "utf-8-sig", "utf-16" or "utf-32" (the mark is not part of the text);
    2. UTF-16 without a mark ("utf-16-le" / "utf-16-be"), when the bytes decode to Thai, Latin
       and punctuation only (see ``_utf16_without_bom``);
    3. "utf-8", when the bytes are valid UTF-8 (pure ASCII included), unless they are better read
       as Thai single-byte text (see ``_mostly_latin_pairs``);
    4. "tis-620", when every byte is ASCII or a TIS-620 Thai character (0xA1-0xFB), or "cp874"
       when Windows-874's extra punctuation (… ‘ ’ “ ” • – — € NBSP, 0x80-0xA0) appears;
    5. otherwise "cp874" with undecodable bytes replaced by U+FFFD.

    This works for short texts too: a single TIS-620 Thai word is almost never valid UTF-8 or
    plausible UTF-16. Line endings are left as they are.
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return data.decode(codec, errors="replace"), codec

    utf16 = _utf16_without_bom(data)
    if utf16 is not None:
        codec = utf16[1]
        return data.decode(codec, errors="replace"), codec

    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        thai_bytes = all(byte < 0x80 or byte not in _THAI_UNASSIGNED for byte in data)
        if not (thai_bytes and _mostly_latin_pairs(text)):
            return text, "utf-8"

    if not _THAI_UNASSIGNED.intersection(data):
        codec = _thai_single_byte(data)
        return data.decode(codec, errors="replace"), codec
    return data.decode("cp874", errors="replace"), "cp874"


def _is_plain_ascii(data: bytes) -> bool:
    """Printable ASCII is never taken for UTF-16 (Thai UTF-16 is ASCII bytes plus 0x0E)."""
    return data.isascii() and not _ASCII_CONTROLS.search(data)


def looks_like_text(sample: bytes) -> bool:
    """True when a file's first bytes look like text in one of the encodings above.

    Used by sniffing, on a sample that may end in the middle of a character: a cut multi-byte
    sequence at the very end is allowed.
    """
    if not sample:
        return True
    if any(sample.startswith(bom) for bom, _ in _BOMS):
        return True
    if _utf16_without_bom(sample) is not None:
        return True
    if b"\x00" in sample:
        return False
    try:
        text = codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
    except UnicodeDecodeError:
        if _THAI_UNASSIGNED.intersection(sample):
            return False
        text = sample.decode("cp874", errors="replace")
    controls = len(_STRAY_CONTROLS.findall(text))
    return controls <= max(1, len(text) // 200)


# --- Normalising ---------------------------------------------------------------------------------
# The "Thai PUA" glyph variants (shifted or tail-less forms fonts use for stacking) mapped back
# to the characters they draw. Layout from the Windows/Mac Thai fonts, also used by TLWG fonts.
_PUA = {
    0xF700: "\u0e10",  # ฐ without its lower tail
    0xF701: "\u0e34",  # sara i, shifted left
    0xF702: "\u0e35",  # sara ii, shifted left
    0xF703: "\u0e36",  # sara ue, shifted left
    0xF704: "\u0e37",  # sara uee, shifted left
    0xF705: "\u0e48",  # mai ek, low and left
    0xF706: "\u0e49",  # mai tho, low and left
    0xF707: "\u0e4a",  # mai tri, low and left
    0xF708: "\u0e4b",  # mai chattawa, low and left
    0xF709: "\u0e4c",  # thanthakhat, low and left
    0xF70A: "\u0e48",  # mai ek, low
    0xF70B: "\u0e49",  # mai tho, low
    0xF70C: "\u0e4a",  # mai tri, low
    0xF70D: "\u0e4b",  # mai chattawa, low
    0xF70E: "\u0e4c",  # thanthakhat, low
    0xF70F: "\u0e0d",  # ญ without its lower tail
    0xF710: "\u0e31",  # mai han-akat, left
    0xF711: "\u0e4d",  # nikhahit, left
    0xF712: "\u0e47",  # maitaikhu, left
    0xF713: "\u0e48",  # mai ek, left
    0xF714: "\u0e49",  # mai tho, left
    0xF715: "\u0e4a",  # mai tri, left
    0xF716: "\u0e4b",  # mai chattawa, left
    0xF717: "\u0e4c",  # thanthakhat, left
    0xF718: "\u0e38",  # sara u, lower
    0xF719: "\u0e39",  # sara uu, lower
    0xF71A: "\u0e3a",  # phinthu, lower
}

# Invisible characters that only get in the way of search: zero-width space/joiners, direction
# marks, word joiner, BOM, soft hyphen. Other format characters are kept.
_INVISIBLE = dict.fromkeys([0x00AD, 0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x2060, 0xFEFF])
_TRANSLATE = {**_INVISIBLE, **_PUA}
# Control characters except tab and newline, private-use characters, lone surrogates.
_UNWANTED = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ue000-\uf8ff\U000f0000-\U0010ffff]"
)

_THAI = "\u0e01-\u0e4e"
_TONE = "\u0e48-\u0e4b"
# Marks that sit above or below a consonant (vowels and phinthu), typed before the tone mark.
_ABOVE_BELOW_VOWEL = "\u0e31\u0e34-\u0e3a\u0e47"
# Characters that can never begin a word, so a space in front of them is an artefact:
# sara a, the vowels and marks above/below, sara aa, sara am, lakkhangyao, maitaikhu to
# yamakkan. (Not mai yamok ๆ or paiyannoi ฯ: a space before those is correct Thai.)
_NEVER_FIRST = "\u0e30-\u0e3a\u0e45\u0e47-\u0e4e"
_LEADING_VOWEL = "\u0e40-\u0e44"  # เ แ โ ใ ไ come before the consonant they are read after
_COMBINING = "\u0e31\u0e34-\u0e3a\u0e47-\u0e4e"

_NEWLINES = re.compile(r"\r\n?|[\u2028\u2029\x85]")
_SPACES = re.compile(r"[^\S\n\t]")  # whitespace other than newline and tab
_SPACE_BEFORE_MARK = re.compile(rf"(?<=[{_THAI}]) +(?=[{_NEVER_FIRST}])")
_SPACE_AFTER_LEADING = re.compile(rf"(?<=[{_LEADING_VOWEL}]) +(?=[\u0e01-\u0e2e])")
_REPEATED_MARK = re.compile(rf"([{_COMBINING}])\1+")
_TONE_BEFORE_VOWEL = re.compile(rf"([{_TONE}\u0e4c]+)([{_ABOVE_BELOW_VOWEL}]+)")
_NIKHAHIT_AA = re.compile(rf"\u0e4d([{_TONE}]?) ?\u0e32")
_TONE_AFTER_AM = re.compile(rf"\u0e33([{_TONE}])")
# A run of four or more single Thai characters (each with its marks) separated by single spaces:
# "ก า ร ป ร ะ ชุ ม". It is joined when it shows it is an artefact: one of its pieces is a vowel
# that cannot stand alone (า ะ ำ เ แ โ ใ ไ ๅ), or it has eight pieces or more. ("ณ ที่ นี้ มี" is
# four real one-letter words and stays as it is.)
_CLUSTER = rf"[\u0e01-\u0e2e\u0e30\u0e32\u0e33\u0e40-\u0e45][{_COMBINING}]*"
_SPACED_RUN = re.compile(rf"(?<![{_THAI}]){_CLUSTER}(?: {_CLUSTER}){{3,}}(?![{_THAI}])")
_CANNOT_STAND_ALONE = set("\u0e30\u0e32\u0e33\u0e40\u0e41\u0e42\u0e43\u0e44\u0e45")


def _join_spaced_run(match: re.Match) -> str:
    pieces = match.group(0).split(" ")
    if len(pieces) >= 8 or any(piece in _CANNOT_STAND_ALONE for piece in pieces):
        return "".join(pieces)
    return match.group(0)


_MANY_SPACES = re.compile(r" {2,}")
_SPACE_AT_LINE_EDGE = re.compile(r" *\n *")
_BLANK_LINES = re.compile(r"\n{3,}")


def normalize_thai(text: str) -> str:
    """Return ``text`` as a reader would have typed it. In order, it:

    1. turns CR LF, CR and Unicode line/paragraph separators into ``\\n``;
    2. maps the Thai private-use glyph variants U+F700-U+F71A to the characters they draw, then
       removes every other private-use character (icon-font bullets and the like);
    3. removes control characters except ``\\n`` and ``\\t``, and the invisible characters
       U+00AD, U+200B-U+200F, U+2060 and U+FEFF;
    4. turns every other kind of space (NBSP, thin space, ideographic space, ...) into " ";
    5. joins a run of four or more single Thai characters (each with its marks) separated by
       single spaces ("ก า ร ป ร ะ ชุ ม" -> "การประชุม"), the pattern of text spaced out letter
       by letter, when a piece is a vowel that cannot stand alone (า ะ ำ เ แ โ ใ ไ ๅ) or the
       run has eight pieces or more; four real one-letter words ("ณ ที่ นี้ มี") stay apart;
    6. removes spaces that cannot be real: between a Thai character and a character that never
       begins a word (sara a, aa, am, the vowels above and below, lakkhangyao, tone marks and
       the other marks), and after a leading vowel เ แ โ ใ ไ before its consonant;
    7. applies NFC (which also puts a tone mark after sara u/uu), then drops a combining mark
       repeated twice in a row, moves a tone mark (or thanthakhat) that came before a vowel
       above or below to after it, composes nikhahit + sara aa (with a tone mark, or a space,
       between them allowed) into sara am ำ keeping the tone mark in front of it, and moves a
       tone mark found after sara am to before it;
    8. collapses runs of spaces to one, removes spaces at the start and end of lines, and
       keeps at most one empty line between paragraphs.

    Single spaces between Thai words or phrases are kept: Thai uses them between phrases.
    Tabs are kept (spreadsheet cells are separated by tabs). The function is idempotent.
    """
    if not text:
        return ""
    text = _NEWLINES.sub("\n", text)
    text = text.translate(_TRANSLATE)
    text = _UNWANTED.sub("", text)
    text = _SPACES.sub(" ", text)
    text = _SPACED_RUN.sub(_join_spaced_run, text)
    text = _SPACE_BEFORE_MARK.sub("", text)
    text = _SPACE_AFTER_LEADING.sub("", text)
    text = unicodedata.normalize("NFC", text)
    text = _REPEATED_MARK.sub(r"\1", text)
    text = _TONE_BEFORE_VOWEL.sub(r"\2\1", text)
    text = _NIKHAHIT_AA.sub("\\1\u0e33", text)
    text = _TONE_AFTER_AM.sub("\\1\u0e33", text)
    text = _MANY_SPACES.sub(" ", text)
    text = _SPACE_AT_LINE_EDGE.sub("\n", text)
    text = _BLANK_LINES.sub("\n\n", text)
    return text.strip(" \n")
