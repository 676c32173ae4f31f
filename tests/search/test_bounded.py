"""The snapshot's caches are bounded by what they hold, not by how many entries (issue 20)."""

from apps.search.engine import SearchEngine, SearchRequest, Viewer, accumulate, snapshot
from apps.search.engine.bounded import Bounded

ADMIN = Viewer(user_id=1, is_admin=True)


def test_the_oldest_entries_go_when_the_weight_held_is_over_the_budget():
    """GIVEN a cache of 10 elements WHEN three sets of 4 are put THEN the first goes (the held
    weight, each entry counting one more, stays within 10), and the one read since stays."""
    cache = Bounded(10)
    cache.put("a", frozenset(range(4)))
    cache.put("b", frozenset(range(4)))
    assert cache.get("a") == frozenset(range(4))  # now the most recent
    cache.put("c", frozenset(range(4)))
    assert "b" not in cache and "a" in cache and "c" in cache
    assert cache.held == 10 and len(cache) == 2


def test_a_value_heavier_than_the_budget_is_given_back_but_not_kept():
    """GIVEN a small budget WHEN one value alone is heavier THEN it is returned, nothing else
    goes, and the cache holds no more than before."""
    cache = Bounded(5)
    cache.put("small", [1])
    assert cache.put("huge", list(range(100))) == list(range(100))
    assert "huge" not in cache and cache.get("small") == [1] and cache.held == 2


def test_putting_a_key_again_replaces_its_weight():
    """GIVEN an entry WHEN the same key is put with a smaller value THEN only the new weight is
    counted."""
    cache = Bounded(100)
    cache.put("k", list(range(50)))
    cache.put("k", [1, 2])
    assert cache.held == 3 and cache.get("k") == [1, 2]


def test_a_searcher_keeps_its_postings_and_term_sets_within_their_budgets(tmp_path, monkeypatch):
    """GIVEN tiny budgets for the postings and the term sets WHEN documents are searched for
    many different words THEN neither cache holds more than its budget, and every search still
    finds the same documents as with room to spare."""
    words = ["สหกรณ์", "บัญชี", "ประชุม", "ระเบียบ", "เงินกู้", "สมาชิก", "ภาษี", "ตรวจสอบ"]
    docs = [
        {"kind": "doc", "pk": i, "title": f"เรื่อง {i}", "body": " ".join(words[: 1 + i % 8]),
         "access": "all"}
        for i in range(60)
    ]  # fmt: skip

    def totals(engine):
        return [
            engine.search(SearchRequest(viewer=ADMIN, text=w, facets=False)).total for w in words
        ]

    roomy = SearchEngine(tmp_path / "roomy")
    roomy.upsert(docs)
    expected = totals(roomy)
    monkeypatch.setattr(accumulate, "POSTINGS_BUDGET", 40)
    monkeypatch.setattr(snapshot, "TERM_DOCS_BUDGET", 40)
    tight = SearchEngine(tmp_path / "tight")
    tight.upsert(docs)
    assert totals(tight) == expected == [sum(j % 8 >= i for j in range(60)) for i in range(8)]
    snap = tight._snapshot()
    for word in words:
        snap.docs_with("body", word)
    assert snap.postings is not None and 0 < snap.postings._cache.held <= 40
    assert 0 < snap.term_docs.held <= 40
