"""In-process text extractors, one per kind of file; all text ends up through ``normalize_thai``.

These parse whatever they are given, so for PDF and Office files call them through
``sandbox.extract_in_child``, which adds the bomb checks and the time and memory limits. Plain
text, CSV and HTML are safe to extract in-process: their cost is linear in the file's size.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from apps.core.filetypes import CSV, DOCX, HTML, PDF, PPTX, TEXT, XLSX, FileKind
from apps.core.thaitext import decode_text, normalize_thai

__all__ = ["MAX_CELLS", "MAX_TEXT_CHARS", "ExtractResult", "UnsupportedTypeError", "extract"]

MAX_TEXT_CHARS = 5_000_000
MAX_CELLS = 2_000_000


@dataclass
class ExtractResult:
    text: str
    pages: int | None = None  # PDF pages, slides; None where a file has no pages
    warnings: list[str] = field(default_factory=list)
    blank_pages: list[int] = field(default_factory=list)  # PDF pages with no text layer (scans)


class UnsupportedTypeError(Exception):
    """No extractor for this kind of file."""


def extract(path: Path, kind: FileKind) -> ExtractResult:
    """The text of the file at ``path``, read as ``kind`` (from ``sniff``), normalised.

    Raises ``UnsupportedTypeError`` for kinds without text, and the parser's own exceptions (or
    ``pdf.PdfError``) for damaged files. Text longer than ``MAX_TEXT_CHARS`` is cut, with a
    warning.
    """
    extractor = _EXTRACTORS.get(kind.mime)
    if extractor is None:
        raise UnsupportedTypeError(f"unsupported type {kind.mime}")
    result = extractor(path)
    if kind.mime != PDF:  # the PDF reader normalises page by page already
        result.text = normalize_thai(result.text)
    if len(result.text) > MAX_TEXT_CHARS:
        result.text = result.text[:MAX_TEXT_CHARS]
        result.warnings.append(f"text cut at {MAX_TEXT_CHARS:,} characters")
    return result


# --- PDF -----------------------------------------------------------------------------------------
def _pdf(path: Path) -> ExtractResult:
    from .pdf import blank_pages, pdf_pages_text

    pages_text, pages, warnings = pdf_pages_text(path)
    text = normalize_thai("\n\n".join(pages_text))
    return ExtractResult(text, pages, warnings, blank_pages(pages_text))


# --- Text, CSV, HTML -----------------------------------------------------------------------------
def _read_bounded(path: Path) -> tuple[bytes, list[str]]:
    # A text file's characters are at most its bytes; reading a little past the cap is enough.
    with path.open("rb") as handle:
        data = handle.read(MAX_TEXT_CHARS * 4 + 4)
    return data, []


def _plain(path: Path) -> ExtractResult:
    data, warnings = _read_bounded(path)
    text, _ = decode_text(data)
    return ExtractResult(text, None, warnings)


class _VisibleText(HTMLParser):
    """Text a browser would show: no script/style/template/noscript, line breaks at blocks."""

    HIDDEN = frozenset({"script", "style", "template", "noscript", "svg", "math"})
    BLOCKS = frozenset(
        (
            *("address", "article", "aside", "blockquote", "br", "caption", "dd", "details"),
            *("div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1"),
            *("h2", "h3", "h4", "h5", "h6", "header", "hr", "legend", "li", "main", "nav", "ol"),
            *("p", "pre", "section", "summary", "table", "tbody", "thead", "tfoot", "tr", "ul"),
            *("title", "option"),
        )
    )
    CELLS = frozenset({"td", "th"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden: list[str] = []  # open hidden elements
        self.in_title = False

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag == "title":
            self.in_title = True
        elif tag in self.HIDDEN:
            self.hidden.append(tag)
        if tag in self.BLOCKS:
            self.parts.append("\n")
        elif tag in self.CELLS:
            self.parts.append("\t")

    def handle_startendtag(self, tag: str, attrs) -> None:
        if tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False
            self.parts.append("\n")
        elif tag in self.HIDDEN and tag in self.hidden:
            while self.hidden and self.hidden.pop() != tag:
                pass
        if tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self.in_title or not self.hidden:
            words = " ".join(data.split())
            if words and data[0].isspace():
                words = " " + words
            if words and data[-1].isspace():
                words += " "
            self.parts.append(words or " ")


def _html(path: Path) -> ExtractResult:
    data, warnings = _read_bounded(path)
    source, _ = decode_text(data)
    parser = _VisibleText()
    parser.feed(source)
    parser.close()
    lines = ("".join(parser.parts)).split("\n")
    return ExtractResult("\n".join(line.strip() for line in lines if line.strip()), None, warnings)


# --- Office Open XML -----------------------------------------------------------------------------
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_CONTAINERS = {f"{_W}sdt", f"{_W}sdtContent", f"{_W}customXml", f"{_W}ins", f"{_W}smartTag"}


def _docx(path: Path) -> ExtractResult:
    import docx

    document = docx.Document(str(path))
    lines: list[str] = []
    _docx_blocks(document.element.body, lines)
    return ExtractResult("\n".join(lines), None, [])


def _docx_blocks(parent, out: list[str]) -> None:
    """Paragraphs and tables of ``parent`` in document order; a table row is one line."""
    for child in parent.iterchildren():
        tag = child.tag
        if tag == f"{_W}p":
            out.append(_docx_runs(child))
        elif tag == f"{_W}tbl":
            for row in child.iterchildren(f"{_W}tr"):
                cells = []
                for cell in row.iter(f"{_W}tc"):
                    if cell.getparent() is not row and cell.getparent().tag != f"{_W}sdtContent":
                        continue  # nested tables are read inside their cell
                    cell_lines: list[str] = []
                    _docx_blocks(cell, cell_lines)
                    cells.append(" ".join(line for line in cell_lines if line))
                out.append("\t".join(cells))
        elif tag in _CONTAINERS:
            _docx_blocks(child, out)


def _docx_runs(paragraph) -> str:
    """A paragraph's visible text: text, tabs and breaks; deleted text and fallbacks skipped."""
    parts: list[str] = []
    stack = [paragraph]
    while stack:
        node = stack.pop()
        tag = node.tag
        if tag == f"{_W}t":
            parts.append(node.text or "")
        elif tag in (f"{_W}tab", f"{_W}ptab"):
            parts.append("\t")
        elif tag in (f"{_W}br", f"{_W}cr"):
            parts.append("\n")
        elif tag == f"{_W}noBreakHyphen":
            parts.append("-")
        elif tag == f"{_W}p" and node is not paragraph:
            parts.append("\n")  # a paragraph inside a text box
            stack.extend(reversed(list(node)))
        elif tag != _MC_FALLBACK and isinstance(tag, str):
            stack.extend(reversed(list(node)))
    return "".join(parts)


