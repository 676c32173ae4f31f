"""A short query's other clauses (parts of words, title matches, abbreviations' phrases) are
scored from the postings arrays (issue 20), and give what Whoosh's matchers give: the same
documents, the same scores up to the order of the additions."""

import itertools
import random

import numpy as np
import pytest
from whoosh.query import And, Phrase, Term
from whoosh.query.compound import DefaultOr as Or

from apps.search.engine import SearchEngine, SearchRequest, Viewer
from apps.search.engine import accumulate as accumulate_module
from apps.search.engine.accumulate import add_extra, scorable
from apps.search.engine.query import as_passage, parse

ADMIN = Viewer(user_id=1, is_admin=True)
SYLLABLES = ("ka", "ro", "mi", "tu", "sel")
WORDS = ["".join(p) for p in itertools.product(SYLLABLES, repeat=2)]  # 25 words
THAI_TITLES = (
    "การพัสดุ ของสหกรณ์",
    "พัสดุ การเงิน",  # every letter triple of การพัสดุ but ารพ and รพั: no phrase
    "ระเบียบ การพัสดุภาครัฐ",
    "สหกรณ์การเกษตร",
    "ประชุมสหกรณ์ ประจำปี",
    "การประชุม กรรมการ",
)


def _documents(rng: random.Random, first: int, count: int) -> list[dict]:
    docs = []
    for pk in range(first, first + count):
        body = " ".join(rng.choices(WORDS, k=40))
        title = rng.choice(THAI_TITLES) + " " + " ".join(rng.choices(WORDS, k=2))
        docs.append({"kind": "document", "pk": pk, "title": title, "body": body, "access": "all"})
    return docs


@pytest.fixture
def engine(tmp_path):
    engine = SearchEngine(tmp_path / "index")
    rng = random.Random(7)
    for first in (1, 61, 121):  # three commits: postings in several segments
        engine.upsert(_documents(rng, first, 60))
    engine.delete(["document:3", "document:70"])
    return engine


def _whoosh(postings, queries) -> np.ndarray:
    """What ``add_extra`` did before: each query's matcher, document at a time."""
    scores = np.zeros(postings.slots, dtype=np.float64)
    for query in queries:
        for searcher, offset in postings.searcher.leaf_searchers():
            matcher = query.matcher(searcher)
            while matcher.is_active():
                scores[offset + matcher.id()] += matcher.score()
                matcher.next()
    return scores


def _ours(postings, queries) -> np.ndarray:
    scores = np.zeros(postings.slots, dtype=np.float64)
    add_extra(postings, queries, scores)
    return scores


def _same(expected: np.ndarray, got: np.ndarray) -> None:
    assert np.array_equal(np.flatnonzero(expected), np.flatnonzero(got))
    assert got == pytest.approx(expected, rel=1e-9)


def _queries(rng: random.Random) -> list:
    queries = []
    for _ in range(40):
        a, b, c = rng.sample(WORDS, 3)
        queries += [
            Phrase("body", [a, b]),
            Phrase("body", [a, b, c], boost=0.3),
            Phrase("body", [a, a]),  # a word twice in a row
            Or([Term("body", a.encode()), Term("title", b, boost=2.0)], boost=0.3),
            Or([Phrase("body", [a, b]), Or([Term("body", c), Term("body", a)])], boost=0.7),
            Or([Term("body", c.encode())], boost=0.3),  # one clause: Whoosh drops its boost
        ]
    return queries


def test_terms_phrases_and_ors_score_as_whooshs_matchers(engine):
    snap = engine._snapshot()
    postings = engine._postings(snap)
    queries = _queries(random.Random(3))
    assert all(scorable(postings, query) for query in queries)
    for query in queries:
        _same(_whoosh(postings, [query]), _ours(postings, [query]))
    # A phrase asked again is read from what this snapshot kept: the same answer.
    for query in queries[:10]:
        _same(_whoosh(postings, [query]), _ours(postings, [query]))


def test_a_phrase_needs_its_words_next_to_each_other_in_order(engine):
    snap = engine._snapshot()
    postings = engine._postings(snap)
    a, b = WORDS[0], WORDS[1]
    both = np.intersect1d(postings.get("body", a)[0], postings.get("body", b)[0])
    phrase = postings.phrase_docs("body", [a, b])
    assert 0 < len(phrase) < len(both)  # some hold both words apart only
    _same(_whoosh(postings, [Phrase("body", [a, b])]), _ours(postings, [Phrase("body", [a, b])]))


def test_other_queries_still_go_through_whoosh(engine):
    snap = engine._snapshot()
    postings = engine._postings(snap)
    a, b = WORDS[2], WORDS[3]
    others = [
        Phrase("body", [a, b], slop=2),
        And([Term("body", a), Term("body", b)]),
        Or([Term("body", a), Term("body", b)], minmatch=2),
        Term("nosuchfield", a),
    ]
    for query in others:
        assert not scorable(postings, query)
        _same(_whoosh(postings, [query]), _ours(postings, [query]))


@pytest.mark.parametrize("text", ["การพัสดุ", "สหกร", "ประชุ", "การพัสดุ สหกรณ์", "ka ro"])
def test_parts_of_words_rank_as_whoosh_ranks_them(engine, text):
    snap = engine._snapshot()
    built = engine.build_query(as_passage(parse(text)), snap)
    assert built.extra or text == "ka ro"
    postings = engine._postings(snap)
    _same(_whoosh(postings, built.extra), _ours(postings, built.extra))


def test_a_phrase_kept_for_a_snapshot_is_not_kept_past_a_commit(engine):
    """GIVEN a partial word searched (its phrase kept for the snapshot) WHEN a document with
    it in its title is added THEN the next search finds it at once."""

    def found(text):
        response = engine.search(SearchRequest(viewer=ADMIN, text=text, page_size=100))
        return {hit.uid for hit in response.hits}

    before = found("การพัส")
    engine.upsert(
        [{"kind": "document", "pk": 999, "title": "การพัสดุใหม่", "body": "x", "access": "all"}]
    )
    assert "document:999" in found("การพัส") - before


def test_phrases_kept_are_bounded(engine, monkeypatch):
    monkeypatch.setattr(accumulate_module, "PHRASES_BUDGET", 50)
    postings = accumulate_module.Postings(engine._snapshot().searcher, 0.7, 0.75, {})
    for a, b in itertools.permutations(WORDS[:6], 2):
        postings.phrase_docs("body", [a, b])
    assert postings._phrases.held <= 50
