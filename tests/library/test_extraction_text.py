"""Encodings of Thai text files, Thai normalisation, and sniffing the real type of a file."""

import pytest

from apps.core.filetypes import sniff
from apps.core.thaitext import decode_text, looks_like_text, normalize_thai
from tests.library import samples

LONG_THAI = "ประกาศสำนักงาน เรื่อง การประชุมคณะทำงานจัดการความรู้ ครั้งที่ ๑/๒๕๖๘\nผู้เข้าร่วม ๑๒ คน"


# --- decode_text ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("data", "text", "encoding"),
    [
        pytest.param(LONG_THAI.encode("tis-620"), LONG_THAI, "tis-620", id="tis-620"),
        pytest.param(
            "“คู่มือ” – ฉบับย่อ…".encode("cp874"), "“คู่มือ” – ฉบับย่อ…", "cp874", id="cp874-quotes"
        ),
        pytest.param(
            b"\xff\xfe" + LONG_THAI.encode("utf-16-le"), LONG_THAI, "utf-16", id="utf-16-le-bom"
        ),
        pytest.param(LONG_THAI.encode("utf-16-be"), LONG_THAI, "utf-16-be", id="utf-16-be"),
        pytest.param("น้ำ".encode("utf-16-le"), "น้ำ", "utf-16-le", id="utf-16-le-short"),
        pytest.param("report 2025".encode("utf-16-le"), "report 2025", "utf-16-le", id="utf-16-en"),
        pytest.param(
            samples.SHORT_THAI.encode("tis-620"), samples.SHORT_THAI, "tis-620", id="two-words"
        ),
        pytest.param("สวัสดี".encode("tis-620"), "สวัสดี", "tis-620", id="six-bytes"),
        pytest.param("สก".encode("tis-620"), "สก", "tis-620", id="valid-utf8-by-accident"),
        pytest.param("ที่".encode("tis-620"), "ที่", "tis-620", id="three-bytes"),
        pytest.param(LONG_THAI.encode(), LONG_THAI, "utf-8", id="utf-8"),
        pytest.param("\ufeffน้ำ".encode(), "น้ำ", "utf-8-sig", id="utf-8-bom"),
        pytest.param(b"plain ASCII, 100%", "plain ASCII, 100%", "utf-8", id="ascii"),
        pytest.param("café crème".encode(), "café crème", "utf-8", id="utf-8-latin"),
    ],
)
def test_decode_text_detects_the_encoding(data, text, encoding):
    assert decode_text(data) == (text, encoding)


def test_decode_text_falls_back_to_cp874_with_replacement():
    text, encoding = decode_text("น้ำ".encode("tis-620") + b"\xff\xfe\x81")
    assert encoding == "cp874"
    assert text.startswith("น้ำ")
    assert "\ufffd" in text


def test_text_or_binary():
    assert looks_like_text(LONG_THAI.encode("tis-620"))
    assert looks_like_text(LONG_THAI.encode("utf-16-le"))
    assert looks_like_text(LONG_THAI.encode()[:-1])  # cut inside the last character
    assert not looks_like_text(samples.EXE_HEADER)
    assert not looks_like_text(bytes(range(256)))


# --- normalize_thai ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("raw", "typed"),
    [
        pytest.param("น\u0e4d\u0e49\u0e32", "น้ำ", id="nikhahit-tone-aa"),
        pytest.param("น\u0e49\u0e4d\u0e32", "น้ำ", id="tone-nikhahit-aa"),
        pytest.param("ก\u0e4d\u0e32หนด", "กำหนด", id="nikhahit-aa"),
        pytest.param("นำ\u0e49", "น้ำ", id="tone-after-am"),
        pytest.param("ป\u0e49\u0e31น", "ปั้น", id="tone-before-upper-vowel"),
        pytest.param("ผ\u0e49\u0e39", "ผู้", id="tone-before-lower-vowel"),
        pytest.param("หน\uf70bา ใหม\uf70a", "หน้า ใหม่", id="pua-low-tones"),
        pytest.param("ป\uf710\uf714น ป\uf702", "ปั้น ปี", id="pua-left-marks"),
        pytest.param("กตัญ\uf70fู \uf700ุ", "กตัญญู ฐุ", id="pua-tailless"),
        pytest.param("กตัญญููบุญ", "กตัญญูบุญ", id="doubled-mark"),
        pytest.param("เ รื่อง แ ผน", "เรื่อง แผน", id="space-after-leading-vowel"),
        pytest.param("ที \u0e48 คํ า", "ที่ คำ", id="space-before-marks"),
        pytest.param("ก า ร ป ร ะ ชุ ม ใหญ่", "การประชุม ใหญ่", id="spaced-out"),
        pytest.param("ส ม ช า ย ใ จ ดี", "สมชายใจดี", id="spaced-out-name"),
        pytest.param("ณ ที่ นี้ มี น้ำ", "ณ ที่ นี้ มี น้ำ", id="one-letter-words-kept"),
        pytest.param("x\x00y\u200bz\u00ad\ufeff\ue000", "xyz", id="invisible-and-control"),
        pytest.param("ก\u00a0ข  ค\u3000ง", "ก ข ค ง", id="spaces"),
        pytest.param("a\r\nb\rc\n\n\n\nd", "a\nb\nc\n\nd", id="line-breaks"),
        pytest.param("ชื่อ\tตำแหน่ง", "ชื่อ\tตำแหน่ง", id="tabs-kept"),
        # Real Thai spacing is left alone: between phrases, before ๆ and ฯ, around digits.
        pytest.param("ต่าง ๆ ทั้งนี้ ณ ที่ว่าการ", "ต่าง ๆ ทั้งนี้ ณ ที่ว่าการ", id="phrase-spaces"),
        pytest.param("กรุงเทพฯ ข้อ ๑ ๒ ๓ ๔", "กรุงเทพฯ ข้อ ๑ ๒ ๓ ๔", id="digits-kept"),
        pytest.param("คำสั่งที่ 5/2551", "คำสั่งที่ 5/2551", id="already-clean"),
    ],
)
def test_normalize_thai_gives_text_as_typed(raw, typed):
    assert normalize_thai(raw) == typed


