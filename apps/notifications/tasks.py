"""Jobs: the e-mails of a change, once it commits (the daily job is in ``schedule``)."""

from __future__ import annotations

from huey.contrib.djhuey import db_task

from . import delivery


@db_task(retries=3, retry_delay=120, context=True)
def send_now(notice_ids: list[int], task=None) -> int:
    """The "at once" e-mails of a change, once it has committed (retried if the mail server
    is down; after the last try the notices are marked failed)."""
    return delivery.send_now(notice_ids, last_try=task is None or not task.retries)
