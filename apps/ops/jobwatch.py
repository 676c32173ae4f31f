"""Recording what the worker does, from Huey's signals (connected in ``OpsConfig.ready``).

- a job starts: a ``RunningJob`` row (not in immediate mode, where the caller runs it);
- a job ends: the row goes; if it raised on its last try, a ``FailedJob`` row stays for the
  administrators (task, arguments, error, retries used);
- a periodic job starts and ends: its ``ScheduleRun`` row (start, end, ok or the error).

The heartbeat is the last run of ``ops.tasks.heartbeat`` (each minute), also written when a
worker starts, so a worker just started counts as alive at once. Everything here is
best-effort: Huey logs a handler that raises and the job itself is not affected.
"""

from __future__ import annotations

import os
import socket
import traceback
from datetime import timedelta

from django.db import close_old_connections
from django.utils import timezone
from huey import signals
from huey.api import PeriodicTask
from huey.contrib.djhuey import HUEY

from apps.core.jobs import summary

from .models import FailedJob, RunningJob, ScheduleRun

HEARTBEAT = "apps.ops.tasks.heartbeat"
#: The heartbeat runs each minute; older than this, the worker is taken as stopped.
HEARTBEAT_STALE = timedelta(minutes=5)
ENDED = {
    signals.SIGNAL_COMPLETE,
    signals.SIGNAL_ERROR,
    signals.SIGNAL_CANCELED,
    signals.SIGNAL_INTERRUPTED,
    signals.SIGNAL_LOCKED,
    signals.SIGNAL_TIMEOUT,
    signals.SIGNAL_RATE_LIMITED,
}
ERROR_CHARS = 4000


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:120]


def task_name(task) -> str:
    return f"{type(task).__module__}.{type(task).__name__}"


def _fresh_connection() -> None:
    # A worker thread may have held its connection for long (PostgreSQL closes idle ones);
    # in immediate mode the caller's connection and transaction must be left alone.
    if not HUEY.immediate:
        close_old_connections()


def _error_text(exc: BaseException | None) -> str:
    if exc is None:
        return ""
    text = "".join(traceback.format_exception_only(type(exc), exc)).strip()
    return text[:ERROR_CHARS]


def on_signal(signal: str, task, exc: BaseException | None = None) -> None:
    if signal != signals.SIGNAL_EXECUTING and signal not in ENDED:
        return
    _fresh_connection()
    now = timezone.now()
    name = task_name(task)
    if isinstance(task, PeriodicTask):
        if signal == signals.SIGNAL_EXECUTING:
            ScheduleRun.objects.update_or_create(
                name=name,
                defaults={
                    "started_at": now,
                    "finished_at": None,
                    "ok": None,
                    "error": "",
                    "worker": worker_name(),
                },
            )
        else:
            ok = signal == signals.SIGNAL_COMPLETE
            ScheduleRun.objects.filter(name=name).update(
                finished_at=now, ok=ok, error=_error_text(exc) or ("" if ok else signal)
            )
        return
    if signal == signals.SIGNAL_EXECUTING:
        if not HUEY.immediate:
            RunningJob.objects.update_or_create(
                task_id=str(task.id),
                defaults={
                    "name": name[:200],
                    "arguments": summary(task.args, task.kwargs),
                    "worker": worker_name(),
                    "started_at": now,
                },
            )
        return
    if not HUEY.immediate:
        RunningJob.objects.filter(task_id=str(task.id)).delete()
    if signal == signals.SIGNAL_ERROR and not task.retries:
        FailedJob.objects.create(
            task_id=str(task.id),
            name=name[:200],
            arguments=summary(task.args, task.kwargs),
            error=_error_text(exc),
            retries_used=type(task).default_retries,
            worker=worker_name(),
            failed_at=now,
        )


def beat() -> None:
    """Record that a worker is alive now (at start, and by the heartbeat job)."""
    _fresh_connection()
    now = timezone.now()
    ScheduleRun.objects.update_or_create(
        name=HEARTBEAT,
        defaults={
            "started_at": now,
            "finished_at": now,
            "ok": True,
            "error": "",
            "worker": worker_name(),
        },
    )


def heartbeat_age() -> timedelta | None:
    """How long ago a worker last gave a sign of life; None if none ever did."""
    last = ScheduleRun.objects.filter(name=HEARTBEAT).values_list("started_at", flat=True).first()
    return None if last is None else max(timezone.now() - last, timedelta(0))


def _beat_at_start() -> None:
    try:
        beat()
    finally:
        close_old_connections()


_connected = False


def connect() -> None:
    """Connect the handlers (once per process)."""
    global _connected
    if not _connected:
        HUEY.signal()(on_signal)
        HUEY.on_startup("km-heartbeat")(_beat_at_start)
        _connected = True
