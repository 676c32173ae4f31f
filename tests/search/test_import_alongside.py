"""Indexing alongside an import: a child process writes the index batch by batch while the
importer shelves the next files (``indexing.Alongside``).

The loop itself runs here in the test's process (the test database lives in memory, which a
child cannot open); the fork, through ``manage.py import_documents``, runs against a real
data folder at the end."""

import os
import threading

import pytest

from apps.search import indexing
from apps.search.engine import SearchRequest
from apps.search.models import IndexTask
from apps.search.searching import ADMIN
from tests.library.factories import DocumentFactory
from tests.ops.instance import (
    Instance,
    drop_postgres_database,
    fresh_postgres_database,
    postgres_available,
)
from tests.search.test_processes import manage, run

pytestmark = pytest.mark.django_db
TITLES = ["ระเบียบการรับฝากเงิน", "คู่มือการเลือกตั้งกรรมการ", "หนังสือเวียนเรื่องเงินกู้"]


def found(text: str) -> set[str]:
    response = indexing.get_engine().search(SearchRequest(viewer=ADMIN, text=text, page_size=50))
    return {hit.uid for hit in response.hits}


def queued_but_not_indexed(titles=TITLES) -> list[str]:
    """Documents in the database whose tasks are queued and whose entries are not in the index
    (as an import's batches leave them before anyone flushes)."""
    documents = [DocumentFactory(title=title) for title in titles]
    indexing.flush()
    indexing.get_engine().clear()
    uids = [f"document:{document.pk}" for document in documents]
    IndexTask.objects.bulk_create([IndexTask(uid=uid) for uid in uids])
    return uids


def finished() -> threading.Event:
    done = threading.Event()
    done.set()
    return done


def test_the_loop_indexes_every_queued_task_and_empties_the_queue(search_index):
    uids = queued_but_not_indexed()
    assert found("รับฝากเงิน") == set()

    written, commits = indexing.index_tasks_as_they_come(finished(), os.getppid())

    assert (written, commits) == (3, 1)
    assert found("รับฝากเงิน") == {uids[0]}
    assert found("เลือกตั้ง") == {uids[1]}
    assert not IndexTask.objects.exists()


def test_a_long_run_commits_in_large_steps_and_never_a_small_one_in_the_middle(
    search_index, monkeypatch
):
    """GIVEN commits of 2 entries (``BULK_BATCH``) read 1 task at a time, and 5 tasks queued
    THEN it commits after 2 while at least 1 more is queued, and the tail of 1 goes with the
    last step: 2, 3 (never 2, 2, 1)."""
    monkeypatch.setattr(indexing, "BULK_BATCH", 2)
    monkeypatch.setattr(indexing, "BATCH", 1)
    monkeypatch.setattr(indexing, "BULK_PAUSE", 0)
    titles = ["ระเบียบฉบับหนึ่ง", "ระเบียบฉบับสอง", "ระเบียบฉบับสาม", "ระเบียบฉบับสี่", "ระเบียบฉบับห้า"]
    uids = queued_but_not_indexed(titles)

    written, commits = indexing.index_tasks_as_they_come(finished(), os.getppid())

    assert written == 5
    assert commits == 2
    assert found("ระเบียบ") == set(uids)


def test_a_task_that_appears_out_of_order_is_left_for_the_next_flush(search_index, monkeypatch):
    """GIVEN a task that commits after the loop has read tasks with higher numbers (PostgreSQL
    hands out numbers before commit) THEN the loop does not delete it: the flush after the
    import takes it."""
    late = DocumentFactory(title="ประกาศเรื่องการประชุมใหญ่")
    uids = queued_but_not_indexed()  # the late one's entry too is not in the index
    first = IndexTask.objects.order_by("pk").first().pk
    assert not IndexTask.objects.filter(pk=first - 1).exists()
    real = indexing.documents_for

    def documents_for(wanted):
        # While the first tasks are read, another transaction commits one numbered lower.
        IndexTask.objects.get_or_create(pk=first - 1, defaults={"uid": f"document:{late.pk}"})
        return real(wanted)

    monkeypatch.setattr(indexing, "documents_for", documents_for)
    indexing.index_tasks_as_they_come(finished(), os.getppid())

    assert list(IndexTask.objects.values_list("uid", flat=True)) == [f"document:{late.pk}"]
    assert found("รับฝากเงิน") == {uids[0]}
    monkeypatch.setattr(indexing, "documents_for", real)
    indexing.flush()
    assert found("ประชุมใหญ่") == {f"document:{late.pk}"}


