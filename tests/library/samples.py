"""Sample files for the extraction tests and ``bench/compare_pdf_extractors.py``, built on the fly.

Real ones (Thai text in every encoding and format, Thai PDFs from Chromium and from word
processors) and hostile ones (bombs, cycles, files lying about their type). Nothing here needs
Django, and nothing binary is committed: every file is made in a temporary directory.
"""

from __future__ import annotations

import io
import os
import shutil
import struct
import subprocess
import tempfile
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SARABUN = ROOT / "static" / "vendor" / "sarabun" / "files"
TLWG = Path("/usr/share/fonts/truetype/tlwg")
CHROMIUM = os.environ.get("KM_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
HAVE_CHROMIUM = Path(CHROMIUM).is_file() and os.access(CHROMIUM, os.X_OK)
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")

# --- The Thai text every sample carries -----------------------------------------------------------
# Tone marks, sara am, vowels above and below, leading vowels, tall consonants (ป ฝ ฟ) whose
# marks fonts shift left, ญ and ฐ that lose their tail over a lower vowel, Thai digits, and the
# mixed Thai-Latin-digit references of government letters.
THAI_LINES = [
    "คำสั่งที่ 5/2551 เรื่อง กำหนดหน้าที่ผู้รับผิดชอบงานน้ำ",
    "ที่ กษ 1108/ว 123 ลงวันที่ ๑๕ มกราคม ๒๕๖๗",
    "เจ้าหน้าที่ทำแผนงานโครงการใหม่ให้ใช้ได้ไม่เกินปี",
    "ฝ่ายปฏิบัติการป่าไม้ ฟ้าฝน ปั้นน้ำเป็นตัว",
    "ฐานข้อมูลกตัญญูบุญคุณ สุขภาพดี ผู้ใหญ่ใจดี",
    "Knowledge Management (KM) version 2.0",
]
THAI_TEXT = "\n".join(THAI_LINES)
# What search must find: each must appear exactly, after normalize_thai.
EXPECTED_WORDS = [
    "คำสั่งที่ 5/2551",
    "กษ 1108/ว 123",
    "เรื่อง",
    "กำหนด",
    "หน้าที่",
    "ผู้รับผิดชอบ",
    "น้ำ",
    "ลงวันที่ ๑๕ มกราคม ๒๕๖๗",
    "เจ้าหน้าที่",
    "ทำ",
    "แผนงาน",
    "โครงการ",
    "ใหม่",
    "ให้",
    "ใช้",
    "ได้",
    "ไม่",
    "ปี",
    "ฝ่าย",
    "ปฏิบัติการ",
    "ป่าไม้",
    "ฟ้าฝน",
    "ปั้นน้ำเป็นตัว",
    "ฐานข้อมูล",
    "กตัญญู",
    "บุญคุณ",
    "สุขภาพดี",
    "ผู้ใหญ่ใจดี",
    "Knowledge Management (KM) version 2.0",
]


def thai_font(name: str = "Garuda") -> Path | None:
    """A Thai TrueType font from Debian's fonts-thai-tlwg, or None when it is not installed."""
    path = TLWG / f"{name}.ttf"
    return path if path.is_file() else None


# --- Text files ----------------------------------------------------------------------------------
SHORT_THAI = "สวัสดี ครับ"  # two words, 11 bytes in TIS-620


def text_bytes(text: str, codec: str) -> bytes:
    return text.encode(codec)


# --- Office files --------------------------------------------------------------------------------
def make_docx(path: Path) -> Path:
    """A Word file: a heading, Thai paragraphs, a table, and a paragraph after it."""
    import docx

    document = docx.Document()
    document.add_heading("บันทึกข้อความ", level=1)
    document.add_paragraph(THAI_LINES[0])
    document.add_paragraph(THAI_LINES[1])
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "ผู้รับผิดชอบ"
    table.cell(0, 1).text = "กำหนดส่ง"
    table.cell(1, 0).text = "นางสาวสมหญิง ใจดี"
    table.cell(1, 1).text = "๓๑ มีนาคม ๒๕๖๘"
    paragraph = document.add_paragraph("ข้อ ๑\tน้ำประปา ")
    paragraph.add_run("ไม่ต้องใช้").bold = True
    document.add_paragraph(THAI_LINES[4])
    document.save(path)
    return path


DOCX_TEXT = "\n".join(
    [
        "บันทึกข้อความ",
        THAI_LINES[0],
        THAI_LINES[1],
        "ผู้รับผิดชอบ\tกำหนดส่ง",
        "นางสาวสมหญิง ใจดี\t๓๑ มีนาคม ๒๕๖๘",
        "ข้อ ๑\tน้ำประปา ไม่ต้องใช้",
        THAI_LINES[4],
    ]
)


def make_xlsx(path: Path) -> Path:
    import datetime as dt

    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "งบประมาณ"
    sheet.append(["รายการ", "จำนวนเงิน", "วันที่"])
    sheet.append(["ค่าน้ำประปา", 1500, dt.date(2025, 3, 31)])
    sheet.append(["ค่าไฟฟ้า", 2750.5, None])
    other = workbook.create_sheet("ผู้รับผิดชอบ")
    other.append(["นายสมชาย ใจดี", None, "หัวหน้าฝ่าย"])
    workbook.save(path)
    return path


XLSX_TEXT = "\n".join(
    [
        "งบประมาณ",
        "รายการ\tจำนวนเงิน\tวันที่",
        "ค่าน้ำประปา\t1500\t2025-03-31",
        "ค่าไฟฟ้า\t2750.5",
        "",
        "ผู้รับผิดชอบ",
        "นายสมชาย ใจดี\t\tหัวหน้าฝ่าย",
    ]
)


def make_pptx(path: Path) -> Path:
    import pptx
    from pptx.util import Inches

    presentation = pptx.Presentation()
    slide = presentation.slides.add_slide(presentation.slide_layouts[1])
    slide.shapes.title.text = "การจัดการความรู้"
    slide.placeholders[1].text = "กำหนดเป้าหมาย\nแลกเปลี่ยนเรียนรู้"
    slide.notes_slide.notes_text_frame.text = "หมายเหตุ: ผู้บรรยายพูดช้า ๆ"
    second = presentation.slides.add_slide(presentation.slide_layouts[5])
    second.shapes.title.text = "ตารางสรุป"
    table = second.shapes.add_table(2, 2, Inches(1), Inches(2), Inches(6), Inches(1.5)).table
    table.cell(0, 0).text = "ตัวชี้วัด"
    table.cell(0, 1).text = "ผลงาน"
    table.cell(1, 0).text = "จำนวนผู้เข้าร่วม"
    table.cell(1, 1).text = "๑๒๐ คน"
    presentation.save(path)
    return path


PPTX_TEXT = "\n".join(
    [
        "การจัดการความรู้",
        "กำหนดเป้าหมาย",
        "แลกเปลี่ยนเรียนรู้",
        "หมายเหตุ: ผู้บรรยายพูดช้า ๆ",
        "",
        "ตารางสรุป",
        "ตัวชี้วัด\tผลงาน",
        "จำนวนผู้เข้าร่วม\t๑๒๐ คน",
    ]
)

HTML_PAGE = """<!DOCTYPE html>
<html lang="th"><head><meta charset="utf-8"><title>ประกาศ</title>
<style>body { font-family: Sarabun; } .x::before { content: "ซ่อน"; }</style>
<script>document.title = "สคริปต์ไม่ใช่ข้อความ";</script></head>
<body><h1>ประกาศสำนักงาน</h1>
<p>เรื่อง <b>การประชุม</b>ประจำเดือน</p>
<template><p>แม่แบบไม่แสดง</p></template><noscript>ไม่มีสคริปต์</noscript>
<ul><li>วันที่ ๑ &amp; ๒</li><li>ห้อง 301</li></ul>
<table><tr><td>ชื่อ</td><td>ตำแหน่ง</td></tr></table>
</body></html>"""
HTML_TEXT = "ประกาศ\nประกาศสำนักงาน\nเรื่อง การประชุมประจำเดือน\nวันที่ ๑ & ๒\nห้อง 301\nชื่อ\tตำแหน่ง"


# --- Images --------------------------------------------------------------------------------------
def png_bytes(size=(640, 480), color=(30, 90, 140), fmt="PNG") -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format=fmt)
    return buffer.getvalue()


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))


