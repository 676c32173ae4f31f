"""Values kept while the tables they read are unchanged (``apps.core.kept``, issue 20)."""

import pytest

from apps.core import counters
from apps.core.kept import KeptValues
from apps.library.models import Document
from apps.search.models import QueryStat
from tests.library.factories import DocumentFactory

pytestmark = pytest.mark.django_db


class Counted:
    """``make`` for the store: how many documents there are, and how often it was asked."""

    def __init__(self):
        self.runs = 0

    def __call__(self):
        self.runs += 1
        return list(Document.objects.order_by("pk").values_list("title", flat=True))


def _kept_once(store, make, key=("docs",)):
    """The first run learns the tables and keeps nothing; the second is kept."""
    store.get(key, make)
    store.get(key, make)
    assert make.runs == 2


def test_a_value_is_kept_while_its_tables_are_unchanged():
    DocumentFactory(title="ก")
    store, make = KeptValues(), Counted()
    _kept_once(store, make)
    value, _when = store.get(("docs",), make)
    assert value == ["ก"] and make.runs == 2


@pytest.mark.parametrize("change", ["add", "edit", "delete"])
def test_any_change_of_a_read_table_is_seen_at_once(change):
    first = DocumentFactory(title="ก")
    DocumentFactory(title="ข")
    store, make = KeptValues(), Counted()
    _kept_once(store, make)
    if change == "add":
        DocumentFactory(title="ค")
        expected = ["ก", "ข", "ค"]
    elif change == "edit":
        first.title = "ก ใหม่"
        first.save()  # updated_at moves
        expected = ["ก ใหม่", "ข"]
    else:
        first.delete()
        expected = ["ข"]
    value, _when = store.get(("docs",), make)
    assert value == expected and make.runs == 3


def test_a_counter_bumped_in_place_shows_after_max_age():
    """A day counter changes no count, key or ``updated_at``: only the age bound catches it."""
    counters.bump(QueryStat, {"query": "สหกรณ์", "day": "2026-12-01"}, searches=1)

    def searches():
        searches.runs += 1
        return QueryStat.objects.get().searches

    searches.runs = 0
    kept = KeptValues(max_age=60)
    kept.get(("q",), searches)
    kept.get(("q",), searches)
    counters.bump(QueryStat, {"query": "สหกรณ์", "day": "2026-12-01"}, searches=1)
    assert kept.get(("q",), searches)[0] == 1  # within the minute: the kept value
    expired = KeptValues(max_age=0)
    expired.get(("q",), searches)
    assert expired.get(("q",), searches)[0] == 2


def test_a_write_while_the_value_is_worked_out_is_not_kept():
    """The fingerprint is read before ``make()``: a row added meanwhile makes the next request
    work the value out again rather than keep one older than its fingerprint."""
    DocumentFactory(title="ก")
    store = KeptValues()

    def make_then_write():
        make_then_write.runs += 1
        value = list(Document.objects.values_list("title", flat=True))
        if make_then_write.runs == 2:
            DocumentFactory(title="ข")  # another request's write, after the read
        return value

    make_then_write.runs = 0
    store.get(("docs",), make_then_write)
    assert store.get(("docs",), make_then_write)[0] == ["ก"]
    value, _when = store.get(("docs",), make_then_write)
    assert sorted(value) == ["ก", "ข"] and make_then_write.runs == 3


def test_keys_are_kept_apart_and_bounded():
    DocumentFactory(title="ก")
    store = KeptValues(max_entries=2)
    makes = {name: Counted() for name in ("a", "b", "c")}
    for name, make in makes.items():
        store.get(("docs", name), make)
        store.get(("docs", name), make)
    # The family's tables were learnt by a's first run: b and c were kept at once.
    assert [make.runs for make in makes.values()] == [2, 1, 1]
    assert len(store._entries) == 2
    store.get(("docs", "a"), makes["a"])  # pushed out by c: worked out again
    store.get(("docs", "c"), makes["c"])
    assert makes["a"].runs == 3 and makes["c"].runs == 1


def test_a_change_outside_the_database_counts_through_also():
    state = {"index": 1}
    store, make = KeptValues(also=lambda: state["index"]), Counted()
    _kept_once(store, make)
    store.get(("docs",), make)
    assert make.runs == 2
    state["index"] = 2
    store.get(("docs",), make)
    assert make.runs == 3
