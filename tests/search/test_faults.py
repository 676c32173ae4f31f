"""A damaged, lost, replaced or half-rebuilt index, and a full disk: search says so in Thai, the
rest of the portal keeps working, workers pick up a rebuilt index by themselves, and the upkeep
commands bring everything back without ``--clear``."""

import datetime as dt
import errno
import re
import shutil
import threading
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import pytest
import whoosh.filedb.filestore as whoosh_filestore
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from apps.library.models import Document
from apps.search import indexing, upkeep
from apps.search.engine import SearchEngine, SearchRequest, Viewer
from apps.search.models import IndexTask
from tests.library.factories import DocumentFactory

pytestmark = pytest.mark.django_db

WORDS = "ตรวจสอบกิจการ"
UNAVAILABLE = "ระบบค้นหาขัดข้องชั่วคราว"
INCOMPLETE = "ดัชนีการค้นหายังไม่สมบูรณ์"
ADMIN = Viewer(is_admin=True)


@pytest.fixture
def library(search_index, people):
    documents = [DocumentFactory(title=f"คู่มือการตรวจสอบกิจการ ฉบับที่ {n}") for n in range(5)]
    search_index()
    return documents


def total(engine=None, text=WORDS) -> int:
    engine = engine or indexing.get_engine()
    return engine.search(SearchRequest(viewer=ADMIN, text=text, page_size=50)).total


def results_page(client, text=WORDS):
    response = client.get(reverse("search:results"), {"q": text})
    assert response.status_code == 200
    return response, response.content.decode()


def assert_the_rest_of_the_portal_works(client, document):
    home = client.get("/")
    assert home.status_code == 200
    assert f'action="{reverse("search:results")}"' in home.content.decode()  # the search box
    detail = client.get(document.get_absolute_url())
    assert detail.status_code == 200
    assert "related-items" in detail.content.decode()
    suggest = client.get(reverse("search:suggest"), {"q": "คู่มือ"})
    assert suggest.status_code == 200
    assert isinstance(suggest.json()["results"], list)


def index_files(settings) -> list[Path]:
    return sorted(Path(settings.SEARCH_INDEX_DIR).iterdir())


def segment_files(settings) -> list[Path]:
    """The segments' files: one .seg each when compound, a file per part otherwise (the terms
    .trm, the postings .pst, the stored fields and lengths .col)."""
    return [path for path in index_files(settings) if re.match(r"MAIN_[0-9a-z]+\.", path.name)]


# --- The folder is deleted ------------------------------------------------------------------------
def test_a_deleted_index_folder_is_made_again_and_search_says_it_is_incomplete(
    client_as, library, settings
):
    client = client_as("staff")
    assert results_page(client)[0].context["page"].total == 5
    shutil.rmtree(settings.SEARCH_INDEX_DIR)

    response, html = results_page(client)
    assert INCOMPLETE in html
    assert Path(settings.SEARCH_INDEX_DIR, "_MAIN_0.toc").exists() or segment_files(settings) == []
    assert Path(settings.SEARCH_INDEX_DIR).is_dir()
    assert_the_rest_of_the_portal_works(client, library[0])

    report = upkeep.check()
    missing = [uid for uid in report.missing if uid.startswith("document:")]
    assert report.incomplete and len(missing) == 5 and not report.healthy
    call_command("check_index", "--repair")
    assert upkeep.check().healthy
    response, html = results_page(client)
    assert response.context["page"].total == 5
    assert INCOMPLETE not in html


def test_a_write_after_the_folder_was_deleted_does_not_make_the_index_look_complete(
    client_as, library, settings
):
    shutil.rmtree(settings.SEARCH_INDEX_DIR)
    DocumentFactory(title="หนังสือเวียนฉบับใหม่")
    indexing.flush()  # the index is made again by a write, not by a search
    _response, html = results_page(client_as("staff"))
    assert INCOMPLETE in html