def _xlsx(path: Path) -> ExtractResult:
    import openpyxl

    workbook = openpyxl.load_workbook(str(path), read_only=True, data_only=True)
    lines: list[str] = []
    warnings: list[str] = []
    cells = 0
    try:
        for sheet in workbook.worksheets:
            lines.append(sheet.title)
            for row in sheet.iter_rows(values_only=True):
                cells += len(row)
                if cells > MAX_CELLS:
                    warnings.append(f"only the first {MAX_CELLS:,} cells were read")
                    break
                values = [_cell_text(value) for value in row]
                while values and not values[-1]:
                    values.pop()
                if values:
                    lines.append("\t".join(values))
            lines.append("")
            if cells > MAX_CELLS:
                break
    finally:
        workbook.close()
    return ExtractResult("\n".join(lines), None, warnings)


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date().isoformat()
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    return str(value).replace("\t", " ").replace("\n", " ")


def _pptx(path: Path) -> ExtractResult:
    import pptx

    presentation = pptx.Presentation(str(path))
    slides: list[str] = []
    for slide in presentation.slides:
        lines: list[str] = []
        _pptx_shapes(slide.shapes, lines)
        if slide.has_notes_slide:
            notes = slide.notes_slide.notes_text_frame
            if notes is not None and notes.text.strip():
                lines.append(notes.text)
        slides.append("\n".join(line for line in lines if line.strip()))
    text = "\n\n".join(slides).replace("\v", "\n")
    return ExtractResult(text, len(slides), [])


def _pptx_shapes(shapes, out: list[str]) -> None:
    for shape in shapes:
        if getattr(shape, "shape_type", None) == 6:  # MSO_SHAPE_TYPE.GROUP
            _pptx_shapes(shape.shapes, out)
        elif getattr(shape, "has_text_frame", False) and shape.has_text_frame:
            out.append(shape.text_frame.text)
        elif getattr(shape, "has_table", False) and shape.has_table:
            for row in shape.table.rows:
                out.append("\t".join(cell.text.replace("\n", " ") for cell in row.cells))


_EXTRACTORS = {
    PDF: _pdf,
    DOCX: _docx,
    XLSX: _xlsx,
    PPTX: _pptx,
    HTML: _html,
    TEXT: _plain,
    CSV: _plain,
}
