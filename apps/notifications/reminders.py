"""Reminders on a schedule: apps register what falls due; each reminder goes once, ever.

A producer is ``(today) -> iterable of Reminder``. Its ``key`` names the reminder for good
(``"meetings.tomorrow:42:2569-12-07"``): ``SentReminder.key`` is unique, so running the reminders
twice the same day, or in two workers at once, sends nothing new (the second insert fails and its
notices roll back with it).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import IntegrityError, models, transaction
from django.utils import timezone

from apps.accounts.models import User

from .models import SentReminder
from .services import notify

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Reminder:
    key: str
    kind: str
    recipients: tuple[User, ...]
    target: models.Model
    note: str = ""
    # People told as well ("copy to the secretary"), under their own kind.
    copy_kind: str = ""
    copy_to: tuple[User, ...] = field(default_factory=tuple)


Producer = Callable[[dt.date], Iterable[Reminder]]
_PRODUCERS: dict[str, Producer] = {}


def register(name: str, producer: Producer) -> Producer:
    _PRODUCERS[name] = producer
    return producer


def producers() -> dict[str, Producer]:
    return dict(_PRODUCERS)


def send(reminder: Reminder, *, by: User | None = None) -> int | None:
    """Send one reminder unless it has gone before: the number of people told, or None."""
    try:
        with transaction.atomic():
            record = SentReminder.objects.create(key=reminder.key[:200], kind=reminder.kind, by=by)
            told = notify(
                kind=reminder.kind,
                recipients=reminder.recipients,
                target=reminder.target,
                actor=by,
                note=reminder.note,
            )
            if reminder.copy_to:
                told += notify(
                    kind=reminder.copy_kind or reminder.kind,
                    recipients=reminder.copy_to,
                    target=reminder.target,
                    actor=by,
                    note=reminder.note,
                )
            record.recipients = len({notice.recipient_id for notice in told})
            record.save(update_fields=["recipients"])
    except IntegrityError:
        return None  # sent already (by an earlier run or another worker)
    return record.recipients


@dataclass
class RunReport:
    due: int = 0
    sent: int = 0
    already: int = 0
    people: int = 0
    failed: list[str] = field(default_factory=list)


def run(*, today: dt.date | None = None, only: Iterable[str] | None = None) -> RunReport:
    """Send every reminder due ``today`` (Bangkok's date by default) that has not gone yet."""
    today = today or timezone.localdate()
    report = RunReport()
    names = set(only) if only is not None else None
    for name, producer in sorted(_PRODUCERS.items()):
        if names is not None and name not in names:
            continue
        try:
            due = list(producer(today))
        except Exception:  # one app's bug must not stop the others' reminders
            logger.exception("Reminders %s could not be worked out", name)
            report.failed.append(name)
            continue
        for reminder in due:
            report.due += 1
            told = send(reminder)
            if told is None:
                report.already += 1
            else:
                report.sent += 1
                report.people += told
    return report
