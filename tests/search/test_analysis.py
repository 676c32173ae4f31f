"""Thai text analysis: normalisation, segmentation, document numbers, Whoosh analyzers."""

import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from apps.search.engine.analysis import (
    _THAI_RULES,
    _TRANSLATE,
    CODE,
    JOIN,
    KM_TERMS_FILE,
    PART,
    WORD,
    analyse,
    dictionary_words,
    normalize,
    phrase_terms,
    split_compound,
)
from apps.search.engine.analyzers import partial_analyzer, word_analyzer
from apps.search.engine.spans import normalize_with_offsets

ROOT = Path(__file__).resolve().parents[2]


def texts(text, kinds=(WORD, PART, JOIN, CODE)):
    return [tok.text for tok in analyse(text) if tok.kind in kinds]


# --- normalize -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("น้ํา", "น้ำ"),  # nikhahit + sara aa → sara am
        ("นํ้า", "น้ำ"),  # ... with the tone mark typed in between
        ("นำ้", "น้ำ"),  # tone mark typed after sara am
        ("ท่ี", "ที่"),  # tone mark typed before the vowel
        ("ก่่อน", "ก่อน"),  # the same tone mark twice
        ("เเละ", "และ"),  # two sara e for sara ae
        ("สห\u200bกรณ์", "สหกรณ์"),  # zero-width space inside a word
        ("\ufeffหนังสือ\u2060เวียน\u00ad", "หนังสือเวียน"),  # BOM, word joiner, soft hyphen
        ("ปี ๒๕๖๘", "ปี 2568"),  # Thai digits
        ("KM Portal", "km portal"),  # casefold
        ("ว\u00a0123", "ว 123"),  # no-break space
    ],
)
def test_normalize_folds_typing_variants(typed, stored):
    assert normalize(typed) == stored


def test_normalize_keeps_correct_thai_unchanged():
    sentence = "การจัดการความรู้ของสหกรณ์การเกษตรในปีงบประมาณ พ.ศ. 2568 ที่ผ่านมา"
    assert normalize(sentence) == sentence


def test_normalize_with_offsets_agrees_with_normalize():
    for text in ["น้ํา ท่ี เเละ สห\u200bกรณ์ ๒๕๖๘ ABC", "นํ้าท่วม", "ก่่อน", ""]:
        folded, offsets = normalize_with_offsets(text)
        assert folded == normalize(text)
        assert len(offsets) == len(folded) + 1
        assert offsets[-1] == len(text)


def _offsets_one_by_one(text):
    """The per-character mapping ``normalize_with_offsets`` made before its fast path."""
    offsets = []
    for index, char in enumerate(text):
        offsets.extend([index] * len(char.translate(_TRANSLATE).casefold()))
    return offsets


@pytest.mark.parametrize(
    "text",
    [
        "ระเบียบนายทะเบียนสหกรณ์ ว่าด้วย การตรวจการสหกรณ์ พ.ศ. 2566 ABC def",  # every char kept
        "๒๕๖๘ ปี\u00a0งบ",  # Thai digits and a no-break space: one character each
        "สห\u200bกรณ์ Straße",  # one dropped, one that folds to two: the same length overall
        "ﬁle İstanbul ß",  # folding adds characters
        "เเละ น้ํา ท่ี",  # the Thai rules move characters after folding
    ],
)
def test_normalize_with_offsets_maps_every_character_back(text):
    folded, offsets = normalize_with_offsets(text)
    assert folded == normalize(text)
    before_rules = text.translate(_TRANSLATE).casefold()
    if not any(rule.search(before_rules) for rule, _replacement in _THAI_RULES):
        assert offsets[:-1] == _offsets_one_by_one(text)
    else:  # the rules' own mapping: every character still comes from the text, in order
        assert offsets == sorted(offsets) and offsets[-2] < len(text)
    assert offsets[-1] == len(text)


# --- segmentation ----------------------------------------------------------------------------


def test_words_inside_compounds_are_tokens():
    tokens = texts("รายงานการประชุมสหกรณ์การเกษตรประจำปี")
    for word in ("รายงานการประชุม", "รายงาน", "ประชุม", "สหกรณ์การเกษตร", "สหกรณ์", "เกษตร"):
        assert word in tokens


