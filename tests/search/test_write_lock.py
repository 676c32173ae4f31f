"""A long index write (an import) keeps nobody waiting: a save made meanwhile waits a moment
and leaves its update queued, and a bulk flush lets other writers in between its batches."""

import threading
import time

import pytest

from apps.search import indexing
from apps.search.engine import SearchRequest, Viewer
from apps.search.models import IndexTask
from tests.library.factories import DocumentFactory

pytestmark = pytest.mark.django_db


def found(text: str) -> set[str]:
    request = SearchRequest(viewer=Viewer(is_admin=True), text=text)
    return {hit.uid for hit in indexing.get_engine().search(request).hits}


def test_a_save_during_a_long_write_leaves_its_update_queued(
    search_index, django_capture_on_commit_callbacks
):
    """GIVEN another writer holding the index (an import) WHEN a document is saved THEN the
    save returns after ``REQUEST_WAIT``, not the 30-second lock timeout, and its update waits
    in the queue until the next flush."""
    engine = indexing.get_engine()
    engine.open_or_create()
    held, release = threading.Event(), threading.Event()

    def long_write():
        with engine.writer():
            held.set()
            release.wait(60)

    writer = threading.Thread(target=long_write)
    writer.start()
    assert held.wait(10)
    try:
        started = time.monotonic()
        with django_capture_on_commit_callbacks(execute=True):
            document = DocumentFactory(title="ประกาศที่บันทึกระหว่างการนำเข้า")
        waited = time.monotonic() - started
    finally:
        release.set()
        writer.join()
    assert waited < indexing.REQUEST_WAIT + 5 < engine.config.lock_timeout
    assert IndexTask.objects.filter(uid=f"document:{document.pk}").exists()
    search_index()
    assert f"document:{document.pk}" in found("บันทึกระหว่างการนำเข้า")


def test_a_bulk_flush_lets_another_writer_in_between_its_batches(search_index, monkeypatch):
    for number in range(6):
        DocumentFactory(title=f"ระเบียบนำเข้าฉบับที่ {number}")  # queued; the test never commits
    engine = indexing.get_engine()
    engine.open_or_create()
    events: list[str] = []
    write = engine.write

    def slow_write(writer, docs, gone):
        events.append("batch")
        time.sleep(0.3)
        return write(writer, docs, gone)

    monkeypatch.setattr(engine, "write", slow_write)

    def other_writer():
        while not events:
            time.sleep(0.01)
        with engine.writer(timeout=30):
            events.append("other")

    other = threading.Thread(target=other_writer)
    other.start()
    assert indexing.flush(batch=2, pause=indexing.BULK_PAUSE) == 6
    other.join()
    assert events.count("batch") == 3
    assert events[-1] == "batch", events  # the other writer did not wait for the whole run
    assert len(found("ระเบียบนำเข้า")) == 6


def test_bulk_runs_flush_in_batches_with_pauses(search_index, monkeypatch):
    calls = []
    monkeypatch.setattr(indexing, "flush", lambda **kwargs: calls.append(kwargs) or 0)
    with indexing.deferred():
        DocumentFactory(title="คู่มือที่นำเข้า")
    assert calls == [{"batch": indexing.BULK_BATCH, "pause": indexing.BULK_PAUSE}]


@pytest.mark.parametrize(("queued", "commits"), [(6, 1), (7, 2), (12, 3)])
def test_a_short_tail_is_written_with_the_batch_before_it(
    search_index, monkeypatch, queued, commits
):
    """GIVEN more tasks queued than one batch WHEN they are flushed THEN a tail of at most half
    a batch goes into the last batch's commit (no commit and pause for a few entries), and
    every entry is written."""
    for number in range(queued):
        DocumentFactory(title=f"คำสั่งนำเข้าที่ {number}")
    engine = indexing.get_engine()
    engine.open_or_create()
    sizes: list[int] = []
    write = engine.write

    def counted(writer, docs, gone):
        sizes.append(len(docs))
        return write(writer, docs, gone)

    monkeypatch.setattr(engine, "write", counted)
    assert indexing.flush(batch=4) == queued
    assert len(sizes) == commits and sum(sizes) == queued and max(sizes) <= 6
    assert len(found("คำสั่งนำเข้า")) == queued