def png_bomb(width: int = 30_000, height: int = 30_000) -> bytes:
    """A valid PNG of a few hundred KB whose header says 900 megapixels (as in accounts/images)."""
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1-bit greyscale
    row = b"\x00" * (1 + (width + 7) // 8)
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", data)
        + _png_chunk(b"IEND", b"")
    )


# --- Hand-made PDFs ------------------------------------------------------------------------------
def build_pdf(objects: dict[int, bytes], *, root: int = 1, size: int | None = None) -> bytes:
    """A PDF file from ``{number: body}``; the cross-reference table is computed."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + objects[number] + b"\nendobj\n"
    xref = len(out)
    count = (size or max(objects)) + 1
    out += b"xref\n0 %d\n0000000000 65535 f \n" % count
    for number in range(1, count):
        if number in offsets:
            out += b"%010d 00000 n \n" % offsets[number]
        else:
            out += b"0000000000 65535 f \n"
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (count, root, xref)
    return bytes(out)


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"


_PAGE_BASE = {
    1: b"<< /Type /Catalog /Pages 2 0 R >>",
    2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
    b" /Resources << /Font << /F1 5 0 R >> >> >>",
    5: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
}


def zero_deflate(total: int, *, raw: bool = False, chunk: int = 1 << 20) -> bytes:
    """A zlib (or raw deflate) stream of ``total`` zero bytes, built without compressing them all.

    One chunk is compressed after a full flush, which makes its blocks independent of what came
    before, so the same bytes can be repeated; the checksum is computed for the whole.
    """
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15 if raw else 15)
    head = compressor.compress(b"") + compressor.flush(zlib.Z_FULL_FLUSH)
    block = compressor.compress(b"\x00" * chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    final = compressor.flush(zlib.Z_FINISH)
    repeats, rest = divmod(total, chunk)
    if rest:
        raise ValueError("total must be a multiple of chunk")
    body = head + block * repeats
    if raw:
        return body + final
    # zlib trailer: the Adler-32 of n zero bytes is ((n mod 65521) << 16) | 1.
    return body + final[:-4] + struct.pack(">I", ((total % 65521) << 16) | 1)


def pdf_bomb(inflated: int = 4 << 30) -> bytes:
    """A few-KB PDF whose page content inflates to ``inflated`` bytes (4 GiB) of zeros.

    The content is deflated twice (``/Filter [/FlateDecode /FlateDecode]``): the outer layer
    inflates to a few MB, the inner one to gigabytes.
    """
    inner = zero_deflate(inflated, chunk=16 << 20)
    outer = zlib.compress(inner, 9)
    objects = dict(_PAGE_BASE)
    objects[4] = _stream(outer, b"/Filter [/FlateDecode /FlateDecode]")
    return build_pdf(objects)


def pdf_self_referencing() -> bytes:
    """A page tree whose /Pages lists itself as a kid, whose page is its own parent, and whose
    content stream's /Length is an indirect reference to the stream itself."""
    content = b"BT /F1 12 Tf 72 720 Td (loop) Tj ET"
    return build_pdf(
        {
            1: b"<< /Type /Catalog /Pages 2 0 R >>",
            2: b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 /Parent 2 0 R >>",
            3: b"<< /Type /Pages /Kids [3 0 R 2 0 R] /Parent 3 0 R /Count 1 /Contents 4 0 R >>",
            4: b"<< /Length 4 0 R >>\nstream\n" + content + b"\nendstream",
        }
    )


