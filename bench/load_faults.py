"""The fault scenarios of ``bench/load.py``: kill -9 a gunicorn worker mid-upload or while it
holds the search index's write lock, and kill the whole server during ``import_documents``.

Each runs while the same signed-in people keep working, then applies the documented recovery
and returns what it did and saw; ``bench/load.py`` verifies the acknowledged writes afterwards.
"""

from __future__ import annotations

import os
import random
import re
import signal
import subprocess
import threading
import time
from pathlib import Path

from load_client import Browser, forms_in, pdf_file, slow_post, text_file

BIG_UPLOAD = 8 * 1024 * 1024  # over FILE_UPLOAD_MAX_MEMORY_SIZE, so it is spooled to a temp file


# --- Finding the process to kill -----------------------------------------------------------------
def _hex_port(address: str) -> int:
    return int(address.rsplit(":", 1)[1], 16)


def socket_owner(workers: list[int], server_port: int, client_port: int, wait: float = 15):
    """The worker holding the server's end of the connection from ``client_port``, once a worker
    has accepted it (until then the connection waits in the listen queue with no owner)."""
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        inode = None
        for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
            parts = line.split()
            if _hex_port(parts[1]) == server_port and _hex_port(parts[2]) == client_port:
                inode = parts[9]
        if inode and inode != "0":
            wanted = f"socket:[{inode}]"
            for pid in workers:
                try:
                    for fd in os.listdir(f"/proc/{pid}/fd"):
                        if os.readlink(f"/proc/{pid}/fd/{fd}") == wanted:
                            return pid
                except OSError:
                    continue
        time.sleep(0.005)
    return None


def lock_holder(lock_file: Path) -> int | None:
    """The process holding a flock() on ``lock_file``, from /proc/locks."""
    try:
        inode = lock_file.stat().st_ino
    except OSError:
        return None
    for line in Path("/proc/locks").read_text().splitlines():
        parts = line.split()
        flock = len(parts) > 5 and parts[1] == "FLOCK" and "->" not in parts
        if flock and int(parts[5].rsplit(":", 1)[1]) == inode:
            return int(parts[4])
    return None


def kill(pid: int) -> bool:
    try:
        os.kill(pid, signal.SIGKILL)
        return True
    except ProcessLookupError:
        return False


# --- Scenarios -----------------------------------------------------------------------------------
def upload_kills(instance, browser: Browser, stop_at: float, ledger, token) -> dict:
    """Kill -9 the worker receiving an 8 MB upload: half-way through the body, or 0-0.5 s after
    its last byte (while the worker parses, hashes, stores and commits it)."""
    rng = random.Random(17)  # noqa: S311 - a repeatable benchmark
    done = []
    while time.monotonic() < stop_at - 6:
        page = browser.get("/library/new/", label="fault: upload form")
        form = next(f for f in forms_in(page.text) if "files" in f.names)
        word = token()
        data = text_file(word, BIG_UPLOAD)
        fraction = 0.5 if len(done) % 2 == 0 else 1.0
        seen: dict = {}

        def on_partial(client_port, fraction=fraction, seen=seen):
            pid = socket_owner(instance.workers(), instance.port, client_port)
            if fraction >= 1.0:
                time.sleep(rng.uniform(0, 0.5))
            seen["pid"], seen["killed"] = pid, bool(pid and kill(pid))

        status, location = slow_post(
            instance.port,
            browser,
            "/library/new/",
            form.values({"title": f"เอกสารทดสอบภาระงาน {word}"}),
            [("files", f"ใหญ่-{word}.txt", data, "text/plain")],
            on_partial=on_partial,
            fraction=fraction,
        )
        outcome = "no answer" if status == 0 else f"answered {status}"
        pk = location.rstrip("/").rpartition("/")[2]
        if status == 302 and pk.isdigit():  # finished before the kill: acknowledged
            ledger.ack({"kind": "upload", "pk": int(pk), "token": word, "at": time.time(),
                        "sha256": _sha256(data), "user": "fault"})  # fmt: skip
        done.append({"when": "mid-body" if fraction < 1 else "after body", **seen,
                     "client saw": outcome, "token": word})  # fmt: skip
        time.sleep(1.5)
    return {"kills": done}


def flush_kills(instance, stop_at: float, every: float = 4.0) -> dict:
    """Kill -9 whichever process holds the index's write lock (a flush or an extraction's index
    update in progress: since the background worker, mostly ``run_huey``, which is then started
    again as its service manager would), once every ``every`` seconds while people write."""
    lock_file = instance.data_dir / "index" / "MAIN_WRITELOCK"
    done = []
    while time.monotonic() < stop_at - 3:
        window = time.monotonic() + every
        while time.monotonic() < window:
            pid = lock_holder(lock_file)
            if pid and pid in instance.workers() + instance.jobs_pids():
                done.append({"pid": pid, "killed": kill(pid), "at": round(time.monotonic(), 2)})
                if pid in instance.jobs_pids():
                    instance.jobs.wait()
                    instance.start_jobs()
                break
            time.sleep(0.001)
        time.sleep(max(0.0, window - time.monotonic()))
    return {"kills": done, "lock_file_seen": lock_file.exists()}


def make_import_folder(folder: Path, token, count: int, pdfs: int, max_bytes: int) -> None:
    folder.mkdir(parents=True)
    rng = random.Random(23)  # noqa: S311 - a repeatable benchmark
    for n in range(count):
        word = token()
        if n < pdfs:
            (folder / f"นำเข้า-{n:04d}-{word}.pdf").write_bytes(pdf_file(word))
        else:
            data = text_file(word, rng.randrange(1000, max(1001, max_bytes)))
            (folder / f"นำเข้า-{n:04d}-{word}.txt").write_bytes(data)


def import_kill(instance, folder: Path, kill_after: int, python: str, root: Path) -> dict:
    """Run ``import_documents`` and, once it has gone through ``kill_after`` files, kill -9 it
    and the whole of gunicorn together (the server going down)."""
    command = [python, "manage.py", "import_documents", str(folder), "--as", "admin", "-v", "2"]
    started = time.monotonic()
    process = subprocess.Popen(
        command, cwd=root, env=instance.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    progress = {"done": 0}

    def read_progress():
        buffer = b""
        while chunk := process.stderr.read1(4096):
            buffer = (buffer + chunk)[-200:]
            found = re.findall(rb"\] (\d+)/(\d+)", buffer)
            if found:
                progress["done"] = int(found[-1][0])

    reader = threading.Thread(target=read_progress, daemon=True)
    reader.start()
    deadline = time.monotonic() + 600
    while progress["done"] < kill_after and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    killed_at = progress["done"]
    finished_first = process.poll() is not None
    kill(process.pid)
    os.killpg(instance.server.pid, signal.SIGKILL)
    instance.server.wait()
    process.wait()
    return {
        "files_gone_through_when_killed": killed_at,
        "import_finished_before_kill": finished_first,
        "seconds_before_kill": round(time.monotonic() - started, 1),
    }


def _sha256(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()