def test_if_the_importer_dies_nothing_is_committed_and_the_tasks_stay(search_index):
    """GIVEN the importer is gone (another parent) before it said it was done THEN the writer
    is dropped: the index is unchanged and every task is still queued."""
    queued_but_not_indexed()

    with pytest.raises(indexing._ParentGoneError):
        indexing.index_tasks_as_they_come(threading.Event(), parent=-1)

    assert found("รับฝากเงิน") == set()
    assert IndexTask.objects.count() == 3


def test_no_child_inside_a_transaction_or_on_an_in_memory_database(search_index):
    """The test's database is in memory and the test runs in a transaction: a child could see
    neither, so the import indexes after its batches, as before."""
    assert indexing.Alongside.possible() is False
    queued_but_not_indexed()
    with indexing.deferred(alongside=True):
        pass
    assert not IndexTask.objects.exists()
    assert len(found("ระเบียบ")) == 1


def some_files(folder, count=12):
    folder.mkdir()
    for number in range(count):
        (folder / f"ระเบียบ-{number:02d}.txt").write_text(
            f"ระเบียบว่าด้วยการรับฝากเงินของสหกรณ์ ฉบับที่ {number}", encoding="utf-8"
        )
    return folder


COUNTS = """
from apps.library.models import Document
from apps.search.indexing import get_engine
from apps.search.models import IndexTask
print(Document.objects.count(), get_engine().count(), IndexTask.objects.count())
"""


def test_the_command_indexes_alongside_in_a_child_and_leaves_nothing_queued(
    tmp_path, migrated_data_dir
):
    data_dir = migrated_data_dir(tmp_path / "data", "kmportal.settings.dev")
    folder = some_files(tmp_path / "files")

    result = manage(data_dir, "import_documents", str(folder))

    assert result.returncode == 0, result.stderr
    assert "Imported 12" in result.stdout
    checked = run(data_dir, COUNTS)
    assert checked.stdout.split() == ["12", "12", "0"], checked.stderr
    log = (data_dir / "logs" / "kmportal.log").read_text(encoding="utf-8")
    assert "12 entries written alongside the import in 1 commit(s)" in log


def test_when_no_child_can_be_started_the_import_indexes_after_its_batches(
    search_index, monkeypatch
):
    """GIVEN forking fails (no memory or no process left) THEN ``start`` says so in the log and
    gives no helper: the block then indexes at its end, as without one."""
    monkeypatch.setattr(indexing.Alongside, "possible", staticmethod(lambda: True))
    monkeypatch.setattr(indexing.connections, "close_all", lambda: None)  # the test's database

    def no_fork(self):
        raise OSError(12, "Cannot allocate memory")

    monkeypatch.setattr("multiprocessing.process.BaseProcess.start", no_fork)
    assert indexing.Alongside.start() is None
    uids = queued_but_not_indexed()
    with indexing.deferred(alongside=True):
        pass
    assert found("รับฝากเงิน") == {uids[0]}


@pytest.mark.skipif(not postgres_available(), reason="no PostgreSQL server")
def test_on_postgresql_the_child_has_its_own_connection(tmp_path):
    """The importer closes its connections before the fork, so the child opens its own: on
    PostgreSQL two processes on one socket would corrupt both sessions."""
    name = f"kmportal_alongside_{os.getpid()}"
    instance = Instance(tmp_path / "data", fresh_postgres_database(name))
    try:
        instance.manage("migrate", "--noinput", "-v0", timeout=300)
        folder = some_files(tmp_path / "files")

        result = instance.manage("import_documents", str(folder))

        assert "Imported 12" in result.stdout
        assert instance.python(COUNTS).split() == ["12", "12", "0"]
        log = (tmp_path / "data" / "logs" / "kmportal.log").read_text(encoding="utf-8")
        assert "12 entries written alongside the import" in log
    finally:
        drop_postgres_database(name)
