"""Thai OCR post-processing and the image preparation: pure functions, no Tesseract needed."""

import pytest

from apps.library.extraction import ocr
from apps.library.extraction.ocrtext import (
    STEPS,
    clean_ocr_text,
    drop_noise,
    join_lines,
    sara_am,
)
from tests.library import scans


@pytest.mark.parametrize(
    ("raw", "typed"),
    [
        ("นํา", "นำ"),  # nikhahit + sara aa
        ("น้ํา", "น้ำ"),  # tone mark before nikhahit
        ("นํ้า", "น้ำ"),  # tone mark between them
        ("คํา ว่า", "คำ ว่า"),
        ("ดําเนินงาน", "ดำเนินงาน"),
        ("นำ", "นำ"),  # already sara am
        ("การประชุม", "การประชุม"),
    ],
)
def test_sara_am_is_written_as_one_character(raw, typed):
    assert sara_am(raw) == typed
    assert sara_am(sara_am(raw)) == typed


def test_thai_lines_of_a_paragraph_join_without_a_space_and_the_rest_with_one():
    raw = "การจัดการองค์ความ\nรู้ในสหกรณ์ KM\nNetwork ปี 2567\n\nย่อหน้าใหม่ มีช่องว่าง\nจริง"
    assert join_lines(raw) == ("การจัดการองค์ความรู้ในสหกรณ์ KM Network ปี 2567\n\nย่อหน้าใหม่ มีช่องว่างจริง")


def test_noise_words_marks_without_consonant_and_speck_lines_are_dropped():
    raw = "| หนังสือ _ เวียน ~\n ่ ประชุม ' .\naa a ๐ 0 a\n- ข้อ 1 (ก) 50% ฯลฯ ๆ\n\nท้าย"
    assert drop_noise(raw) == "หนังสือ เวียน\nประชุม\n- ข้อ 1 (ก) 50% ฯลฯ ๆ\n\nท้าย"


def test_clean_text_runs_the_steps_in_order_then_the_thai_normalisation():
    raw = "| การนํา\nเสนอ  ผล\n\n_ ~\nEnglish words\nhere"
    assert clean_ocr_text(raw) == "การนำเสนอ ผล\n\nEnglish words here"
    assert clean_ocr_text(raw, steps=()) != clean_ocr_text(raw)
    for step in STEPS:  # each step alone changes this text
        assert clean_ocr_text(raw, steps=(step,), normalize=False) != raw.strip()
    with pytest.raises(ValueError, match="unknown steps"):
        clean_ocr_text(raw, steps=("spellcheck",))


def test_tsv_confidence_is_the_word_length_weighted_mean():
    names = ["level", "p", "b", "par", "line", "word", "l", "t", "w", "h", "conf", "text"]
    header = "\t".join(names)
    rows = [
        [5, 1, 1, 1, 1, 1, 0, 0, 10, 10, "90", "สหกรณ์"],  # 6 characters
        [5, 1, 1, 1, 1, 2, 0, 0, 10, 10, "60", "KM"],  # 2 characters
        [4, 1, 1, 1, 1, 0, 0, 0, 10, 10, "-1", ""],  # a line, not a word
    ]
    tsv = "\n".join([header, *("\t".join(map(str, row)) for row in rows)])
    assert ocr.tsv_confidence(tsv) == (82.5, 2)
    assert ocr.tsv_confidence(header) == (None, 0)


def test_otsu_threshold_falls_between_ink_and_paper():
    from PIL import Image

    image = Image.new("L", (100, 100), 230)
    image.paste(30, (10, 10, 60, 60))
    level = ocr.otsu_threshold(image)
    assert 30 <= level < 230


@pytest.mark.parametrize("turned", [-7.0, 6.0])
def test_a_page_turned_by_several_degrees_is_levelled(turned):
    page = scans.scan("หนังสือเวียนเรื่องการประชุม\nสหกรณ์ประจำปี นำเสนอผลการดำเนินงาน", dpi=100)
    _level, angle = ocr.prepare(page)
    assert angle == 0 or abs(angle) <= 1  # a level page stays as it is
    turned_page = scans.spoil(page, rotate=turned)
    prepared, angle = ocr.prepare(turned_page)
    assert abs(angle + turned) <= 0.6
    assert set(prepared.tobytes()) <= {0, 255}  # black on white


def test_a_phone_photo_is_turned_upright_by_its_exif(tmp_path):
    page = scans.scan("ลูกหนี้เงินกู้", dpi=100)
    path = tmp_path / "photo.jpg"
    path.write_bytes(scans.as_jpeg(page, exif_rotated=True))
    loaded = ocr.load_page(path, 1)
    assert loaded.size == page.size  # stored sideways, shown upright


def test_a_missing_program_is_no_engine():
    assert ocr.find_engine("/nonexistent/tesseract") is None
    assert ocr.find_engine("") is None
