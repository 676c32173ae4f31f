"""The durable queue keeps flushing after a write that rolled back (the flush after commit is
tied to the transaction, not to the connection or the process)."""

import pytest
from django.db import transaction

from apps.search import indexing
from apps.search.engine import SearchRequest
from apps.search.models import IndexTask
from apps.search.searching import ADMIN
from tests.library.factories import DocumentFactory


def found(text) -> set[str]:
    response = indexing.get_engine().search(SearchRequest(viewer=ADMIN, text=text, page_size=50))
    return {hit.uid for hit in response.hits}


class RolledBackError(Exception):
    pass


@pytest.mark.django_db(transaction=True)
def test_a_committed_write_is_indexed_after_a_rolled_back_one(search_index):
    """GIVEN a request whose transaction rolled back after a registered record changed
    WHEN the same process then commits another change
    THEN the change is in the index without any manual flush."""
    with pytest.raises(RolledBackError), transaction.atomic():
        DocumentFactory(title="บันทึกที่ถูกยกเลิก")
        raise RolledBackError
    assert not IndexTask.objects.exists()

    with transaction.atomic():
        renamed = DocumentFactory(title="คู่มือการตรวจสอบกิจการสหกรณ์")
    assert f"document:{renamed.pk}" in found("ตรวจสอบกิจการ")
    assert not IndexTask.objects.exists()

    with transaction.atomic():
        renamed.title = "คู่มือการเลือกตั้งกรรมการดำเนินการ"
        renamed.save()
    assert found("ตรวจสอบกิจการ") == set()
    assert f"document:{renamed.pk}" in found("เลือกตั้งกรรมการ")


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_savepoint_keeps_the_flush_of_its_transaction(search_index):
    """A change in a savepoint that rolls back must not cancel the flush of the outer
    transaction's own changes."""
    with transaction.atomic():
        with pytest.raises(RolledBackError), transaction.atomic():
            DocumentFactory(title="ร่างที่ถูกยกเลิก")
            raise RolledBackError
        kept = DocumentFactory(title="ระเบียบว่าด้วยการรับฝากเงินของสหกรณ์")
    assert f"document:{kept.pk}" in found("รับฝากเงิน")
    assert not IndexTask.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_one_flush_per_transaction(search_index, monkeypatch):
    calls = []
    monkeypatch.setattr(indexing, "flush", lambda **kwargs: calls.append(kwargs) or 0)
    with transaction.atomic():
        for number in range(3):
            DocumentFactory(title=f"ระเบียบฉบับที่ {number}")
    assert len(calls) == 1


@pytest.mark.django_db
def test_a_bulk_run_whose_queue_cannot_be_written_does_not_keep_collecting(
    search_index, monkeypatch
):
    """GIVEN a bulk run (``deferred``) that fails, and whose queue cannot be written either
    (a broken database) WHEN a later change is made in the same thread THEN it is queued as
    usual, not collected for a run that is over."""

    def broken():
        raise RolledBackError("the database is gone")

    with monkeypatch.context() as patched:
        patched.setattr(indexing, "persist_deferred", broken)
        with pytest.raises(RolledBackError), indexing.deferred():
            DocumentFactory(title="นำเข้าไม่สำเร็จ")
            raise RolledBackError
    IndexTask.objects.all().delete()
    later = DocumentFactory(title="บันทึกภายหลัง")
    assert IndexTask.objects.filter(uid=f"document:{later.pk}").exists()


@pytest.mark.django_db(transaction=True)
def test_the_flush_is_a_job_once_the_change_commits(search_index, monkeypatch):
    """GIVEN a change in a transaction WHEN it commits THEN one flush job is enqueued (run at
    once in the tests) and not before."""
    enqueued = []
    real = indexing.flush_index
    monkeypatch.setattr(indexing, "flush_index", lambda: enqueued.append(1) or real())
    with transaction.atomic():
        document = DocumentFactory(title="ระเบียบว่าด้วยเงินรับฝากออมทรัพย์พิเศษ")
        assert enqueued == []
    assert enqueued == [1]
    assert f"document:{document.pk}" in found("ออมทรัพย์พิเศษ")


@pytest.mark.django_db(transaction=True)
def test_a_queue_that_cannot_take_the_flush_leaves_it_to_this_process(search_index, monkeypatch):
    """GIVEN a job queue that cannot be reached (Redis down) WHEN a change commits THEN the
    process that made it updates the index itself; nothing waits for the sweep."""

    def unreachable():
        raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(indexing, "flush_index", unreachable)
    with transaction.atomic():
        document = DocumentFactory(title="ระเบียบว่าด้วยเงินกู้เพื่อเหตุฉุกเฉิน")
    assert f"document:{document.pk}" in found("เหตุฉุกเฉิน")
    assert not IndexTask.objects.exists()
