"""Every supported format gives its Thai text exactly: Office files, HTML, text and CSV."""

import pytest

from apps.core.filetypes import sniff
from apps.library.extraction import extractors
from apps.library.extraction.extractors import UnsupportedTypeError, extract
from apps.library.extraction.sandbox import extract_in_child
from tests.library import samples


def _extract(path):
    return extract(path, sniff(path))


def test_docx_paragraphs_and_tables_in_order(tmp_path):
    result = _extract(samples.make_docx(tmp_path / "memo.docx"))
    assert result.text == samples.DOCX_TEXT
    assert result.warnings == []


def test_xlsx_every_sheet_cells_by_tabs(tmp_path):
    result = _extract(samples.make_xlsx(tmp_path / "budget.xlsx"))
    assert result.text == samples.XLSX_TEXT


def test_pptx_slides_tables_and_notes(tmp_path):
    result = _extract(samples.make_pptx(tmp_path / "talk.pptx"))
    assert result.text == samples.PPTX_TEXT
    assert result.pages == 2


def test_html_gives_visible_text_only(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(samples.HTML_PAGE, encoding="utf-8")
    text = _extract(path).text
    assert text == samples.HTML_TEXT
    for hidden in ("สคริปต์", "ซ่อน", "แม่แบบ", "ไม่มีสคริปต์", "font-family"):
        assert hidden not in text


def test_html_in_tis620_is_decoded(tmp_path):
    path = tmp_path / "old.htm"
    path.write_bytes(samples.HTML_PAGE.replace("utf-8", "tis-620").encode("tis-620"))
    assert _extract(path).text == samples.HTML_TEXT


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(samples.THAI_TEXT.encode("tis-620"), id="tis-620"),
        pytest.param(samples.THAI_TEXT.encode("cp874"), id="cp874"),
        pytest.param(b"\xff\xfe" + samples.THAI_TEXT.encode("utf-16-le"), id="utf-16-le-bom"),
        pytest.param(samples.THAI_TEXT.encode("utf-16-be"), id="utf-16-be"),
        pytest.param(samples.THAI_TEXT.replace("\n", "\r\n").encode(), id="utf-8-crlf"),
    ],
)
def test_plain_text_in_every_thai_encoding(tmp_path, data):
    path = tmp_path / "note.txt"
    path.write_bytes(data)
    assert _extract(path).text == samples.THAI_TEXT


def test_short_texts_and_curly_quotes(tmp_path):
    short = tmp_path / "short.txt"
    short.write_bytes(samples.SHORT_THAI.encode("tis-620"))
    assert _extract(short).text == samples.SHORT_THAI
    quoted = tmp_path / "quoted.txt"
    quoted.write_bytes("ตาม “ระเบียบ” – ข้อ ๕…".encode("cp874"))
    assert _extract(quoted).text == "ตาม “ระเบียบ” – ข้อ ๕…"


def test_csv_is_text(tmp_path):
    path = tmp_path / "list.csv"
    path.write_bytes("ชื่อ,หน่วยงาน\nสมชาย,กลุ่มส่งเสริม\n".encode("cp874"))
    kind = sniff(path)
    assert kind.mime == "text/csv"
    assert extract(path, kind).text == "ชื่อ,หน่วยงาน\nสมชาย,กลุ่มส่งเสริม"


def test_long_text_is_cut_with_a_warning(tmp_path, monkeypatch):
    monkeypatch.setattr(extractors, "MAX_TEXT_CHARS", 10)
    path = tmp_path / "long.txt"
    path.write_text("น้ำ" * 20, encoding="utf-8")
    result = _extract(path)
    assert len(result.text) == 10
    assert result.warnings == ["text cut at 10 characters"]


def test_kinds_without_text_are_refused(tmp_path):
    path = tmp_path / "photo.png"
    path.write_bytes(samples.png_bytes())
    with pytest.raises(UnsupportedTypeError):
        _extract(path)


# --- Through the child process -------------------------------------------------------------------
def test_office_file_in_the_child_keeps_exact_text(tmp_path):
    outcome = extract_in_child(samples.make_docx(tmp_path / "memo.docx"))
    assert outcome.ok, outcome.reason
    assert outcome.text == samples.DOCX_TEXT
    assert outcome.mime.endswith("wordprocessingml.document")
    assert outcome.thumbnail is None
    assert 0 < outcome.peak_memory < 1 << 30


def test_image_in_the_child_gives_a_thumbnail(tmp_path):
    from io import BytesIO

    from PIL import Image

    path = tmp_path / "scan.jpg"
    path.write_bytes(samples.png_bytes(size=(2400, 1600), fmt="JPEG"))
    outcome = extract_in_child(path)
    assert outcome.ok, outcome.reason
    assert (outcome.text, outcome.mime) == ("", "image/jpeg")
    with Image.open(BytesIO(outcome.thumbnail)) as thumbnail:
        assert thumbnail.format == "PNG"
        assert thumbnail.size == (320, 213)


def test_pdf_in_the_child_gives_text_pages_and_a_thumbnail(tmp_path):
    from io import BytesIO

    from PIL import Image

    if samples.thai_font() is None:
        pytest.skip(f"no Thai TrueType font in {samples.TLWG}")
    pytest.importorskip("fpdf", reason="fpdf2 (requirements-dev.txt) builds this PDF")
    path = samples.fpdf_pdf(tmp_path / "letter.pdf", shaping=False)
    outcome = extract_in_child(path)
    assert outcome.ok, outcome.reason
    assert (outcome.text, outcome.pages) == (samples.THAI_TEXT, 1)
    with Image.open(BytesIO(outcome.thumbnail)) as thumbnail:
        assert max(thumbnail.size) == 320