def test_normalize_thai_is_idempotent_and_leaves_correct_text_alone():
    assert normalize_thai(samples.THAI_TEXT) == samples.THAI_TEXT
    once = normalize_thai(samples.legacy_shaped(samples.THAI_TEXT))
    assert once == samples.THAI_TEXT
    assert normalize_thai(once) == once


# --- sniff ---------------------------------------------------------------------------------------
def _write(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("name", "data", "mime", "label"),
    [
        (
            "a.pdf",
            samples.build_pdf(samples._PAGE_BASE | {4: samples._stream(b"")}),
            "application/pdf",
            "PDF",
        ),
        ("a.txt", LONG_THAI.encode("tis-620"), "text/plain", "Text"),
        ("a.txt", LONG_THAI.encode("utf-16-be"), "text/plain", "Text"),
        ("a.csv", "ชื่อ,จำนวน\nน้ำ,1\n".encode(), "text/csv", "CSV"),
        ("a.bin", b"\xef\xbb\xbf  \n<!DOCTYPE html><p>x", "text/html", "HTML"),
        ("a.bin", b"<!-- c -->\n<HTML lang=th>", "text/html", "HTML"),
        ("a.bin", samples.SVG_IMAGE, "image/svg+xml", "SVG"),
        ("a.bin", samples.png_bytes(), "image/png", "Image"),
        ("a.bin", samples.png_bytes(fmt="JPEG"), "image/jpeg", "Image"),
        ("a.bin", samples.png_bytes(fmt="GIF"), "image/gif", "Image"),
        ("a.bin", samples.png_bytes(fmt="WEBP"), "image/webp", "Image"),
        ("a.bin", samples.png_bytes(fmt="TIFF"), "image/tiff", "Image"),
        (
            "a.doc",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512,
            "application/msword",
            "Office 97-2003",
        ),
        ("a.docx", samples.EXE_HEADER, "application/octet-stream", "Other"),
    ],
)
def test_sniff_reads_the_content(tmp_path, name, data, mime, label):
    kind = sniff(_write(tmp_path, name, data))
    assert (kind.mime, kind.label) == (mime, label)


def test_sniff_tells_office_files_by_their_entries(tmp_path):
    docx = samples.make_docx(tmp_path / "a.bin")
    xlsx = samples.make_xlsx(tmp_path / "b.bin")
    pptx = samples.make_pptx(tmp_path / "c.bin")
    assert sniff(docx).label == "Word" and sniff(docx).mime.endswith(".document")
    assert sniff(xlsx).label == "Excel" and sniff(xlsx).mime.endswith(".sheet")
    assert sniff(pptx).label == "PowerPoint" and sniff(pptx).mime.endswith(".presentation")
    import zipfile

    with zipfile.ZipFile(tmp_path / "plain.zip", "w") as archive:
        archive.writestr("readme.txt", "x")
    assert sniff(tmp_path / "plain.zip").mime == "application/zip"


def test_only_pdf_and_raster_images_are_inline_safe(tmp_path):
    assert sniff(_write(tmp_path, "a.pdf", b"%PDF-1.7\n")).inline_safe
    assert sniff(_write(tmp_path, "a.png", samples.png_bytes())).inline_safe
    for name, data in [
        ("a.html", b"<!doctype html><script>alert(1)</script>"),
        ("a.svg", samples.SVG_IMAGE),
        ("a.txt", b"hello"),
        ("a.pdf", samples.HTML_WITH_SCRIPT),  # the name says PDF, the content is HTML
        ("a.jpg", samples.SVG_IMAGE),
    ]:
        kind = sniff(_write(tmp_path, name, data))
        assert not kind.inline_safe, name
    assert not sniff(samples.make_docx(tmp_path / "a.docx")).inline_safe


def test_sniff_survives_a_zip_that_claims_millions_of_entries(tmp_path):
    end = b"PK\x05\x06" + b"\x00" * 4 + b"\xff\xff\xff\xff" + b"\x00" * 10
    kind = sniff(_write(tmp_path, "a.docx", b"PK\x03\x04" + b"\x00" * 100 + end))
    assert kind.mime == "application/zip"
    assert not kind.extractable
