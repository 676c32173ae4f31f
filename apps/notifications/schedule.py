"""The daily job: reminders that fall due, then each person's digest, at KM_REMINDER_HOUR
(Bangkok time). Imported by the app's ``ready``; the worker's scheduler runs it."""

from __future__ import annotations

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from . import delivery, reminders


def utc_hour(bangkok_hour: int) -> int:
    """The queue keeps UTC time; Bangkok is seven hours ahead all year."""
    return (bangkok_hour - 7) % 24


@db_periodic_task(
    crontab(minute="0", hour=str(utc_hour(settings.KM_REMINDER_HOUR))), name="daily_notices"
)
def daily() -> str:
    """Every morning: the reminders that fall due, then each person's digest."""
    report = reminders.run()
    digests = delivery.send_digests()
    return f"reminders {report.sent} sent, {report.already} already sent; digests {digests}"


@db_periodic_task(crontab(minute="*/10"), name="resend_waiting_notices")
def resend_waiting() -> int:
    """E-mails "at once" whose job never ran (the queue was down, a worker was killed): sent
    ten minutes later at most."""
    return delivery.send_waiting()