def pdf_many_glyphs(count: int = 3_000_000) -> bytes:
    """A small, valid PDF that takes a reader long to lay out: millions of one-letter strings."""
    content = b"BT /F1 1 Tf " + b"(a) Tj " * count + b"ET"
    objects = dict(_PAGE_BASE)
    objects[4] = _stream(zlib.compress(content, 9), b"/Filter /FlateDecode")
    return build_pdf(objects)


def pdf_inflating_to(size: int) -> bytes:
    """A PDF whose content stream inflates to ``size`` bytes: under the bomb limit, over a
    small memory limit."""
    objects = dict(_PAGE_BASE)
    objects[4] = _stream(
        zlib.compress(zero_deflate(size), 9), b"/Filter [/FlateDecode /FlateDecode]"
    )
    return build_pdf(objects)


# --- Zip containers ------------------------------------------------------------------------------
_CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/word/document.xml" ContentType="application/'
    b'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)


def docx_zip_bomb(inflated: int = (1 << 30) + (64 << 20)) -> bytes:
    """A DOCX-shaped zip whose word/document.xml inflates to more than 1 GiB of zeros.

    Written by hand (local header, deflate data, central directory, zip64 records) so that the
    gigabyte is never compressed: the deflate data is one compressed megabyte repeated.
    """
    data = zero_deflate(inflated, raw=True)
    crc = 0
    zeros = b"\x00" * (16 << 20)
    for _ in range(inflated // len(zeros)):
        crc = zlib.crc32(zeros, crc)
    crc = zlib.crc32(b"\x00" * (inflated % len(zeros)), crc)

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
    small = out.getvalue()
    end = small.rfind(b"PK\x01\x02")
    local_part = small[:end]  # the one small entry, with its local header
    central_small = small[end : small.rfind(b"PK\x05\x06")]

    name = b"word/document.xml"
    offset = len(local_part)
    zip64_extra = struct.pack("<HHQQ", 0x0001, 16, inflated, len(data))
    local = (
        struct.pack(
            "<4sHHHHHIIIHH",
            b"PK\x03\x04",
            45,
            0,
            8,
            0,
            0x21,
            crc,
            0xFFFFFFFF,
            0xFFFFFFFF,
            len(name),
            len(zip64_extra),
        )
        + name
        + zip64_extra
    )
    central_extra = struct.pack("<HHQQQ", 0x0001, 24, inflated, len(data), offset)
    central = (
        struct.pack(
            "<4sHHHHHHIIIHHHHHII",
            b"PK\x01\x02",
            45,
            45,
            0,
            8,
            0,
            0x21,
            crc,
            0xFFFFFFFF,
            0xFFFFFFFF,
            len(name),
            len(central_extra),
            0,
            0,
            0,
            0,
            0xFFFFFFFF,
        )
        + name
        + central_extra
    )
    body = local_part + local + data
    directory = central_small + central
    directory_offset = len(body)
    zip64_end = struct.pack(
        "<4sQHHIIQQQQ",
        b"PK\x06\x06",
        44,
        45,
        45,
        0,
        0,
        2,
        2,
        len(directory),
        directory_offset,
    )
    locator = struct.pack("<4sIQI", b"PK\x06\x07", 0, directory_offset + len(directory), 1)
    end_record = struct.pack(
        "<4sHHHHIIH", b"PK\x05\x06", 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0
    )
    return body + directory + zip64_end + locator + end_record


# --- Files lying about their type ----------------------------------------------------------------
HTML_WITH_SCRIPT = (
    b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"
)
EXE_HEADER = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00"
)
SVG_IMAGE = (
    b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
    b'<text x="0" y="15">hi</text></svg>'
)


