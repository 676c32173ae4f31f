"""What a file really is, from its content: magic bytes, the entries of a zip, text or binary;
and whether its name tells the truth about it.

The name is never trusted: a "report.pdf" that is an HTML page is HTML. The only use of the name
is to tell CSV from plain text once the content is known to be text, and to notice a name that
promises another type than the content (:func:`type_mismatch`). Sniffing reads at most the
first 64 KB, the end of a zip and its central directory (never a compressed entry), so it is
cheap and safe to run in the web process on any upload.

Every app checks uploads with this module (through ``apps.core.uploads``); the library's text
extraction uses it too. It imports nothing from Django, so the extraction child process starts
fast.
"""

from __future__ import annotations

import re
import struct
import zipfile
from dataclasses import dataclass
from pathlib import Path

from .thaitext import decode_text, looks_like_text

__all__ = ["FileKind", "kind_for_mime", "sniff", "type_mismatch"]

SAMPLE_BYTES = 64 * 1024
MAX_ZIP_ENTRIES = 50_000
MAX_CENTRAL_DIRECTORY = 16 * 1024 * 1024

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
ZIP = "application/zip"
OLE = "application/msword"
OCTET = "application/octet-stream"
TEXT, CSV, HTML, SVG = "text/plain", "text/csv", "text/html", "image/svg+xml"
RASTER = {"image/png", "image/jpeg", "image/gif", "image/webp", "image/tiff", "image/bmp"}


@dataclass(frozen=True)
class FileKind:
    """The real type of a file: its MIME type, a short label, and what may be done with it.

    ``extractable``: the extractors can get text from it. ``inline_safe``: a browser may show it
    inline (PDF and raster images only; HTML, SVG, text and Office files are always downloaded,
    as active content or content sniffing could otherwise run in the portal's origin).
    """

    mime: str
    label: str
    extractable: bool = False
    inline_safe: bool = False


_KINDS = {
    PDF: FileKind(PDF, "PDF", extractable=True, inline_safe=True),
    DOCX: FileKind(DOCX, "Word", extractable=True),
    XLSX: FileKind(XLSX, "Excel", extractable=True),
    PPTX: FileKind(PPTX, "PowerPoint", extractable=True),
    TEXT: FileKind(TEXT, "Text", extractable=True),
    CSV: FileKind(CSV, "CSV", extractable=True),
    HTML: FileKind(HTML, "HTML", extractable=True),
    SVG: FileKind(SVG, "SVG"),
    ZIP: FileKind(ZIP, "ZIP"),
    OLE: FileKind(OLE, "Office 97-2003"),
    OCTET: FileKind(OCTET, "Other"),
    **{mime: FileKind(mime, "Image", inline_safe=True) for mime in RASTER},
}

# OpenDocument and other zip-based formats we recognise but do not extract.
_ODF_LABELS = {
    "application/vnd.oasis.opendocument.text": "OpenDocument Text",
    "application/vnd.oasis.opendocument.spreadsheet": "OpenDocument Spreadsheet",
    "application/vnd.oasis.opendocument.presentation": "OpenDocument Presentation",
}


def kind_for_mime(mime: str) -> FileKind:
    """The ``FileKind`` sniffing gives for ``mime`` (unknown types are "Other")."""
    if mime in _KINDS:
        return _KINDS[mime]
    if mime in _ODF_LABELS:
        return FileKind(mime, _ODF_LABELS[mime])
    return _KINDS[OCTET]


def sniff(path: Path, *, name: str | None = None) -> FileKind:
    """The real kind of the file at ``path``, from its content.

    ``name`` (default: the path's name) only tells CSV from plain text.
    """
    with path.open("rb") as handle:
        head = handle.read(SAMPLE_BYTES)
    return kind_for_mime(_sniff_mime(path, head, name or path.name))


def _sniff_mime(path: Path, head: bytes, name: str) -> str:
    if b"%PDF-" in head[:1024]:
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "image/webp"
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return "image/tiff"
    if (
        head.startswith(b"BM")
        and len(head) > 26
        and head[14:15] in (b"\x0c", b"(", b"@", b"l", b"|")
    ):
        return "image/bmp"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return OLE
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _sniff_zip(path)
    if _BINARY_MAGIC.match(head):
        return OCTET
    if looks_like_text(head):
        return _sniff_text(head, name)
    return OCTET


# Executables, archives and media that can happen to contain few control bytes at the start.
_BINARY_MAGIC = re.compile(
    rb"MZ|\x7fELF|\xca\xfe\xba\xbe|\xcf\xfa\xed\xfe|\x1f\x8b|BZh|\xfd7zXZ|7z\xbc\xaf|Rar!"
    rb"|\x00\x00\x00.ftyp|OggS|ID3|fLaC|\x1aE\xdf\xa3|wOF[F2]|\x00\x01\x00\x00|OTTO|%!PS"
)


