"""The search index's periodic job; the flush after each change is ``indexing.flush_index``."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from . import indexing, related


@db_periodic_task(crontab(minute="*"))
def retry_index() -> None:
    """Each minute: apply index updates that have waited over a minute (their job was lost or
    failed for good, the index was busy or the disk full)."""
    indexing.retry_stale(throttle=False)


@db_periodic_task(crontab(minute="*"))
def make_related() -> None:
    """Each minute, a few seconds at most: the related items of new and changed entries, then
    of those whose list is a day old (``related.sweep``)."""
    related.sweep()
