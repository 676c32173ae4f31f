"""PDF text in reading order, honouring /ActualText, with pdfminer.six as the parser.

Why not a library's own ``extract_text``: Chromium (every "Save as PDF" from a browser), and Word
for some clusters, draw a Thai syllable such as "ที่" or "คำ" as glyphs that have no Unicode
value of their own (a tone mark shifted left, sara am split into nikhahit and sara aa), and put
the real text in a marked-content span: ``/Span <</ActualText (ที่)>> BDC ... EMC``. pypdf and
pdfminer's converters ignore those spans (the syllable comes out with NULs or gaps), and PDFium
reads them but repeats or spaces parts of them. pdfminer's device interface does hand every glyph
and every span to us, so this module lays out the text itself:

* each glyph becomes a ``Glyph`` with its position in text-direction coordinates; inside an
  ActualText span the span's text replaces its glyphs (given once, at the first glyph);
* glyphs drawn outside the page's crop box are left out (browsers draw the line cut by a page
  break on both pages, clipped);
* glyphs are joined in content-stream order, which is reading order for what word processors
  and browsers write; a change of baseline larger than half the font size starts a new line,
  and a gap wider than a quarter of the font size inserts a space (Thai marks placed back over
  their consonant overlap it and never make a gap);
* the page text then goes through ``normalize_thai``.

``bench/compare_pdf_extractors.py`` and ``tests/library/test_extraction_pdf.py`` compare this
with pypdf, pdfminer's ``extract_text`` and PDFium on PDFs from Chromium and word processors.
PDFium (pypdfium2) is used for the first-page thumbnail, and as a fallback reader when
pdfminer cannot parse a damaged file.
"""

from __future__ import annotations

import logging
import math
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from apps.core.thaitext import normalize_thai

__all__ = [
    "PdfBombError",
    "PdfError",
    "PdfPasswordError",
    "blank_pages",
    "pdf_pages_text",
    "pdf_text",
    "pdf_thumbnail",
]

# A FlateDecode stream inflating to more than this is a bomb, whatever the memory limit says.
MAX_STREAM_BYTES = 256 * 1024 * 1024
MAX_PAGES = 5_000

logging.getLogger("pdfminer").setLevel(logging.ERROR)


class PdfError(Exception):
    """The file cannot be read as a PDF; the message is a short reason."""


class PdfPasswordError(PdfError):
    pass


class PdfBombError(PdfError):
    pass


# --- Guarding inflation --------------------------------------------------------------------------
def _bomb() -> PdfBombError:
    ceiling = MAX_STREAM_BYTES // (1024 * 1024)
    return PdfBombError(f"decompression bomb: a PDF stream inflates to more than {ceiling} MB")


class _BoundedInflater:
    """``zlib.decompressobj()`` that refuses to give more than MAX_STREAM_BYTES in total (used
    by pdfminer to salvage damaged streams)."""

    def __init__(self, *args, **kwargs) -> None:
        self._inflater = zlib.decompressobj(*args, **kwargs)
        self._total = 0

    def decompress(self, data: bytes, max_length: int = 0) -> bytes:
        out = self._inflater.decompress(data, max_length)
        self._total += len(out)
        if self._total > MAX_STREAM_BYTES:
            raise _bomb()
        return out

    def __getattr__(self, name: str):
        return getattr(self._inflater, name)


class _BoundedZlib:
    """Stands in for the ``zlib`` module inside pdfminer: inflates with a ceiling on the output."""

    error = zlib.error
    decompressobj = _BoundedInflater

    @staticmethod
    def decompress(data: bytes, *args, **kwargs) -> bytes:
        # In pieces, so that a bomb is stopped at the ceiling without a buffer twice its size.
        inflater = zlib.decompressobj()
        pieces: list[bytes] = []
        total = 0
        while not inflater.eof:
            piece = inflater.decompress(data, _PIECE)
            total += len(piece)
            if total > MAX_STREAM_BYTES:
                raise _bomb()
            pieces.append(piece)
            data = inflater.unconsumed_tail
            if not data and not piece:
                break  # all input used and nothing more to give: truncated
        if not inflater.eof:
            # As zlib.decompress does on a truncated stream: pdfminer then salvages what it can.
            raise zlib.error("incomplete or truncated stream")
        return b"".join(pieces)


_PIECE = 16 * 1024 * 1024


def _guard_pdfminer() -> None:
    from pdfminer import pdftypes

    pdftypes.zlib = _BoundedZlib  # type: ignore[assignment]


