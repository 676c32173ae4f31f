"""The real worker: ``manage.py run_huey`` in its own process works the queue that the portal's
processes fill, on SQLite in the data folder and on Redis (when a server answers on
127.0.0.1:6379; a queue name of its own per test, removed afterwards).

GIVEN a migrated data folder and a worker started on it WHEN another process shelves a text
document (its extraction is enqueued once the upload commits) THEN the worker extracts the text,
the index takes the document, and the worker's heartbeat is recorded; all within a bounded wait.
"""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import textwrap
import time
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
REDIS = "redis://127.0.0.1:6379/7"
WAIT = 60  # seconds: the worker polls SQLite each second at most; extraction takes well under


def redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1) as probe:
            probe.sendall(b"PING\r\n")
            return probe.recv(16).startswith(b"+PONG")
    except OSError:
        return False


@pytest.fixture(params=["sqlite", "redis"])
def instance(request, tmp_path, migrated_data_dir):
    """A migrated data folder and the environment of its processes (dev settings, jobs queued,
    not run at once), with a worker running on it."""
    if request.param == "redis" and not redis_answers():
        pytest.skip("no Redis server on 127.0.0.1:6379")
    data_dir = migrated_data_dir(tmp_path / "data", "kmportal.settings.dev")
    drop = {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "KM_JOBS_IMMEDIATE", "KM_EXTRACTION"}
    env = {key: value for key, value in os.environ.items() if key not in drop | {"REDIS_URL"}}
    queue = f"kmportal-test-{uuid.uuid4().hex[:12]}"
    env.update(
        KM_DATA_DIR=str(data_dir),
        DJANGO_SETTINGS_MODULE="kmportal.settings.dev",
        PYTHONPATH=str(ROOT),
        KM_QUEUE_NAME=queue,
        KM_WORKERS="2",
    )
    if request.param == "redis":
        env["REDIS_URL"] = REDIS
    log = tmp_path / "worker.log"
    with log.open("wb") as out:
        worker = subprocess.Popen(
            [sys.executable, "manage.py", "run_huey"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        yield data_dir, env, log
    finally:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGINT)  # graceful: a running job finishes
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(worker.pid, signal.SIGKILL)
                worker.wait()
        if request.param == "redis":
            import redis

            client = redis.Redis.from_url(REDIS)
            keys = list(client.scan_iter(match=f"*{queue}*"))
            if keys:
                client.delete(*keys)


SHELVE = """
import django
django.setup()
from django.core.files.base import ContentFile
from apps.library import services
document = services.document_create(
    by=None,
    details=services.DocumentDetails(title="บันทึกงานเบื้องหลัง"),
    files=[ContentFile("รายงานการประชุม {word} ครั้งที่ ๑".encode(), name="บันทึก.txt")],
)
print(document.files.get().pk)
"""


def query(data_dir: Path, sql: str, *args):
    with sqlite3.connect(data_dir / "db.sqlite3", timeout=20) as db:
        return db.execute(sql, args).fetchone()


def test_the_worker_extracts_an_upload_and_indexes_it(instance):
    data_dir, env, log = instance
    word = f"worker{uuid.uuid4().hex[:8]}"
    shelved = subprocess.run(  # noqa: S603
        [sys.executable, "-c", textwrap.dedent(SHELVE.format(word=word))],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert shelved.returncode == 0, shelved.stderr
    file_id = int(shelved.stdout.strip().splitlines()[-1])
    # Not done by the process that shelved it: its extraction waited for the worker.
    deadline = time.monotonic() + WAIT
    status = text = None
    while time.monotonic() < deadline:
        status, text = query(
            data_dir, "SELECT text_status, text FROM library_documentfile WHERE id = ?", file_id
        )
        queued = query(data_dir, "SELECT COUNT(*) FROM search_indextask")[0]
        if status == "done" and not queued:
            break
        time.sleep(0.2)
    worker_log = log.read_text(errors="replace")
    assert status == "done", worker_log[-3000:]
    assert word in text
    assert queued == 0, worker_log[-3000:]  # the flush job ran in the worker too
    assert "apps.library.tasks.extract_text" in worker_log
    assert "apps.search.indexing.flush_index" in worker_log
    heartbeat = query(
        data_dir, "SELECT worker FROM ops_schedulerun WHERE name = ?", "apps.ops.tasks.heartbeat"
    )
    assert heartbeat is not None and heartbeat[0]  # written when the worker started
    # And the index answers for the word, read by another process.
    found = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "search", word, "--json"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert found.returncode == 0, found.stderr
    assert '"total": 1' in found.stdout