# --- Thai PDFs made by a browser and by word processors -----------------------------------------
def thai_html(font_family: str) -> str:
    """The sample lines as a web page; "Sarabun" is the portal's own web font, from static/."""
    faces = ""
    if font_family == "Sarabun":
        thai = (SARABUN / "sarabun-thai-400-normal.woff2").as_uri()
        latin = (SARABUN / "sarabun-latin-400-normal.woff2").as_uri()
        faces = (
            f"@font-face {{ font-family: 'Sarabun'; src: url('{thai}') format('woff2');"
            " unicode-range: U+0E00-0E7F, U+200C-200D; }\n"
            f"@font-face {{ font-family: 'Sarabun'; src: url('{latin}') format('woff2'); }}\n"
        )
    paragraphs = "".join(f"<p>{line}</p>" for line in THAI_LINES)
    return (
        f'<!doctype html><html lang="th"><head><meta charset="utf-8"><style>{faces}'
        f"body {{ font-family: '{font_family}'; font-size: 16pt; }}</style></head>"
        f"<body>{paragraphs}</body></html>"
    )


_PRINT_SCRIPT = """
import json, sys
from playwright.sync_api import sync_playwright
jobs, chromium, args = json.loads(sys.argv[1])
with sync_playwright() as playwright:
    browser = playwright.chromium.launch(executable_path=chromium, args=args)
    for source, target in jobs:
        page = browser.new_page()
        page.goto(source)
        page.evaluate("document.fonts.ready")
        page.pdf(path=target, format="A4")
        page.close()
    browser.close()
"""


def print_to_pdf(jobs: list[tuple[Path, Path]]) -> None:
    """Print HTML files to PDF with Chromium, in a separate process.

    A separate process keeps Playwright's event loop away from the test process, where the
    browser tests may already hold one (Playwright's sync API cannot be nested).
    """
    import json
    import subprocess
    import sys

    payload = json.dumps([[[s.as_uri(), str(t)] for s, t in jobs], CHROMIUM, CHROMIUM_ARGS])
    subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", _PRINT_SCRIPT, payload], check=True, timeout=180
    )


