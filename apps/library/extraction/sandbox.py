"""Run an extraction in a child process with a time limit and a memory limit.

``extract_in_child`` never raises for a bad file: a PDF bomb, a zip bomb, a decompression-bomb
image, a self-referencing PDF or a file lying about its type all come back as ``ok=False`` with
a short reason, and the calling process is untouched (the child's memory is its own, its whole
process group is killed when the time is up).
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from apps.core.filetypes import RASTER, sniff, type_mismatch

__all__ = ["OcrOutcome", "Outcome", "extract_in_child", "ocr_in_child"]

PROJECT_ROOT = Path(__file__).resolve().parents[3]
MAX_OUTPUT_BYTES = 96 * 1024 * 1024  # 5 M characters of Thai as JSON, and a thumbnail
MEMORY_EXIT = 3  # worker.MEMORY_EXIT, without importing the worker here


@dataclass
class Outcome:
    """What became of one extraction. ``reason`` is empty when ``ok``."""

    ok: bool
    text: str = ""
    pages: int | None = None
    mime: str = ""
    reason: str = ""
    seconds: float = 0.0
    thumbnail: bytes | None = None  # PNG, at most 320 px on its long side
    warnings: list[str] = field(default_factory=list)
    peak_memory: int = 0  # the child's peak resident memory in bytes (0 if no child ran)
    blank_pages: list[int] = field(default_factory=list)  # PDF pages without a text layer


def extract_in_child(
    path: Path,
    *,
    timeout: float = 60,
    memory_bytes: int = 1 << 30,
    name: str | None = None,
) -> Outcome:
    """Extract the text (and a thumbnail where cheap) of ``path`` in a limited child process.

    ``name`` is the name the file was uploaded as (default: the path's name): when its extension
    promises another type than the content has, nothing is parsed and the reason says so.
    Raster images give an empty text and a thumbnail.
    """
    started = time.monotonic()
    path = Path(path).resolve()
    kind = sniff(path)
    mismatch = type_mismatch(name or path.name, kind)
    if mismatch:
        return Outcome(ok=False, mime=kind.mime, reason=mismatch, seconds=_since(started))
    if not kind.extractable and kind.mime not in RASTER:
        reason = f"unsupported type {kind.mime}"
        return Outcome(ok=False, mime=kind.mime, reason=reason, seconds=_since(started))

    run = _run_worker(path, timeout=timeout, memory_bytes=memory_bytes)
    outcome = _outcome(run, timeout=timeout)
    outcome.mime = outcome.mime or kind.mime
    outcome.seconds = _since(started)
    return outcome


@dataclass
class _Run:
    stdout: bytes
    stderr: bytes
    returncode: int
    timed_out: bool
    peak_memory: int


@dataclass
class OcrOutcome:
    """What became of the OCR of one page. ``reason`` is empty when ``ok``."""

    ok: bool
    text: str = ""
    confidence: float | None = None
    words: int = 0
    angle: float = 0.0
    reason: str = ""
    seconds: float = 0.0
    peak_memory: int = 0


def ocr_in_child(
    path: Path,
    page: int,
    *,
    command: str,
    timeout: float = 120,
    memory_bytes: int = 1 << 30,
    psm: int = 3,
) -> OcrOutcome:
    """OCR page ``page`` (1-based) of ``path`` with the Tesseract at ``command``, in a child
    process with a time and a memory limit (``extraction.ocr``); never raises for a bad file."""
    started = time.monotonic()
    run = _run_worker(
        Path(path).resolve(),
        timeout=timeout,
        memory_bytes=memory_bytes,
        module="apps.library.extraction.ocr",
        before=[str(int(page))],
        after=[command, str(int(psm))],
    )
    result = None
    for line in run.stdout.splitlines():
        try:
            message = json.loads(line)
        except ValueError:
            continue
        if isinstance(message, dict) and "ok" in message:
            result = message
            break
    if result is None or (run.timed_out and not result.get("ok")):
        return OcrOutcome(
            ok=False,
            reason=_failure_reason(run, timeout=timeout),
            seconds=_since(started),
            peak_memory=run.peak_memory,
        )
    return OcrOutcome(
        ok=bool(result.get("ok")),
        text=result.get("text") or "",
        confidence=result.get("confidence"),
        words=int(result.get("words") or 0),
        angle=float(result.get("angle") or 0.0),
        reason=result.get("reason") or "",
        seconds=_since(started),
        peak_memory=run.peak_memory,
    )


def _run_worker(
    path: Path,
    *,
    timeout: float,
    memory_bytes: int,
    module: str = "apps.library.extraction.worker",
    before: list[str] | None = None,
    after: list[str] | None = None,
) -> _Run:
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(PROJECT_ROOT), env.get("PYTHONPATH")]))
    env["PYTHONIOENCODING"] = "utf-8"
    command = [
        sys.executable,
        "-m",
        module,
        str(path),
        *(before or []),
        str(int(memory_bytes)),
        str(int(timeout) + 5),
        *(after or []),
    ]
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and module, no shell
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=PROJECT_ROOT,
        env=env,
        start_new_session=True,  # its own process group, killed whole on time-out
        close_fds=True,
    )
    out: list[bytes] = []
    err: list[bytes] = []
    readers = [
        threading.Thread(target=_drain, args=(process.stdout, out), daemon=True),
        threading.Thread(target=_drain, args=(process.stderr, err), daemon=True),
    ]
    for reader in readers:
        reader.start()

    # wait4 rather than Popen.wait: it also gives the child's own peak memory.
    deadline = time.monotonic() + timeout
    timed_out = False
    pause = 0.005
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() >= deadline:
            timed_out = True
            _kill_group(process.pid)
            _, status, usage = os.wait4(process.pid, 0)
            break
        time.sleep(pause)
        pause = min(pause * 1.5, 0.05)
    process.returncode = os.waitstatus_to_exitcode(status)
    _kill_group(process.pid)  # anything the child left behind in its group
    for reader in readers:
        reader.join(timeout=5)
    return _Run(
        stdout=b"".join(out),
        stderr=b"".join(err)[-4000:],
        returncode=process.returncode,
        timed_out=timed_out,
        peak_memory=usage.ru_maxrss * 1024,
    )


def _drain(stream, sink: list[bytes]) -> None:
    size = 0
    with stream:
        while chunk := stream.read(65536):
            if size < MAX_OUTPUT_BYTES:
                sink.append(chunk)
                size += len(chunk)


def _kill_group(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)


def _outcome(run: _Run, *, timeout: float) -> Outcome:
    result: dict | None = None
    thumbnail = None
    for line in run.stdout.splitlines():
        try:
            message = json.loads(line)
        except ValueError:
            continue
        if result is None and "ok" in message:
            result = message
        elif "thumbnail" in message:
            try:
                thumbnail = base64.b64decode(message["thumbnail"], validate=True)
            except ValueError:
                thumbnail = None
    common = {"peak_memory": run.peak_memory}
    if result is not None and not (run.timed_out and not result.get("ok")):
        return Outcome(
            ok=bool(result.get("ok")),
            text=result.get("text") or "",
            pages=result.get("pages"),
            mime=result.get("mime") or "",
            reason=result.get("reason") or "",
            thumbnail=thumbnail if result.get("ok") else None,
            warnings=list(result.get("warnings") or []),
            blank_pages=[int(n) for n in result.get("blank_pages") or []],
            **common,
        )
    return Outcome(ok=False, reason=_failure_reason(run, timeout=timeout), **common)


def _failure_reason(run: _Run, *, timeout: float) -> str:
    """Why a child gave no result: time, memory, or a crash."""
    stderr = run.stderr.decode("utf-8", "replace")
    code = run.returncode
    if run.timed_out or code == -signal.SIGXCPU:
        return f"timed out after {timeout:g} s"
    memory_words = ("MemoryError", "bad_alloc", "Cannot allocate memory", "out of memory")
    if code == MEMORY_EXIT or any(word in stderr for word in memory_words):
        return "memory limit exceeded"
    if code == -signal.SIGKILL:  # killed by the kernel's OOM killer
        return "memory limit exceeded"
    if code < 0:
        try:
            return f"extractor crashed: signal {signal.Signals(-code).name}"
        except ValueError:
            return f"extractor crashed: signal {-code}"
    last = stderr.strip().splitlines()[-1][:160] if stderr.strip() else ""
    return f"extractor crashed: exit code {code}" + (f" ({last})" if last else "")


def _since(started: float) -> float:
    return round(time.monotonic() - started, 3)