def _sniff_text(head: bytes, name: str) -> str:
    text, _ = decode_text(head[:4096])  # enough for the prolog; an even cut keeps UTF-16 whole
    start = _skip_prolog(text)
    lowered = start[:200].lower()
    if lowered.startswith(("<!doctype html", "<html")):
        return HTML
    if lowered.startswith("<svg") or (
        lowered.startswith("<!doctype svg") and "<svg" in text.lower()
    ):
        return SVG
    if Path(name).suffix.lower() in (".csv", ".tsv"):
        return CSV
    return TEXT


_PROLOG = re.compile(r"\s*(?:<\?xml[^>]*\?>|<!--.*?-->|\s)*", re.DOTALL)


def _skip_prolog(text: str) -> str:
    """The text after a BOM, whitespace, an XML declaration and comments."""
    text = text.lstrip("\ufeff")
    match = _PROLOG.match(text)
    return text[match.end() :] if match else text


# --- Zip containers ------------------------------------------------------------------------------
def _sniff_zip(path: Path) -> str:
    """OOXML and OpenDocument by their entry names; other zips are plain ZIP.

    The central directory's size and entry count are read from the end record first, so a zip
    claiming millions of entries is not loaded into memory to find out what it is.
    """
    counts = zip_directory_size(path)
    if counts is None or counts[0] > MAX_ZIP_ENTRIES or counts[1] > MAX_CENTRAL_DIRECTORY:
        return ZIP
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                info = archive.getinfo("mimetype")
                if info.file_size < 200:
                    mime = archive.read(info).decode("ascii", "replace").strip()
                    if mime in _ODF_LABELS:
                        return mime
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, EOFError):
        return ZIP
    if "[Content_Types].xml" in names or any(n.startswith(("word/", "xl/", "ppt/")) for n in names):
        if "word/document.xml" in names:
            return DOCX
        if "xl/workbook.xml" in names:
            return XLSX
        if "ppt/presentation.xml" in names:
            return PPTX
    return ZIP


def zip_directory_size(path: Path) -> tuple[int, int] | None:
    """``(entries, central directory bytes)`` from a zip's end record, or None if it has none."""
    with path.open("rb") as handle:
        handle.seek(0, 2)
        size = handle.tell()
        tail_size = min(size, 65_536 + 22)
        handle.seek(size - tail_size)
        tail = handle.read(tail_size)
        at = tail.rfind(b"PK\x05\x06")
        if at < 0 or len(tail) - at < 22:
            return None
        _, _, _, _, entries, directory_size, _, _ = struct.unpack("<4sHHHHIIH", tail[at : at + 22])
        if entries == 0xFFFF or directory_size == 0xFFFFFFFF:
            # Zip64: the real numbers are in the zip64 end record the locator points to.
            locator = tail.rfind(b"PK\x06\x07", 0, at)
            if locator < 0:
                return None
            (offset,) = struct.unpack("<Q", tail[locator + 8 : locator + 16])
            handle.seek(offset)
            record = handle.read(56)
            if not record.startswith(b"PK\x06\x06") or len(record) < 56:
                return None
            entries, directory_size = struct.unpack("<QQ", record[32:48])
        return entries, directory_size


# --- Names that lie ------------------------------------------------------------------------------
# What a file's extension promises, by family; a mismatch means the name lies about the content.
_FAMILIES = {
    ".pdf": {PDF},
    ".docx": {DOCX},
    ".docm": {DOCX},
    ".xlsx": {XLSX},
    ".xlsm": {XLSX},
    ".pptx": {PPTX},
    ".pptm": {PPTX},
    ".doc": {OLE},
    ".xls": {OLE},
    ".ppt": {OLE},
    ".txt": {TEXT, CSV},
    ".csv": {TEXT, CSV},
    ".tsv": {TEXT, CSV},
    ".html": {HTML},
    ".htm": {HTML},
    ".svg": {SVG},
    ".zip": {ZIP},
    **dict.fromkeys([".png", ".jpg", ".jpeg", ".gif", ".webp", ".tif", ".tiff", ".bmp"], RASTER),
}


def type_mismatch(name: str, kind: FileKind) -> str:
    """The reason a file's name and content disagree ("" when they agree or the name is silent)."""
    suffix = Path(name).suffix.lower()
    expected = _FAMILIES.get(suffix)
    if expected is None or kind.mime in expected:
        return ""
    return f"type mismatch: named {suffix} but the content is {kind.mime}"
