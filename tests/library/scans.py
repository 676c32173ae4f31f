"""Thai "scans" made from known text: the tests' OCR samples and ``bench/ocr_quality.py``'s.

Text is laid out by fpdf2 with Sarabun from ``static/fonts`` (HarfBuzz shaping, so the marks
sit where a printer puts them), rendered by PDFium at the scan's dpi, then spoilt as a scanner
or a phone would: a slight rotation, blur, specks, JPEG compression, an EXIF rotation.
"""

from __future__ import annotations

import io
import random
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FONT = ROOT / "static" / "fonts" / "Sarabun-Regular.ttf"


def page_pdf(text: str, *, width_mm: float = 180, size_pt: float = 16) -> bytes:
    """A PDF page with ``text`` (a text layer) sized to fit it."""
    from fpdf import FPDF

    line_mm = size_pt * 0.3528 * 1.6
    lines = max(1, text.count("\n") + 1 + len(text) // 60)
    height = 20 + line_mm * lines * 1.3
    pdf = FPDF(unit="mm", format=(width_mm + 20, height))
    pdf.set_auto_page_break(False)
    pdf.add_page()
    pdf.add_font("Sarabun", fname=str(FONT))
    pdf.set_font("Sarabun", size=size_pt)
    pdf.set_text_shaping(True)
    pdf.set_xy(10, 10)
    pdf.multi_cell(width_mm, line_mm, text)
    return bytes(pdf.output())


def render(pdf: bytes, *, dpi: int = 200, page: int = 0):
    """A page of ``pdf`` as a greyscale Pillow image at ``dpi``."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    try:
        image = document[page].render(scale=dpi / 72).to_pil().convert("L")
    finally:
        document.close()
    image.info["dpi"] = (dpi, dpi)
    return image


def spoil(image, *, rotate: float = 0.0, blur: float = 0.0, specks: int = 0, seed: int = 1):
    """The image as a scanner gives it back: turned by ``rotate`` degrees, blurred, specked."""
    from PIL import ImageDraw, ImageFilter

    if rotate:
        image = image.rotate(rotate, expand=True, fillcolor=255)
    if blur:
        image = image.filter(ImageFilter.GaussianBlur(blur))
    if specks:
        chance = random.Random(seed)
        draw = ImageDraw.Draw(image)
        for _ in range(specks):
            x, y = chance.randrange(image.width), chance.randrange(image.height)
            radius = chance.choice((1, 1, 2, 3))
            draw.ellipse((x, y, x + radius, y + radius), fill=chance.randrange(0, 90))
    return image


def scan(text: str, *, dpi: int = 200, **spoilt) -> object:
    return spoil(render(page_pdf(text), dpi=dpi), **spoilt)


def as_png(image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", dpi=image.info.get("dpi", (200, 200)))
    return buffer.getvalue()


def as_jpeg(image, *, quality: int = 80, exif_rotated: bool = False) -> bytes:
    """JPEG bytes; ``exif_rotated``: stored turned a quarter as a phone does, with the EXIF
    orientation that turns it back."""
    from PIL import Image

    exif = Image.Exif()
    if exif_rotated:
        image = image.transpose(Image.Transpose.ROTATE_90)  # counter-clockwise
        exif[0x0112] = 6  # "rotate 90 CW to display"
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, format="JPEG", quality=quality, exif=exif.tobytes())
    return buffer.getvalue()


def image_pdf(*images) -> bytes:
    """An image-only PDF (no text layer) with one page per image."""
    first, *rest = [image.convert("RGB") for image in images]
    dpi = images[0].info.get("dpi", (200, 200))[0]
    buffer = io.BytesIO()
    first.save(buffer, format="PDF", save_all=True, append_images=rest, resolution=dpi)
    return buffer.getvalue()


def mixed_pdf(text_page: str, scanned_image) -> bytes:
    """Page 1 with a text layer (``text_page``), page 2 a scan (an image, no text)."""
    from fpdf import FPDF

    pdf = FPDF(unit="mm", format="A4")
    pdf.set_auto_page_break(False)
    pdf.add_font("Sarabun", fname=str(FONT))
    pdf.set_text_shaping(True)
    pdf.add_page()
    pdf.set_font("Sarabun", size=16)
    pdf.set_xy(15, 15)
    pdf.multi_cell(180, 9, text_page)
    pdf.add_page()
    dpi = scanned_image.info.get("dpi", (200, 200))[0]
    width_mm = scanned_image.width / dpi * 25.4
    buffer = io.BytesIO()
    scanned_image.convert("RGB").save(buffer, format="PNG")
    buffer.seek(0)
    pdf.image(buffer, x=15, y=15, w=min(width_mm, 180))
    return bytes(pdf.output())
