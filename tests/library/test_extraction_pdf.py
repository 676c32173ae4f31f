"""Thai from PDFs made by a browser and by word processors, and the choice of PDF library.

Each installed candidate library reads every sample PDF this machine can make; the text, after
``normalize_thai``, is scored on the expected Thai words (found exactly) and on character errors.
The library chosen for production must find every word on every PDF and score at least as well
as every other candidate. ``bench/compare_pdf_extractors.py`` prints the same comparison.
"""

import pytest

from apps.library.extraction.pdf import pdf_text
from tests.library import samples

NEEDS_CHROMIUM = pytest.mark.skipif(
    not samples.HAVE_CHROMIUM, reason=f"no Chromium at {samples.CHROMIUM}"
)


@pytest.fixture(scope="module")
def thai_pdfs(tmp_path_factory):
    notes: list[str] = []
    made = samples.thai_pdfs(tmp_path_factory.mktemp("thai-pdfs"), log=notes.append)
    if not made:
        pytest.skip("; ".join(notes))
    return made


@pytest.fixture(scope="module")
def scores(thai_pdfs):
    """``{library: {pdf: (words found, character errors)}}`` for the installed candidates."""
    return {
        name: {pdf: samples.score(reader(path)) for pdf, path in thai_pdfs.items()}
        for name, reader in samples.installed_readers().items()
    }


def _total(per_pdf):
    return sum(found for found, _ in per_pdf.values()), -sum(err for _, err in per_pdf.values())


@pytest.mark.parametrize("library", list(samples.READERS))
def test_candidate_library(library, scores, thai_pdfs):
    if library not in scores:
        pytest.skip(f"{library} is not installed")
    per_pdf = scores[library]
    chosen = scores[samples.CHOSEN]
    words = len(samples.EXPECTED_WORDS)
    if library == samples.CHOSEN:
        assert per_pdf == dict.fromkeys(thai_pdfs, (words, 0))
    assert _total(chosen) >= _total(per_pdf)


@NEEDS_CHROMIUM
def test_browser_pdf_with_the_portal_font_reads_as_typed(thai_pdfs):
    text, pages, warnings = pdf_text(thai_pdfs["chromium-sarabun"])
    assert (text, pages, warnings) == (samples.THAI_TEXT, 1, [])


@NEEDS_CHROMIUM
def test_browser_pdf_text_has_no_stray_characters(thai_pdfs):
    import unicodedata

    for name in ("chromium-sarabun", "chromium-loma"):
        text = pdf_text(thai_pdfs[name])[0]
        assert not [c for c in text if unicodedata.category(c) in ("Cc", "Co") and c != "\n"]
        assert "\u0e4d\u0e32" not in text  # sara am whole
        for word in ("น้ำ", "กำหนด", "ทำ", "ที่", "สุขภาพ", "ผู้", "เรื่อง", "แผน", "โครง", "ใหม่"):
            assert word in text


def test_word_processor_pdfs_read_as_typed(thai_pdfs):
    made = [name for name in thai_pdfs if not name.startswith("chromium")]
    if not made:
        pytest.skip("no word-processor PDF could be made here")
    for name in made:
        assert pdf_text(thai_pdfs[name])[0] == samples.THAI_TEXT, name


def test_legacy_private_use_glyphs_need_normalising(thai_pdfs):
    """Old Thai fonts leave private-use glyphs and a split sara am in every library's text;
    normalize_thai is what makes them searchable."""
    if "fpdf2-legacy-pua" not in thai_pdfs:
        pytest.skip("fpdf2 or a Thai font is missing")
    raw = pdf_text(thai_pdfs["fpdf2-legacy-pua"], normalize=False)[0]
    assert "\uf70b" in raw
    assert "น\u0e4d\uf70b\u0e32" in raw  # น + nikhahit + low mai tho + sara aa
    assert pdf_text(thai_pdfs["fpdf2-legacy-pua"])[0] == samples.THAI_TEXT


def test_actual_text_spans_are_used_once(tmp_path):
    """A hand-written span: glyphs without Unicode values, the real text in /ActualText."""
    content = (
        b"BT /F1 12 Tf 72 720 Td (A) Tj "
        b"/Span << /ActualText <FEFF0E170E350E48> >> BDC (xy) Tj (z) Tj EMC "
        b"(B) Tj ET"
    )
    objects = dict(samples._PAGE_BASE)
    objects[4] = samples._stream(content)
    path = tmp_path / "span.pdf"
    path.write_bytes(samples.build_pdf(objects))
    assert pdf_text(path)[0] == "Aที่B"


@NEEDS_CHROMIUM
def test_lines_cut_by_a_page_break_are_read_once(tmp_path):
    """Chromium draws the line cut by a page break on both pages, clipped to each."""
    path = samples.long_chromium_pdf(tmp_path, repeats=15)
    text, pages, _ = pdf_text(path)
    assert pages > 2
    lines = [line for line in text.split("\n") if line]
    assert lines == samples.THAI_LINES * 16


def test_encrypted_pdf_is_refused_with_a_reason(tmp_path):
    pypdf = pytest.importorskip("pypdf", reason="pypdf (requirements-dev.txt) encrypts the sample")
    from apps.library.extraction.pdf import PdfPasswordError

    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.encrypt("secret", algorithm="RC4-128")
    path = tmp_path / "locked.pdf"
    with path.open("wb") as handle:
        writer.write(handle)
    with pytest.raises(PdfPasswordError, match="password"):
        pdf_text(path)
