"""PDFs with correct Thai: fpdf2 with HarfBuzz shaping and the bundled Sarabun font.

Thai puts vowels and tone marks above and below the consonant, sometimes stacked (ที่, ปั้น, น้ำ).
A PDF writer that places glyphs one after another leaves them overlapping or floating; HarfBuzz
(uharfbuzz) applies the font's mark-positioning tables, as a word processor does. The font is
Sarabun (SIL OFL 1.1), converted once from the vendored web-font subsets into one TrueType file
per weight, with Thai and Latin glyphs (``static/fonts/``, see its README).

Thai writes no spaces between words, so a line may only break where a word ends. Before the text
reaches fpdf2, ``breakable`` puts a zero-width space (which fpdf2 treats as a break opportunity and
the font draws as nothing) between the words PyThaiNLP finds; text extraction drops it again.
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _
from fpdf import FPDF

FONT_DIR = Path(settings.BASE_DIR) / "static" / "fonts"
FONT = "Sarabun"
ZWSP = "\u200b"
_THAI_RUN = re.compile(r"[\u0e00-\u0e7f]+")

# fpdf2 subsets the font with fontTools, which logs every step at INFO.
logging.getLogger("fontTools").setLevel(logging.WARNING)


@lru_cache(maxsize=4096)
def _thai_words(run: str) -> str:
    from pythainlp.tokenize import word_tokenize

    return ZWSP.join(word_tokenize(run, engine="newmm", keep_whitespace=True))


def breakable(text: object) -> str:
    """The text with a zero-width space between Thai words, where a line may break."""
    if text is None:
        return ""
    return _THAI_RUN.sub(lambda match: _thai_words(match.group(0)), str(text))


class ThaiPDF(FPDF):
    """An A4 document in Sarabun with shaping on, and a footer with page numbers."""

    def __init__(self, *, orientation: str = "P", footer_text: str = ""):
        super().__init__(orientation=orientation, unit="mm", format="A4")
        self.footer_text = footer_text
        self.add_font(FONT, style="", fname=str(FONT_DIR / "Sarabun-Regular.ttf"))
        self.add_font(FONT, style="B", fname=str(FONT_DIR / "Sarabun-Bold.ttf"))
        self.set_text_shaping(True)
        self.set_margins(15, 15, 15)
        self.set_auto_page_break(True, margin=15)
        self.set_font(FONT, size=11)
        self.alias_nb_pages()

    def footer(self) -> None:
        self.set_y(-11)
        self.set_font(FONT, size=8)
        self.set_text_color(110)
        page = _("Page %(page)s of %(pages)s") % {"page": self.page_no(), "pages": "{nb}"}
        text = f"{self.footer_text}   {page}" if self.footer_text else page
        self.cell(0, 5, breakable(text), align="R")
        self.set_text_color(0)

    def paragraph(
        self,
        text: str,
        *,
        size: float = 11,
        bold: bool = False,
        align: str = "L",
        indent: float = 0,
        gap: float = 1.5,
    ) -> None:
        """A block of text that wraps between words."""
        self.set_font(FONT, style="B" if bold else "", size=size)
        self.set_x(self.l_margin + indent)
        self.multi_cell(
            self.epw - indent,
            size * 0.5,
            breakable(text),
            align=align,
            new_x="LMARGIN",
            new_y="NEXT",
        )
        if gap:
            self.ln(gap)

    def signature(self, name: str, role: str, *, size: float = 13, gap: float = 6) -> None:
        """A signature block on the right half, each line centred and whole: "(signed) ....",
        "(name)", then the role. It moves to the next page rather than split."""
        width = self.epw * 0.55
        left = self.l_margin + self.epw - width
        line_height = size * 0.5
        if self.get_y() + 3 * line_height > self.page_break_trigger:
            self.add_page()
        self.set_font(FONT, size=size)
        for text in (f"({_('signed')}) ......................................", f"({name})", role):
            self.set_x(left)
            self.multi_cell(
                width, line_height, breakable(text), align="C", new_x="LMARGIN", new_y="NEXT"
            )
        self.ln(gap)

    def output_bytes(self) -> bytes:
        return bytes(self.output())