def test_custom_dictionary_keeps_km_terms_whole():
    terms = [
        line.strip()
        for line in KM_TERMS_FILE.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert 80 <= len(terms) <= 200
    assert set(terms) <= dictionary_words(custom=True)
    for term in ("นายทะเบียนสหกรณ์", "ชุมชนนักปฏิบัติ", "ผู้ตรวจการสหกรณ์", "ระบบพี่เลี้ยง"):
        assert texts(f"เรื่อง{term}ประจำปี", kinds=(WORD,))[1] == term


def test_compound_parts_share_positions_with_the_compound():
    tokens = analyse("นายทะเบียนสหกรณ์")
    whole = next(t for t in tokens if t.text == "นายทะเบียนสหกรณ์")
    part = next(t for t in tokens if t.text == "สหกรณ์")
    assert whole.kind == WORD and part.kind == PART
    assert part.pos > whole.pos
    assert split_compound("ประชุม") is None  # two syllables are not a compound


def test_phrase_terms_are_the_smallest_parts_in_order():
    assert phrase_terms("หนังสือเวียน") == ["หนังสือ", "เวียน"]
    assert phrase_terms("รายงานการประชุม") == ["รายงาน", "การ", "ประชุม"]


def test_tone_mark_and_sara_am_variants_give_the_same_tokens():
    assert texts("น้ําท่วมที่ทําการสหกรณ์") == texts("น้ำท่วมที่ทำการสหกรณ์")
    assert texts("ระเบียบท่ีออกใหม่") == texts("ระเบียบที่ออกใหม่")


def test_zero_width_characters_do_not_split_words():
    assert texts("สห\u200bกรณ์\u200cการ\u200dเกษตร") == texts("สหกรณ์การเกษตร")


def test_mixed_thai_and_english():
    tokens = texts("ระบบ KM Portal รุ่น 2.0 ของกรมส่งเสริมสหกรณ์ใช้ Django")
    for word in ("ระบบ", "km", "portal", "2.0", "กรมส่งเสริมสหกรณ์", "สหกรณ์", "django"):
        assert word in tokens


def test_punctuation_and_whitespace_are_not_tokens():
    assert texts("  สหกรณ์!!! … (ประชุม) ??? ๆ ฯ -- ") == ["สหกรณ์", "ประชุม"]


def test_thai_digits_become_arabic_tokens():
    assert "2568" in texts("ปีงบประมาณ ๒๕๖๘")


def test_thai_abbreviations_are_one_token():
    assert "พศ" in texts("เมื่อ พ.ศ. 2551")
    assert "ธกส" in texts("โครงการของ ธ.ก.ส. ปีนี้")


def test_unknown_words_cut_into_pieces_are_joined_again():
    joined = [t.text for t in analyse("วงซิลิฟูลส์ออกเพลงใหม่") if t.kind == JOIN]
    assert "ซิลิฟูลส์" in joined
    assert "ซิลิฟูลส์" in [t.text for t in analyse("ซิลิฟูลส์ ออกเพลง") if t.kind == JOIN]


# --- document numbers ------------------------------------------------------------------------


def test_circular_number_yields_findable_tokens():
    tokens = texts("หนังสือที่ กษ 1108/ว 123 ลงวันที่ 5 มกราคม 2551")
    for token in ("กษ1108/ว123", "กษ1108", "ว123", "1108", "123"):
        assert token in tokens


@pytest.mark.parametrize("query", ["ว 123", "ว123", "ว.123", "ว ๑๒๓"])
def test_circular_number_variants_share_a_token(query):
    assert "ว123" in texts(query)


def test_slash_numbers_are_one_token_and_their_parts():
    tokens = texts("คำสั่งที่ 5/2551 และมติครั้งที่ ๑๒/๒๕๖๗")
    assert {"5/2551", "5", "2551", "12/2567"} <= set(tokens)


def test_numbers_drop_thousands_separators():
    assert "1000000" in texts("ทุนเรือนหุ้น 1,000,000 บาท")


# --- Whoosh analyzers ------------------------------------------------------------------------


def test_analyzers_pickle_and_compare_equal():
    for analyzer in (word_analyzer(), partial_analyzer(), partial_analyzer(mode="prefix")):
        clone = pickle.loads(pickle.dumps(analyzer))  # noqa: S301 - our own object
        assert clone == analyzer
        assert type(clone).__module__ == "apps.search.engine.analyzers"


def test_analyzers_pickled_before_the_engine_package_still_load():
    """Indexes made before ``apps/search/engine/`` name their analyzers ``apps.search.analysis``."""
    for analyzer in (word_analyzer(), partial_analyzer()):
        old = pickle.dumps(analyzer, protocol=2).replace(
            b"apps.search.engine.analyzers", b"apps.search.analysis"
        )
        assert b"apps.search.analysis" in old
        assert pickle.loads(old) == analyzer  # noqa: S301 - our own object


def test_word_analyzer_gives_positions_and_offsets_to_whoosh():
    tokens = [
        (t.text, t.pos, t.startchar, t.endchar)
        for t in word_analyzer()("ประชุมสหกรณ์", positions=True, chars=True)
    ]
    assert ("ประชุม", 0, 0, 6) in tokens
    assert ("สหกรณ์", 1, 6, 12) in tokens


def test_partial_analyzer_ngrams_cover_part_of_a_word():
    grams = [t.text for t in partial_analyzer()("สหกรณ์")]
    assert grams == ["สหก", "หกร", "กรณ", "รณ์"]
    prefixes = [t.text for t in partial_analyzer(mode="prefix")("สหกรณ์")]
    assert "สหกร" in prefixes


def test_analysis_never_touches_the_network():
    """GIVEN sockets that refuse to open WHEN a fresh process analyses text THEN it works."""
    script = (
        "import socket\n"
        "def refuse(*a, **k):\n"
        "    raise RuntimeError('network used')\n"
        "socket.socket.connect = refuse\n"
        "socket.create_connection = refuse\n"
        "socket.getaddrinfo = refuse\n"
        "from apps.search.engine.analysis import analyse, stopwords\n"
        "from apps.search.engine import build_schema\n"
        "assert stopwords() and build_schema()\n"
        "assert 'สหกรณ์' in [t.text for t in analyse('ประชุมสหกรณ์')]\n"
        "from apps.search.engine.analysis import segment\n"
        "assert segment('สหกรณ์การเกษตร', engine='newmm')\n"
    )
    result = subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
