"""Related items at department scale (issue 20): "more like this" looks the commonest key terms
up only for the documents that can still be among the best, and gives exactly what adding
every term's whole list up gives: the same items, scores and order, for every viewer."""

import itertools
import random

import pytest

from apps.search.engine import SearchEngine, Viewer
from apps.search.engine import accumulate as accumulate_module
from apps.search.engine import searcher as searcher_module

ADMIN = Viewer(user_id=1, is_admin=True)
STAFF = Viewer(user_id=2)

SYLLABLES = ("ka", "ro", "mi", "tu", "sel", "pan", "dor", "vy")
WORDS = ["".join(p) for p in itertools.product(SYLLABLES, repeat=2)]  # 64 words


def _documents(rng: random.Random, first: int, count: int) -> list[dict]:
    """Bodies drawn from a skewed vocabulary: a few words in many documents, most in few."""
    weights = [1.0 / (rank + 1) for rank in range(len(WORDS))]
    docs = []
    for pk in range(first, first + count):
        body = " ".join(rng.choices(WORDS, weights, k=60))
        title = " ".join(rng.choices(WORDS, weights, k=4))
        access = "km" if pk % 7 == 0 else "all"
        docs.append({"kind": "document", "pk": pk, "title": title, "body": body, "access": access})
    return docs


@pytest.fixture
def engine(tmp_path):
    engine = SearchEngine(tmp_path / "index")
    rng = random.Random(20)
    for first in (1, 121, 241):  # three commits: postings in several segments
        engine.upsert(_documents(rng, first, 120))
    engine.delete(["document:5", "document:130"])  # deleted documents are never looked up
    return engine


def test_pruned_more_like_gives_what_adding_everything_up_gives(engine, monkeypatch):
    monkeypatch.setattr(accumulate_module, "MAX_LOOKUPS", 40)  # prune in a small index too
    monkeypatch.setattr(accumulate_module, "PRUNE_FROM", 0)
    looked_up = []
    rescored = accumulate_module._rescored

    def counting(*args, **kwargs):
        looked_up.append(1)
        return rescored(*args, **kwargs)

    monkeypatch.setattr(accumulate_module, "_rescored", counting)
    uids = [f"document:{pk}" for pk in range(1, 361, 11)]
    pruned = {
        (uid, viewer.user_id): [(h.uid, h.score) for h in engine.more_like(uid, viewer, limit=10)]
        for uid in uids
        for viewer in (STAFF, ADMIN)
    }
    assert looked_up, "the test never pruned: make the lists longer"
    monkeypatch.setattr(
        searcher_module,
        "top_k_pruned",
        lambda postings, weighted, k, allowed, masked, _frequency: accumulate_module.top_k(
            accumulate_module.accumulate(postings, weighted), k, allowed, masked
        )[0],
    )
    for (uid, user_id), found in pruned.items():
        viewer = ADMIN if user_id == ADMIN.user_id else STAFF
        assert found == [(h.uid, h.score) for h in engine.more_like(uid, viewer, limit=10)]
        if viewer is STAFF:
            assert all(int(u.split(":")[1]) % 7 for u, _score in found)  # never a km item
        assert uid not in [u for u, _score in found]