def chromium_pdfs(directory: Path, fonts: tuple[str, ...] = ("Sarabun", "Loma")) -> dict[str, Path]:
    """Print the sample page to PDF with Chromium (Playwright), once per font."""
    jobs, made = [], {}
    for font in fonts:
        source = directory / f"chromium-{font.lower()}.html"
        source.write_text(thai_html(font), encoding="utf-8")
        target = directory / f"chromium-{font.lower()}.pdf"
        jobs.append((source, target))
        made[f"chromium-{font.lower()}"] = target
    print_to_pdf(jobs)
    return made


def long_chromium_pdf(directory: Path, repeats: int = 240) -> Path:
    """A long Chromium PDF (about 40 A4 pages) of the sample lines, to time the readers."""
    source = directory / "long.html"
    html = thai_html("Sarabun").replace(
        "<body>", "<body>" + "".join(f"<p>{line}</p>" for line in THAI_LINES) * repeats, 1
    )
    source.write_text(html, encoding="utf-8")
    target = directory / "long.pdf"
    print_to_pdf([(source, target)])
    return target


def legacy_shaped(text: str) -> str:
    """Thai as old Windows shaping stored it: glyph variants from the private-use area and
    sara am split into nikhahit and sara aa ("น้ำ" -> น ํ ้ า); what such PDFs extract to."""
    tall = set("ปฝฟฬ")
    upper = set("\u0e31\u0e34\u0e35\u0e36\u0e37\u0e47")
    low_tone = dict(
        zip("\u0e48\u0e49\u0e4a\u0e4b\u0e4c", "\uf70a\uf70b\uf70c\uf70d\uf70e", strict=True)
    )
    left_tone = dict(
        zip("\u0e48\u0e49\u0e4a\u0e4b\u0e4c", "\uf713\uf714\uf715\uf716\uf717", strict=True)
    )
    low_left_tone = dict(
        zip("\u0e48\u0e49\u0e4a\u0e4b\u0e4c", "\uf705\uf706\uf707\uf708\uf709", strict=True)
    )
    left_upper = dict(
        zip(
            "\u0e31\u0e34\u0e35\u0e36\u0e37\u0e47",
            "\uf710\uf701\uf702\uf703\uf704\uf712",
            strict=True,
        )
    )
    out: list[str] = []
    base = ""
    for index, char in enumerate(text):
        following = text[index + 1] if index + 1 < len(text) else ""
        if char in low_tone:
            has_upper = bool(out) and out[-1] in upper | set(left_upper.values())
            if following == "\u0e33":  # tone before sara am: nikhahit goes first
                out.append("\u0e4d")
                out.append(low_tone[char] if base not in tall else low_left_tone[char])
                continue
            if base in tall:
                out.append(left_tone[char] if has_upper else low_left_tone[char])
            else:
                out.append(char if has_upper else low_tone[char])
        elif char == "\u0e33":
            if "\u0e4d" not in out[-2:]:  # not already written before the tone mark
                out.append("\u0e4d")
            out.append("\u0e32")
        elif char in upper and base in tall:
            out.append(left_upper[char])
        elif char in "\u0e38\u0e39" and base in "ญฐ":
            out[-1] = "\uf70f" if base == "ญ" else "\uf700"
            out.append(char)
        else:
            if "\u0e01" <= char <= "\u0e2e":
                base = char
            out.append(char)
    return "".join(out)