# --- Layout --------------------------------------------------------------------------------------
@dataclass(slots=True)
class Glyph:
    text: str
    along: float  # position along the baseline, in device units
    across: float  # baseline position perpendicular to it (larger = higher on the page)
    end: float  # ``along`` + advance
    size: float  # font size in device units
    direction: int  # baseline angle rounded to 15 degrees


def _lines(glyphs: list[Glyph]) -> Iterator[str]:
    parts: list[str] = []
    last = ""  # last character written on this line
    previous: Glyph | None = None
    reach = -math.inf  # furthest end of the glyphs so far on this line
    for glyph in glyphs:
        if previous is not None:
            size = max(previous.size, glyph.size, 1e-6)
            if (
                glyph.direction != previous.direction
                or abs(glyph.across - previous.across) > 0.5 * size
                or glyph.along < reach - 3 * size  # jumped far back on the same baseline
            ):
                yield "".join(parts)
                parts, last, reach = [], "", -math.inf
            elif (
                glyph.text
                and last
                and not last.isspace()
                and not glyph.text[0].isspace()
                and glyph.along - reach > 0.25 * size
            ):
                parts.append(" ")
        if glyph.text:
            parts.append(glyph.text)
            last = glyph.text[-1]
        reach = max(reach, glyph.end)
        previous = glyph
    if parts:
        yield "".join(parts)


def _make_device(rsrcmgr, sink: list[Glyph], stats: dict[str, int]):
    from pdfminer.pdfdevice import PDFTextDevice
    from pdfminer.pdffont import PDFUnicodeNotDefined
    from pdfminer.pdftypes import resolve1
    from pdfminer.utils import apply_matrix_pt, decode_text

    class GlyphDevice(PDFTextDevice):
        """Collects glyphs, replacing those inside an /ActualText span by the span's text."""

        def __init__(self, rsrcmgr) -> None:
            super().__init__(rsrcmgr)
            self.spans: list[list] = []  # [actual text or None, given yet?]
            self.visible = (-math.inf, -math.inf, math.inf, math.inf)

        def begin_page(self, page, ctm) -> None:
            # Browsers draw the line cut by the page's edge on both pages, clipped: only what
            # starts inside the page's crop box is read.
            x0, y0, x1, y1 = page.cropbox
            corners = [apply_matrix_pt(ctm, point) for point in ((x0, y0), (x1, y1))]
            (ax, ay), (bx, by) = corners
            margin = 2.0
            self.visible = (
                min(ax, bx) - margin,
                min(ay, by) - margin,
                max(ax, bx) + margin,
                max(ay, by) + margin,
            )

        def begin_tag(self, tag, props=None) -> None:
            actual = None
            props = resolve1(props)
            if isinstance(props, dict) and "ActualText" in props:
                value = resolve1(props["ActualText"])
                if isinstance(value, bytes):
                    actual = _decode_pdf_string(value, decode_text)
                elif isinstance(value, str):
                    actual = value
            self.spans.append([actual, False])

        def end_tag(self) -> None:
            if self.spans:
                self.spans.pop()

        def render_char(self, matrix, font, fontsize, scaling, rise, cid, ncs, graphicstate):
            width = font.char_width(cid)
            advance = width * fontsize * scaling
            start = apply_matrix_pt(matrix, (0, rise))
            left, bottom, right, top = self.visible
            if not (left <= start[0] <= right and bottom <= start[1] <= top):
                stats["outside"] += 1
                return advance
            span = next((s for s in reversed(self.spans) if s[0] is not None), None)
            if span is not None:
                text = "" if span[1] else span[0]
                span[1] = True
            else:
                try:
                    text = font.to_unichr(cid)
                except (PDFUnicodeNotDefined, KeyError, IndexError, ValueError, TypeError):
                    text = ""
                if not text or text == "\x00":
                    stats["unmapped"] += 1
                    text = ""
            stats["glyphs"] += 1
            stop = apply_matrix_pt(matrix, (advance or 1e-3, rise))
            dx, dy = stop[0] - start[0], stop[1] - start[1]
            length = math.hypot(dx, dy) or 1e-9
            ux, uy = dx / length, dy / length
            vertical_scale = math.hypot(matrix[2], matrix[3]) or 1.0
            sink.append(
                Glyph(
                    text=text,
                    along=start[0] * ux + start[1] * uy,
                    across=-start[0] * uy + start[1] * ux,
                    end=stop[0] * ux + stop[1] * uy if advance else start[0] * ux + start[1] * uy,
                    size=abs(fontsize * vertical_scale) or 1.0,
                    direction=round(math.degrees(math.atan2(uy, ux)) / 15) % 24,
                )
            )
            return advance

    return GlyphDevice(rsrcmgr)


