"""Several processes writing at once, and a crash in the middle of a write.

These run real processes against a real SQLite file and index in a temporary data folder
(the test database of the other tests lives in memory, which other processes cannot open)."""

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ENV_DROP = {"DATABASE_URL", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE", "REDIS_URL"}
# Each process flushes its own changes after its commits (jobs run in the process, as with no
# worker): what is tested is several writers of one index at once. The worker's own part is in
# tests/ops/test_worker_process.py.
IN_PROCESS_JOBS = {"KM_JOBS_IMMEDIATE": "1", "KM_EXTRACTION": "inline"}


def run(data_dir: Path, code: str, timeout: int = 180) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ENV_DROP}
    env.update(
        KM_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="kmportal.settings.dev", **IN_PROCESS_JOBS
    )
    script = "import django\ndjango.setup()\n" + textwrap.dedent(code)
    return subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def manage(data_dir: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ENV_DROP}
    env.update(
        KM_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="kmportal.settings.dev", **IN_PROCESS_JOBS
    )
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def data_dir(tmp_path, migrated_data_dir):
    """A data folder as ``manage.py migrate`` leaves it (migrated once, copied per test)."""
    return migrated_data_dir(tmp_path, "kmportal.settings.dev")


WRITER = """
import sys
from apps.library.models import Document
name = sys.argv[1] if len(sys.argv) > 1 else "{name}"
for number in range({count}):
    document = Document.objects.create(title=f"ระเบียบฉบับ {name} ที่ {{number}}")
    if number % 3 == 0:
        document.title += " ปรับปรุง"
        document.save()
print("ok")
"""


def test_several_processes_writing_at_once_lose_nothing(data_dir):
    count = 25
    env = {k: v for k, v in os.environ.items() if k not in ENV_DROP}
    env.update(
        KM_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="kmportal.settings.dev", **IN_PROCESS_JOBS
    )
    writers = [
        subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                "-c",
                "import django\ndjango.setup()\n" + WRITER.format(name=name, count=count),
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ["ก", "ข", "ค"]
    ]
    for writer in writers:
        out, err = writer.communicate(timeout=300)
        assert writer.returncode == 0 and out.strip() == "ok", err
    result = run(
        data_dir,
        """
        import json
        from apps.search.indexing import get_engine
        from apps.search.upkeep import check
        from apps.search.models import IndexTask
        report = check()
        print(json.dumps({"count": get_engine().count(), "healthy": report.healthy,
                          "missing": report.missing, "stale": report.stale,
                          "pending": IndexTask.objects.count()}))
        """,
    )
    assert result.returncode == 0, result.stderr
    state = json.loads(result.stdout.strip().splitlines()[-1])
    assert state == {"count": 3 * count, "healthy": True, "missing": [], "stale": [], "pending": 0}


def test_a_crash_mid_write_is_made_whole_by_check_index(data_dir):
    # A process adds records, starts writing them to the index and dies before committing.
    crashed = run(
        data_dir,
        """
        import os
        from apps.library.models import Document
        from apps.search.indexing import get_engine
        from apps.search.models import IndexTask
        from django.db import transaction
        with transaction.atomic():
            # Keep the on-commit flush from running: the process "dies" first.
            from apps.search import indexing
            indexing.flush = lambda **kwargs: 0
            for number in range(10):
                Document.objects.create(title=f"คู่มือฉบับที่ {number}")
        engine = get_engine()
        writer = engine.open_or_create().writer()
        writer.add_document(uid="document:999", kind="document", pk=999, title="ครึ่งทาง")
        os._exit(1)  # no commit, no clean-up: the lock dies with the process
        """,
    )
    assert crashed.returncode == 1
    before = manage(data_dir, "check_index")
    assert "missing: 10" in before.stdout and "queued updates: 10" in before.stdout
    repaired = manage(data_dir, "check_index", "--repair")
    assert repaired.returncode == 0, repaired.stderr
    after = manage(data_dir, "check_index")
    assert "missing: 0" in after.stdout and "queued updates: 0" in after.stdout
    assert "in step" in after.stdout
    found = manage(data_dir, "search", "คู่มือฉบับที่", "--json", "--limit", "20")
    assert json.loads(found.stdout)["total"] == 10


def _admin_total(engine, text: str) -> int:
    from apps.search.engine import SearchRequest, Viewer

    request = SearchRequest(viewer=Viewer(is_admin=True), text=text, page_size=1, facets=False)
    return engine.search(request).total


def test_a_killed_rebuild_never_leaves_search_empty_and_workers_see_the_new_index(data_dir):
    import signal
    import time

    from apps.search.engine import SearchEngine

    made = run(
        data_dir,
        """
        from apps.library.models import Document
        from apps.search import indexing
        with indexing.deferred():
            for number in range(400):
                Document.objects.create(title=f"คู่มือฉบับที่ {number}")
        print("ok")
        """,
    )
    assert made.returncode == 0, made.stderr
    worker = SearchEngine(data_dir / "index")  # a web worker's engine, open throughout
    assert _admin_total(worker, "คู่มือฉบับที่") == 400

    env = {k: v for k, v in os.environ.items() if k not in ENV_DROP}
    env.update(
        KM_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="kmportal.settings.dev", **IN_PROCESS_JOBS
    )
    rebuilding = subprocess.Popen(
        [sys.executable, "manage.py", "rebuild_index", "--clear", "--batch", "5"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    checkpoint = data_dir / "index" / "rebuild" / "checkpoint.json"
    deadline = time.monotonic() + 120
    while not checkpoint.exists() and rebuilding.poll() is None:
        assert time.monotonic() < deadline
        time.sleep(0.02)
    rebuilding.send_signal(signal.SIGKILL)
    rebuilding.wait(timeout=60)
    assert rebuilding.returncode == -signal.SIGKILL, "the rebuild finished before it was killed"

    assert _admin_total(worker, "คู่มือฉบับที่") == 400  # the live index is as it was
    found = manage(data_dir, "search", "คู่มือฉบับที่", "--json", "--limit", "5")
    assert json.loads(found.stdout)["total"] == 400
    report = manage(data_dir, "check_index")
    assert "interrupted rebuild" in report.stdout

    renamed = run(
        data_dir,
        """
        from apps.library.models import Document
        Document.objects.filter(title="คู่มือฉบับที่ 7").update(title="ระเบียบการเลือกตั้ง")
        print("ok")
        """,
    )
    assert renamed.returncode == 0, renamed.stderr
    finished = manage(data_dir, "rebuild_index")
    assert finished.returncode == 0, finished.stderr
    assert _admin_total(worker, "เลือกตั้ง") == 1  # the worker took the new index by itself
    assert _admin_total(worker, "คู่มือฉบับที่") == 399
    after = manage(data_dir, "check_index")
    assert "in step" in after.stdout and "interrupted" not in after.stdout