def fpdf_pdf(path: Path, *, shaping: bool, legacy: bool = False, font: str = "Garuda") -> Path:
    """A word-processor-like PDF from fpdf2: an embedded TrueType subset with a ToUnicode map.

    ``shaping`` runs HarfBuzz (GSUB/GPOS, as Word and LibreOffice do); ``legacy`` writes the
    private-use glyph variants instead, like PDFs made with pre-OpenType Thai fonts.
    """
    from fpdf import FPDF

    font_path = thai_font(font)
    if font_path is None:
        raise FileNotFoundError(f"no {font}.ttf in {TLWG}")
    pdf = FPDF(format="A4")
    pdf.add_page()
    pdf.add_font(font, fname=str(font_path))
    pdf.set_font(font, size=14)
    if shaping:
        pdf.set_text_shaping(True)
    for line in THAI_LINES:
        pdf.cell(text=legacy_shaped(line) if legacy else line, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return path


def libreoffice_pdf(directory: Path, font: str = "Norasi") -> Path:
    """The sample lines typed into a Word file (python-docx) and exported to PDF by LibreOffice."""
    import docx
    from docx.oxml.ns import qn
    from docx.shared import Pt

    source = directory / "libreoffice.docx"
    document = docx.Document()
    style = document.styles["Normal"]
    style.font.name = font
    style.font.size = Pt(16)
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:cs"), font)
    for line in THAI_LINES:
        document.add_paragraph(line)
    document.save(source)
    profile = Path(tempfile.mkdtemp(prefix="km-lo-"))
    try:
        subprocess.run(  # noqa: S603 - a fixed command line
            [
                SOFFICE,
                f"-env:UserInstallation={profile.as_uri()}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(directory),
                str(source),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    return directory / "libreoffice.pdf"


def thai_pdfs(directory: Path, *, log: Callable[[str], None] = print) -> dict[str, Path]:
    """Every Thai sample PDF this machine can make, by name; what cannot be made is logged."""
    made: dict[str, Path] = {}
    if HAVE_CHROMIUM:
        made.update(chromium_pdfs(directory))
    else:
        log(f"no Chromium at {CHROMIUM}: browser-made PDFs skipped")
    if thai_font() is None:
        log(f"no Thai TrueType font in {TLWG}: word-processor PDFs skipped")
        return made
    try:
        made["fpdf2"] = fpdf_pdf(directory / "fpdf2.pdf", shaping=False)
        made["fpdf2-legacy-pua"] = fpdf_pdf(
            directory / "fpdf2-legacy.pdf", shaping=False, legacy=True
        )
    except ImportError:
        log("fpdf2 is not installed: word-processor PDFs skipped")
        return made
    try:
        made["fpdf2-harfbuzz"] = fpdf_pdf(directory / "fpdf2-harfbuzz.pdf", shaping=True)
    except ImportError:
        log("uharfbuzz is not installed: the shaped fpdf2 PDF is skipped")
    if SOFFICE:
        made["libreoffice"] = libreoffice_pdf(directory)
    else:
        log("no LibreOffice (soffice): the LibreOffice PDF is skipped")
    return made


# --- The PDF readers compared --------------------------------------------------------------------
def read_with_km(path: Path) -> str:
    """Production: pdfminer.six's parser with our ActualText-aware layout (apps/.../pdf.py).

    Returned before ``normalize_thai``, like the other readers' text, so that the comparison
    can show what normalising adds."""
    from apps.library.extraction.pdf import pdf_text

    return pdf_text(path, normalize=False)[0]


def read_with_pypdf(path: Path) -> str:
    import pypdf

    return "\n".join(page.extract_text() for page in pypdf.PdfReader(path).pages)


def read_with_pdfminer(path: Path) -> str:
    from pdfminer.high_level import extract_text

    return extract_text(str(path))


def read_with_pypdfium2(path: Path) -> str:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(path))
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()


def read_with_pymupdf(path: Path) -> str:
    import pymupdf  # AGPL: compared only, never shipped

    with pymupdf.open(path) as document:
        return "\n".join(page.get_text() for page in document)


READERS: dict[str, tuple[str, Callable[[Path], str]]] = {
    "km (pdfminer.six + ActualText)": ("pdfminer", read_with_km),
    "pypdf": ("pypdf", read_with_pypdf),
    "pdfminer.six extract_text": ("pdfminer", read_with_pdfminer),
    "pypdfium2 (PDFium)": ("pypdfium2", read_with_pypdfium2),
    "PyMuPDF (AGPL)": ("pymupdf", read_with_pymupdf),
}
CHOSEN = "km (pdfminer.six + ActualText)"


def installed_readers() -> dict[str, Callable[[Path], str]]:
    import importlib.util

    return {
        name: reader
        for name, (module, reader) in READERS.items()
        if importlib.util.find_spec(module) is not None
    }


def score(text: str, *, normalize: bool = True) -> tuple[int, int]:
    """``(expected words found, character errors)`` of extracted text, after normalize_thai
    (unless ``normalize`` is false).

    Character errors are the edit distance to the sample text, with every run of whitespace
    counted as one space (line breaks are layout, not content).
    """
    from apps.core.thaitext import normalize_thai

    normalised = normalize_thai(text) if normalize else text
    found = sum(1 for word in EXPECTED_WORDS if word in normalised)
    return found, edit_distance(" ".join(THAI_TEXT.split()), " ".join(normalised.split()))


def edit_distance(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i]
        for j, char_b in enumerate(b, 1):
            current.append(
                min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b))
            )
        previous = current
    return previous[-1]