# --- A rebuild under a live searcher ------------------------------------------------------------
def test_workers_pick_up_a_rebuilt_index_by_themselves(library, settings):
    worker = SearchEngine(settings.SEARCH_INDEX_DIR)  # another process's engine
    assert total(worker) == 5
    with ThreadPoolExecutor(4) as pool:  # each thread has its own searcher
        assert list(pool.map(lambda _: total(worker), range(8))) == [5] * 8

    Document.objects.filter(pk=library[0].pk).delete()
    IndexTask.objects.all().delete()  # as if the index had lost the deletion
    call_command("rebuild_index", "--clear")

    assert total(worker) == 4
    with ThreadPoolExecutor(4) as pool:
        assert list(pool.map(lambda _: total(worker), range(8))) == [4] * 8


def test_a_folder_replaced_by_one_of_the_same_generation_is_noticed(tmp_path):
    folder = tmp_path / "index"
    docs = [{"kind": "document", "pk": n, "title": f"คู่มือฉบับที่ {n}"} for n in range(5)]
    worker, writer = SearchEngine(folder), SearchEngine(folder)
    writer.upsert(docs[:3])
    writer.upsert(docs[3:])
    assert total(worker, "คู่มือ") == 5
    shutil.rmtree(folder)
    other = SearchEngine(folder)
    other.upsert(docs[:1])
    other.upsert(docs[1:2])  # the same number of commits: the same generation number
    assert total(worker, "คู่มือ") == 2


