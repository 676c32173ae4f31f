"""Long queries (a pasted case or passage): every term is scored, term at a time (issue 19)."""

import pytest
from whoosh.query import Term

from apps.search.engine import DEFAULT_CONFIG, SearchEngine, SearchRequest, Viewer
from apps.search.engine.accumulate import accumulate, top_k
from apps.search.engine.query import as_passage, parse

ADMIN = Viewer(user_id=1, is_admin=True)
_WORDS = (
    "สหกรณ์ เกษตรกร ประชุม ระเบียบ บัญชี ความรู้ หนังสือ แผนงาน ภาษี รายได้ สมาชิก เงินฝาก "
    "ดอกเบี้ย กรรมการ ตรวจสอบ งบประมาณ โครงการ พัสดุ สัญญา ราคา สินค้า บริการ โรงเรียน "
    "โรงพยาบาล ถนน สะพาน ไฟฟ้า ประกัน สุขภาพ บำนาญ"
)
WORDS = _WORDS.split()
COMMON = WORDS[-1]  # in most documents: the lightest term of the query


@pytest.fixture
def engine(tmp_path):
    engine = SearchEngine(tmp_path / "index")
    docs = [
        {"kind": "doc", "pk": i, "title": f"เรื่อง {i}", "body": f"{word} {COMMON}", "access": "all"}
        for i, word in enumerate(WORDS[:-1])
    ]
    # Only the commonest word of the query: a top-24 cut by weight would leave it out.
    docs.append({"kind": "doc", "pk": 99, "title": "อื่น", "body": COMMON, "access": "all"})
    docs.append({"kind": "doc", "pk": 100, "title": "ไม่เกี่ยว", "body": "ลิขสิทธิ์", "access": "all"})
    engine.upsert(docs)
    return engine


def search(engine, text, **kwargs):
    kwargs.setdefault("page_size", 100)
    return engine.search(SearchRequest(viewer=ADMIN, text=text, facets=False, **kwargs))


def test_no_term_is_dropped_from_a_long_query(engine):
    """GIVEN a query of 30 terms (more than ``long_query_terms``) WHEN searched THEN every term
    counts: the document holding only the commonest one is found too."""
    assert len(WORDS) > DEFAULT_CONFIG.long_query_terms
    response = search(engine, " ".join(WORDS))
    assert set(response.terms) == set(WORDS)
    uids = [hit.uid for hit in response.hits]
    assert "doc:99" in uids
    assert "doc:100" not in uids
    assert response.total == len(WORDS)
    assert uids[-1] == "doc:99"  # one light term: last


def test_term_at_a_time_scores_as_whoosh_bm25f_does(engine):
    """The accumulated scores are those Whoosh's BM25F gives the same OR of clauses."""
    built = engine.build_query(parse(" ".join(WORDS)))
    assert built.long and built.weighted
    snap = engine._snapshot()
    whoosh = {hit.docnum: hit.score for hit in snap.searcher.search(built.query, limit=None)}
    scores = accumulate(engine._postings(snap), built.weighted, built.extra)
    best, matched = top_k(scores, 100)
    assert matched == set(whoosh)
    for docnum, score in best:
        assert score == pytest.approx(whoosh[docnum], rel=1e-9)


def test_short_queries_rank_alike_on_both_paths(engine):
    """A short query's title matches and parts of words are added in as Whoosh scores them."""
    for text in ("เรื่อง 3", "สหกรณ์ บำนาญ", "โรงพยา", "เงินฝาก ดอกเบี้ย"):
        built = engine.build_query(parse(text))
        snap = engine._snapshot()
        whoosh = [
            (hit.docnum, pytest.approx(hit.score))
            for hit in snap.searcher.search(built.query, limit=10)
        ]
        best, _ = top_k(accumulate(engine._postings(snap), built.weighted, built.extra), 10)
        assert sorted(best, key=lambda x: (-x[1], x[0])) == sorted(
            whoosh, key=lambda x: (-x[1].expected, x[0])
        )


def test_a_word_a_long_query_repeats_counts_more(engine):
    """In a pasted passage a repeated word says what it is about (BM25's query frequency); in a
    few typed words a repeat is incidental and counts once."""
    passage = " ".join(WORDS)
    response = search(engine, f"{passage} สหกรณ์ สหกรณ์")
    assert response.hits[0].uid == "doc:0"
    response = search(engine, f"{passage} ภาษี ภาษี")
    assert response.hits[0].uid == "doc:8"
    short = search(engine, "สหกรณ์ สหกรณ์ สหกรณ์ ภาษี").hits
    assert short[0].score == pytest.approx(short[1].score)


def test_quotes_in_a_pasted_passage_are_words_not_required_phrases():
    passage = "ข้อเท็จจริง " * 30 + "“ประมวลรัษฎากร” มาตรา 40"
    parsed = as_passage(parse(passage))
    assert not parsed.phrases
    assert "ประมวลรัษฎากร" in parsed.words
    typed = as_passage(parse('"ประมวลรัษฎากร" ภาษี'))
    assert typed.phrases == ["ประมวลรัษฎากร"]


def test_long_query_with_facets_and_filters(engine):
    response = engine.search(
        SearchRequest(viewer=ADMIN, text=" ".join(WORDS), kinds=["doc"], page_size=5)
    )
    assert response.total == len(WORDS)
    assert dict(response.facets["kind"]) == {"doc": len(WORDS)}
    assert len(response.hits) == 5
    nothing = engine.search(SearchRequest(viewer=ADMIN, text=" ".join(WORDS), kinds=["x"]))
    assert nothing.total == 0 and not nothing.hits
    assert Term("body", COMMON)  # (the field the terms live in)
