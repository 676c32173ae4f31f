"""The search page's quicker paths give what the slower ones gave (issue 20): snippets from
only the Thai runs that hold a query word, the results' markup written by a tag, and "did you
mean" kept per index snapshot and per scope."""

import datetime as dt
from pathlib import Path

import pytest
from django.template import Context, Engine
from django.test import RequestFactory
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy

from apps.library.models import Document, DocumentType
from apps.search.engine import SearchEngine, SearchRequest, Viewer, analysis, highlight, spans
from apps.search.engine.analyzers import ThaiWordTokenizer, word_analyzer
from apps.search.searching import Result
from tests.search.test_engine import ADMIN, DOCS, KM_MEMBER, STAFF

TEXTS = [
    *(doc["title"] + " " + doc["body"] for doc in DOCS),
    "ที่ประชุมใหญ่สามัญประจำปี พ.ศ. 2567 ของสหกรณ์การเกษตรเมืองเชียงใหม่ จำกัด มีมติอนุมัติงบการเงิน"
    " และจัดสรรกำไรสุทธิ 1,250,000.50 บาท ตามหนังสือ กษ 1108/ว 123 ลงวันที่ ๑๒ มีนาคม ๒๕๖๗",
    "วงซิลิฟูลส์เล่นดนตรีที่งานของสหกรณ์ออมทรัพย์ครูเชียงราย covid19 ISO 9001 ธ.ก.ส. ม.ค.",
    "ปริมาณน้ํา\u200bฝนของปีนี้ เเละท่ีดินทำกิน ก่่อน\u00a0การตรวจการสหกรณ์ ระเบียบนายทะเบียนสหกรณ์",
    "การควบคุมภายใน ทุนเรือนหุ้น เงินรับฝาก การแก้ไขปัญหาหนี้ ธรรมาภิบาล ระบบ GFMIS การพัสดุ"
    " ประกันภัยพืชผล ยุ้งฉาง กลุ่มเกษตรกร การชำระบัญชี เงินกู้ กพส. การจัดตั้งสหกรณ์ นครศรีธรรมราช",
    "<b>แผนงาน</b> & ข้อบังคับสหกรณ์ ฉบับที่ 5/2551 ข้อ 12 (ก) มาตรา 40 วรรคสอง",
]


def _all_token_texts(text: str) -> set[str]:
    return {tok.text for tok in word_analyzer().analyse(text)}


@pytest.mark.parametrize("text", TEXTS)
def test_term_spans_are_the_full_analysis(text):
    """GIVEN any set of words (each token of the text, one at a time and all at once, and
    words it lacks) WHEN the spans are found THEN they are those of the full analysis."""
    analyzer = word_analyzer()
    tokens = analyzer.analyse(text)
    words = sorted(_all_token_texts(text))
    for terms in [{word} for word in words] + [set(words), {"ไม่มีในข้อความ", "zz"}]:
        full = sorted(
            {(t.start, t.end) for t in tokens if t.text in terms and t.kind != analysis.CODE}
        )
        quick = sorted(set(spans.term_spans(text, terms, **analyzer.options())))
        assert quick == full, terms


PIECES = [
    "สหกรณ์",
    "การประชุม",
    "ระเบียบ",
    "พ.ศ.",
    "ธ.ก.ส.",
    "ม.ค.",
    "1,250,000.50",
    "2567",
    "5/2551",
    "covid19",
    "ISO",
    "กพส.",
    "ก.",
    "ที่",
    "ประชุมใหญ่",
    "นครศรีธรรมราช",
    "ๆ",
    "ฯ",
    ",",
    ".",
    "(ก)",
]


@pytest.mark.parametrize("seed", range(40))
def test_term_spans_on_mixed_text_are_the_full_analysis(seed):
    """GIVEN texts made at random of Thai words, abbreviations, numbers with commas and Latin
    words, joined by spaces, line breaks or nothing WHEN each token (and some together) is
    looked for THEN the spans found from the terms' occurrences are the full analysis's."""
    import random

    rng = random.Random(seed)
    text = "".join(rng.choice(PIECES) + rng.choice(["", "", " ", "\n"]) for _ in range(30))
    analyzer = word_analyzer()
    tokens = analyzer.analyse(text)
    words = sorted(_all_token_texts(text))
    for terms in [{word} for word in words] + [set(rng.sample(words, min(3, len(words))))]:
        full = sorted(
            {(t.start, t.end) for t in tokens if t.text in terms and t.kind != analysis.CODE}
        )
        assert sorted(set(spans.term_spans(text, terms, **analyzer.options()))) == full, terms
        normal = analysis.normalize(text)
        assert spans.term_spans(normal, terms, normalized=True, **analyzer.options()) == (
            spans.term_spans(normal, terms, **analyzer.options())
        )


def test_term_spans_with_very_many_occurrences_look_at_every_run(monkeypatch):
    """GIVEN more occurrences than are worth looking up one by one THEN every run is looked at,
    with the same spans."""
    text = "สหกรณ์ " * 50 + "ธ.ก.ส. 1,250"
    terms = {"สหกรณ์", "ธกส", "1250"}
    expected = spans.term_spans(text, terms)
    monkeypatch.setattr(spans, "MAX_STARTS", 10)
    assert spans._term_starts(analysis.normalize(text), terms) is None
    assert spans.term_spans(text, terms) == expected
    assert len(expected) == 52


class _FullAnalysis(ThaiWordTokenizer):
    """Not ``ThaiWordTokenizer`` itself: the highlighter analyses the whole text, as before."""