# --- A damaged index ------------------------------------------------------------------------------
def _damage(settings, how: str) -> None:
    segments = [path for path in segment_files(settings) if path.suffix in {".seg", ".trm"}]
    assert segments  # a segment's terms: every search and every check reads them
    target = max(segments, key=lambda path: path.stat().st_size)
    size = target.stat().st_size
    if how == "truncated":
        with target.open("r+b") as handle:
            handle.truncate(size // 3)
    elif how == "zeroed":
        target.write_bytes(b"\0" * size)
    elif how == "garbage":
        target.write_bytes(bytes(range(256)) * (size // 256 + 1))
    elif how == "missing":
        target.unlink()
    elif how == "toc":
        toc = max(Path(settings.SEARCH_INDEX_DIR).glob("_MAIN_*.toc"))
        toc.write_bytes(b"not a table of contents")


DAMAGES = ["truncated", "zeroed", "garbage", "missing", "toc"]


@pytest.mark.parametrize("how", DAMAGES)
def test_a_damaged_index_degrades_search_with_a_message(client_as, library, settings, how):
    _damage(settings, how)
    client = client_as("staff")
    response, html = results_page(client)
    assert UNAVAILABLE in html
    assert response.context["page"].results == []
    assert_the_rest_of_the_portal_works(client, library[0])


@pytest.mark.parametrize("how", DAMAGES)
def test_check_index_reports_and_repairs_a_damaged_index(client_as, library, settings, how, capsys):
    _damage(settings, how)
    call_command("check_index")  # no OSError
    out = capsys.readouterr().out
    assert "damaged" in out
    report = upkeep.check()
    assert not report.healthy
    # Every entry counts as missing: callers that read only the lists (the doctor) see it too.
    assert {f"document:{document.pk}" for document in library} <= set(report.missing)
    call_command("check_index", "--repair")
    assert upkeep.check().healthy
    assert total() == 5
    response, html = results_page(client_as("staff"))
    assert response.context["page"].total == 5 and UNAVAILABLE not in html


@pytest.mark.parametrize("how", DAMAGES)
def test_rebuild_index_recovers_a_damaged_index_without_clear(library, settings, how):
    _damage(settings, how)
    call_command("rebuild_index")
    assert total() == 5
    assert upkeep.check().healthy


# --- A rebuild that was killed --------------------------------------------------------------------
@contextmanager
def interrupted_after(batches: int):
    """Stop a rebuild like Ctrl+C (or a kill) after ``batches`` batches."""
    original = SearchEngine.upsert
    calls = {"n": 0}

    def upsert(self, docs):
        calls["n"] += 1
        if calls["n"] > batches:
            raise KeyboardInterrupt
        return original(self, docs)

    SearchEngine.upsert = upsert
    try:
        yield
    finally:
        SearchEngine.upsert = original


def test_a_killed_rebuild_leaves_search_as_it_was_and_check_index_says_so(
    client_as, library, capsys
):
    with interrupted_after(1), pytest.raises(KeyboardInterrupt):
        call_command("rebuild_index", "--clear", "--batch", "2")
    response, _html = results_page(client_as("staff"))
    assert response.context["page"].total == 5  # never silently empty
    call_command("check_index")
    assert "interrupted rebuild" in capsys.readouterr().out
    assert not upkeep.check().healthy

    call_command("rebuild_index", "--batch", "2")  # goes on where it stopped
    assert upkeep.check().healthy
    call_command("check_index")
    assert "interrupted rebuild" not in capsys.readouterr().out


def test_a_killed_rebuild_of_a_lost_index_says_search_is_incomplete(client_as, library, settings):
    shutil.rmtree(settings.SEARCH_INDEX_DIR)
    with interrupted_after(1), pytest.raises(KeyboardInterrupt):
        call_command("rebuild_index", "--clear", "--batch", "2")
    _response, html = results_page(client_as("staff"))
    assert INCOMPLETE in html
    call_command("rebuild_index")
    response, html = results_page(client_as("staff"))
    assert response.context["page"].total == 5 and INCOMPLETE not in html


def test_changes_made_during_a_rebuild_are_not_lost(library, monkeypatch):
    """A record changed (and flushed into the live index) while the rebuild was running is
    written into the rebuilt index before it replaces the live one."""
    original = SearchEngine.upsert
    state = {"done": False}

    def upsert(self, docs):
        written = original(self, docs)
        if not state["done"]:
            state["done"] = True
            document = Document.objects.get(pk=library[0].pk)
            document.title = "ระเบียบการเลือกตั้งกรรมการ"
            document.save()
            indexing.flush()
            DocumentFactory(title="ระเบียบการเลือกตั้งผู้ตรวจสอบกิจการ")
            indexing.flush()
        return written

    monkeypatch.setattr(SearchEngine, "upsert", upsert)
    call_command("rebuild_index", "--clear", "--batch", "10")
    monkeypatch.undo()
    assert total(text="เลือกตั้ง") == 2
    assert upkeep.check().healthy


def test_only_one_rebuild_runs_at_a_time(library):
    from apps.search import upkeep

    with upkeep.rebuilding(), pytest.raises(upkeep.RebuildRunningError):
        upkeep.rebuild()


# --- A full disk ----------------------------------------------------------------------------------
class _FullDisk:
    def __init__(self, budget: int):
        self.left = budget
        self.lock = threading.Lock()

    def charge(self, size: int) -> None:
        with self.lock:
            if size > self.left:
                raise OSError(errno.ENOSPC, "No space left on device")
            self.left -= size


class _Limited:
    def __init__(self, handle, disk: _FullDisk):
        self._handle = handle
        self._disk = disk

    def write(self, data):
        self._disk.charge(len(data))
        return self._handle.write(data)

    def __getattr__(self, name):
        return getattr(self._handle, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._handle.close()


@contextmanager
def disk_full_after(budget: int):
    """Every file Whoosh writes fails with ENOSPC once ``budget`` bytes have been written."""
    disk = _FullDisk(budget)
    real_open = open

    def limited_open(path, mode="r", *args, **kwargs):
        handle = real_open(path, mode, *args, **kwargs)
        return _Limited(handle, disk) if any(flag in mode for flag in "wa+") else handle

    whoosh_filestore.open = limited_open
    try:
        yield
    finally:
        del whoosh_filestore.open


def _leftovers(settings) -> list[str]:
    """Files in the index folder that no table of contents refers to."""
    from whoosh.index import TOC

    folder = Path(settings.SEARCH_INDEX_DIR)
    toc = TOC.read(whoosh_filestore.FileStorage(str(folder)), "MAIN")
    segments = {segment.segment_id() for segment in toc.segments}
    left = []
    for path in folder.iterdir():
        name = path.name
        if path.is_dir():
            if any(path.iterdir()):
                left.append(name + "/")
        elif (name.startswith("_MAIN_") and name != f"_MAIN_{toc.generation}.toc") or (
            name.startswith("MAIN_")
            and name.split(".")[0] not in segments
            and name not in {"MAIN_WRITELOCK", "MAIN_CREATE", "MAIN_REBUILD"}
        ):
            left.append(name)
    return left


@pytest.mark.parametrize("budget", [0, 100, 3_000, 8_000])
def test_a_full_disk_during_an_index_write_loses_nothing_and_leaves_nothing(
    library, settings, budget
):
    with disk_full_after(budget):
        document = DocumentFactory(title="ระเบียบการรับฝากเงินฉบับใหม่", description="ฝากเงิน" * 500)
        assert indexing.flush() == 0  # no error reaches the user
    assert IndexTask.objects.filter(uid=f"document:{document.pk}").exists()
    assert total(text="รับฝากเงิน") == 0

    # Space again: the next write in this very process neither waits for a stale lock nor
    # trips over the half-written files, and takes the queued change.
    assert indexing.flush() >= 1
    assert total(text="รับฝากเงิน") == 1
    assert _leftovers(settings) == []
    assert upkeep.check().healthy


def test_check_index_repair_removes_what_an_interrupted_write_left(library, settings, capsys):
    folder = Path(settings.SEARCH_INDEX_DIR)
    (folder / "MAIN_0123456789abcdef.seg").write_bytes(b"half a segment")
    (folder / "_MAIN_99.toc.1700000000.5").write_bytes(b"half a toc")
    (folder / "MAIN.tmp").mkdir(exist_ok=True)
    (folder / "MAIN.tmp" / "pool.run").write_bytes(b"x" * 100)
    call_command("check_index")
    out = capsys.readouterr().out
    assert "leftover files: 3" in out
    call_command("check_index", "--repair")
    assert _leftovers(settings) == []
    assert total() == 5


def test_the_command_line_says_the_index_is_damaged(library, settings):
    from django.core.management.base import CommandError

    _damage(settings, "zeroed")
    with pytest.raises(CommandError, match="check_index --repair"):
        call_command("search", WORDS, "--json")


def test_an_update_a_full_disk_held_back_is_retried_by_a_later_search(
    client_as, library, monkeypatch
):
    """GIVEN an update whose flush failed, and nothing written since
    WHEN someone searches a while later THEN the queued update is written first."""
    with disk_full_after(0):
        document = DocumentFactory(title="ระเบียบการรับฝากเงินฉบับใหม่")
        indexing.flush()
    assert IndexTask.objects.exists()
    client = client_as("staff")
    assert results_page(client, "รับฝากเงิน")[0].context["page"].total == 0  # not yet: too soon
    an_hour_ago = timezone.now() - dt.timedelta(hours=1)
    IndexTask.objects.update(created_at=an_hour_ago)
    monkeypatch.setattr(indexing, "_next_retry", 0.0)
    page = results_page(client, "รับฝากเงิน")[0].context["page"]
    assert [result.obj for result in page.results] == [document]
    assert not IndexTask.objects.exists()


def test_an_emptied_index_says_it_is_incomplete(client_as, library):
    indexing.get_engine().clear()  # e.g. an old ``rebuild_index --clear`` killed at once
    _response, html = results_page(client_as("staff"))
    assert INCOMPLETE in html
    assert not upkeep.check().healthy
    call_command("check_index", "--repair")
    response, html = results_page(client_as("staff"))
    assert response.context["page"].total == 5 and INCOMPLETE not in html


def test_a_process_that_opens_the_index_removes_what_failed_writes_left(library, settings):
    folder = Path(settings.SEARCH_INDEX_DIR)
    (folder / "MAIN_0123456789abcdef.seg").write_bytes(b"half a segment")
    (folder / "_MAIN_99.toc.1700000000.5").write_bytes(b"half a toc")
    assert total(SearchEngine(folder)) == 5  # a newly started worker
    assert _leftovers(settings) == []


def test_a_full_disk_during_a_rebuild_leaves_the_live_index_and_a_checkpoint(library):
    from django.core.management.base import CommandError

    with disk_full_after(20_000), pytest.raises(CommandError, match="go on"):
        call_command("rebuild_index", "--clear", "--batch", "2")
    assert total() == 5
    call_command("rebuild_index")
    assert upkeep.check().healthy


@pytest.mark.parametrize("how", ["zeroed", "missing"])
def test_the_doctor_sees_a_damaged_index(library, settings, how):
    from apps.ops import health

    _damage(settings, how)
    finding = next(f for f in health.run_checks() if f.key == "index")
    assert finding.status == health.ERROR
    assert "check_index --repair" in finding.detail
