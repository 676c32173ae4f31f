"""Background jobs: the few helpers every app uses with Huey (``huey.contrib.djhuey``).

Each app declares its jobs in its own ``tasks.py`` with ``db_task(retries=..., retry_delay=...)``
and ``db_periodic_task(bangkok_crontab(...))``; a service that must start one calls
:func:`after_commit`, so the job never runs for a change that is rolled back and never reads a
row before it is committed. ``manage.py run_huey`` works the queue (SQLite in ``KM_DATA_DIR``,
or Redis with ``REDIS_URL``); in the tests the jobs run at once, in the caller
(``HUEY["immediate"]``), still only after the commit.

The database stays the record of the work itself (pending extractions, the index's queue); a
job only says "do it now". A lost job (a worker killed mid-job, a queue emptied) is made good
by the periodic sweeps, so the queue never needs to be backed up.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.db import transaction
from huey import crontab

logger = logging.getLogger(__name__)

#: Asia/Bangkok is UTC+7 all year (no daylight saving time).
BANGKOK_UTC_OFFSET = 7


def huey():
    """The project's Huey instance (imported late: it is built from the settings)."""
    from huey.contrib.djhuey import HUEY

    return HUEY


def enqueue_now(task: Callable[..., Any], *args: Any, **kwargs: Any) -> bool:
    """Put ``task(*args, **kwargs)`` on the queue now; False (and a log line) if the queue cannot
    take it, e.g. Redis is down: the caller's work stays recorded in the database and the
    periodic sweeps pick it up."""
    try:
        task(*args, **kwargs)
    except Exception:
        logger.exception("could not enqueue %s", getattr(task, "name", task))
        return False
    return True


def after_commit(task: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
    """Enqueue ``task(*args, **kwargs)`` once the current transaction commits (at once outside
    one); nothing if it rolls back. In immediate mode (tests) the job runs at the commit."""
    transaction.on_commit(lambda: enqueue_now(task, *args, **kwargs))


def bangkok_crontab(hour: int, minute: int = 0) -> Callable:
    """A daily Huey schedule at ``hour:minute`` Bangkok time. Huey runs with ``utc=True``, so
    its crontab reads UTC: 07:00 in Bangkok is 00:00 UTC."""
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        raise ValueError(f"not a time of day: {hour}:{minute}")
    return crontab(minute=str(minute), hour=str((hour - BANGKOK_UTC_OFFSET) % 24))


def summary(args: tuple | list, kwargs: dict | None = None, limit: int = 200) -> str:
    """A short, printable description of a job's arguments (ids, never whole texts)."""
    parts = [repr(value) for value in args or ()]
    parts += [f"{key}={value!r}" for key, value in (kwargs or {}).items()]
    text = ", ".join(parts)
    return text if len(text) <= limit else text[: limit - 1] + "…"