def _decode_pdf_string(value: bytes, decode_text) -> str:
    if value.startswith(b"\xfe\xff"):
        return value[2:].decode("utf-16-be", errors="replace")
    if value.startswith(b"\xff\xfe"):
        return value[2:].decode("utf-16-le", errors="replace")
    if value.startswith(b"\xef\xbb\xbf"):
        return value[3:].decode("utf-8", errors="replace")
    return decode_text(value)


# --- Public --------------------------------------------------------------------------------------
def pdf_text(path: Path, *, normalize: bool = True) -> tuple[str, int, list[str]]:
    """``(text, pages, warnings)`` of a PDF; raises ``PdfError`` with a short reason.

    ``normalize=False`` skips ``normalize_thai`` (the benchmark shows what it fixes).
    """
    pages_text, pages, warnings = pdf_pages_text(path)
    text = "\n\n".join(pages_text)
    return normalize_thai(text) if normalize else text, pages, warnings


#: A page with fewer letters and digits than this in its text layer is a scan (a stamp or a page
#: number drawn as text does not make it readable): OCR reads it.
MIN_PAGE_CHARACTERS = 20


def blank_pages(pages_text: list[str]) -> list[int]:
    """The numbers (1-based) of the pages whose text layer has (almost) no text."""
    return [
        number
        for number, text in enumerate(pages_text, start=1)
        if sum(char.isalnum() for char in text) < MIN_PAGE_CHARACTERS
    ]


def pdf_pages_text(path: Path) -> tuple[list[str], int, list[str]]:
    """``(text of each page, pages, warnings)`` of a PDF, not normalised; raises ``PdfError``."""
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfminer.psexceptions import PSException

    _guard_pdfminer()
    warnings: list[str] = []
    pages_text: list[str] = []
    stats = {"glyphs": 0, "unmapped": 0, "outside": 0}
    try:
        with path.open("rb") as handle:
            manager = PDFResourceManager(caching=True)
            for number, page in enumerate(PDFPage.get_pages(handle, check_extractable=False)):
                if number >= MAX_PAGES:
                    warnings.append(f"only the first {MAX_PAGES} pages were read")
                    break
                glyphs: list[Glyph] = []
                device = _make_device(manager, glyphs, stats)
                interpreter = PDFPageInterpreter(manager, device)
                try:
                    interpreter.process_page(page)
                except (PdfBombError, MemoryError, RecursionError):
                    raise
                except Exception as error:  # one damaged page must not lose the others
                    warnings.append(f"page {number + 1}: {type(error).__name__}")
                pages_text.append("\n".join(_lines(glyphs)))
    except PdfError:
        raise
    except (PDFPasswordIncorrect, PDFEncryptionError) as error:
        raise PdfPasswordError("encrypted PDF: a password is needed to read it") from error
    except RecursionError as error:
        raise PdfError("not a valid PDF: objects refer to themselves") from error
    except (PDFSyntaxError, PSException, ValueError, KeyError, TypeError, AttributeError) as error:
        return _fallback(path, error, warnings)
    if not pages_text:
        return _fallback(path, PdfError("no pages"), warnings)
    if stats["glyphs"] and stats["unmapped"] / stats["glyphs"] > 0.2:
        warnings.append(
            f"{stats['unmapped']} of {stats['glyphs']} characters have no Unicode value "
            "(text may be incomplete)"
        )
    return pages_text, len(pages_text), warnings


def _fallback(
    path: Path, error: Exception, warnings: list[str]
) -> tuple[list[str], int, list[str]]:
    """PDFium repairs damaged files better than pdfminer; its text is second best, but text."""
    try:
        import pypdfium2 as pdfium

        document = pdfium.PdfDocument(str(path))
    except Exception as pdfium_error:
        raise PdfError("not a valid PDF") from pdfium_error
    try:
        parts = []
        for index in range(min(len(document), MAX_PAGES)):
            page = document[index]
            textpage = page.get_textpage()
            parts.append(textpage.get_text_range())
            textpage.close()
            page.close()
        pages = len(document)
    finally:
        document.close()
    warnings.append(f"read with the fallback PDF reader ({type(error).__name__})")
    return parts, pages, warnings


def pdf_thumbnail(path: Path, *, max_side: int = 320) -> bytes | None:
    """PNG of the first page, ``max_side`` pixels on its long side, rendered by PDFium."""
    import io

    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(path))
    try:
        if len(document) == 0:
            return None
        page = document[0]
        width, height = page.get_size()
        scale = max_side / max(width, height, 1)
        image = page.render(scale=scale, draw_annots=False).to_pil()
        page.close()
        buffer = io.BytesIO()
        image.convert("RGB").save(buffer, format="PNG", optimize=True)
        return buffer.getvalue()
    finally:
        document.close()