@pytest.mark.parametrize("text", TEXTS)
@pytest.mark.parametrize("max_chars", [40, 240])
def test_snippets_are_those_of_the_full_analysis(text, max_chars):
    full = _FullAnalysis()
    words = sorted(_all_token_texts(text))
    asked = [[word] for word in words] + [words[:3], words, ["ไม่มี"]]
    for terms in asked:
        for partials in [(), ("หกร",)]:
            expected = highlight(text, terms, partials=partials, max_chars=max_chars, analyzer=full)
            assert highlight(text, terms, partials=partials, max_chars=max_chars) == expected
    assert "<mark>" in highlight(text, words[:1], max_chars=max_chars)


def test_the_quick_translation_is_str_translate():
    everything = "".join(map(chr, analysis._TRANSLATE)) + "".join(TEXTS)
    for text in [everything, *TEXTS, "plain ascii", ""]:
        assert analysis._translate(text) == text.translate(analysis._TRANSLATE)


def test_the_dictionary_is_read_once():
    assert (
        analysis.dictionary_words()
        is analysis.dictionary_words(True)
        is analysis.dictionary_words(custom=True)
    )


# --- did you mean, kept per snapshot -----------------------------------------------------------


@pytest.fixture
def engine(tmp_path):
    engine = SearchEngine(tmp_path / "index")
    engine.upsert(DOCS)
    yield engine
    engine.close()


def _did_you_mean(engine, text, viewer, **kwargs):
    return engine.search(SearchRequest(viewer=viewer, text=text, **kwargs)).did_you_mean


def test_did_you_mean_is_kept_for_the_scope_it_was_measured_in(engine):
    """GIVEN a correction only a KM entry holds, answered (and kept) for a KM member WHEN staff
    and then a hidden-entries search ask the same THEN neither is offered it."""
    misspelt = "นายทะเบยน"  # นายทะเบียน is in the KM-only circular's title
    assert _did_you_mean(engine, misspelt, KM_MEMBER) == "นายทะเบียน"
    assert _did_you_mean(engine, misspelt, KM_MEMBER) == "นายทะเบียน"  # from the snapshot
    assert _did_you_mean(engine, misspelt, STAFF) is None
    assert _did_you_mean(engine, misspelt, ADMIN) == "นายทะเบียน"
    assert _did_you_mean(engine, misspelt, ADMIN, hidden=["document:2"]) is None
    another_km_member = Viewer(user_id=3, is_km_member=True)
    assert _did_you_mean(engine, misspelt, another_km_member) == "นายทะเบียน"
    # One answer per scope: the KM member's (whichever Viewer object asks), staff's, admin's,
    # and admin's without the hidden entry.
    assert len(engine._snapshot().spelling) == 4


def test_did_you_mean_follows_a_change_of_the_index_at_once(engine):
    misspelt = "นายทะเบยน"
    assert _did_you_mean(engine, misspelt, STAFF) is None
    engine.upsert([{**DOCS[0], "pk": 9, "title": "คำสั่งนายทะเบียนสหกรณ์", "access": "all"}])
    assert _did_you_mean(engine, misspelt, STAFF) == "นายทะเบียน"
    engine.delete(["document:9"])
    assert _did_you_mean(engine, misspelt, STAFF) is None


# --- the results' markup -----------------------------------------------------------------------

ENGINE = Engine(
    dirs=[Path(__file__).parent / "markup"],
    libraries={
        "i18n": "django.templatetags.i18n",
        "search_tags": "apps.search.templatetags.search_tags",
    },
    builtins=["apps.core.templatetags.thai"],
)


class _Plain:
    """A record of a kind with neither a document type nor a number."""


class _Numbered:
    number = "ว 5/2567 <ด่วน>"

    def get_doc_type_display(self):
        return ""


class _Guarded:
    def number(self):
        raise AssertionError("a method that alters data is never called from a template")

    number.alters_data = True

    def get_doc_type_display(self, language):  # needs an argument: nothing is shown
        return language


def _results():
    document = Document(pk=7, title="t", doc_type=DocumentType.CIRCULAR, number="กษ 1108/ว 123")
    unnumbered = Document(pk=8, title="t", doc_type=DocumentType.OTHER, number="")
    snippet = mark_safe("ผลการตรวจ<mark>สหกรณ์</mark> &amp; บัญชี")
    common = {"kind_label": gettext_lazy("Documents"), "icon": "file-earmark-text", "score": 1.0}
    return [
        Result(kind="document", obj=document, title="คู่มือ <script>", url="/library/7/",
               snippet=snippet, date=dt.date(2024, 3, 12), **common),
        Result(kind="document", obj=unnumbered, title='ชื่อ "แปลก" & อื่น ๆ',
               url="/library/8/?section=%E0%B8%A1+40#section", snippet=SafeString(""),
               section="มาตรา 40", **common),
        Result(kind="person", obj=_Plain(), title="สมชาย", url="/people/1/",
               snippet=snippet, kind_label="บุคคล", icon="person", score=0.5),
        Result(kind="order", obj=_Numbered(), title="คำสั่ง", url="/o/1/", snippet=snippet,
               kind_label=gettext_lazy("Documents"), icon="x", score=0.2, section="ข้อ 3"),
        Result(kind="other", obj=_Guarded(), title="อื่น", url="/x/", snippet=SafeString(""),
               kind_label="<อื่น>", icon="y", score=0.1, date=dt.date(2000, 1, 1)),
    ]  # fmt: skip


def test_a_result_is_the_loops_markup():
    request = RequestFactory().get("/search/?q=สหกรณ์")
    for language in ("th", "en"):
        with translation.override(language):
            for result in _results():
                context = Context({"request": request, "result": result})
                ours = ENGINE.from_string("{% load search_tags %}{% search_result result %}")
                include = ENGINE.from_string('{% include "result.html" %}')
                # The file ends with a line break; the page's loop had none after the item.
                assert ours.render(context) == include.render(context).removesuffix("\n")
