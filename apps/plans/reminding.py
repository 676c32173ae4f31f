"""Chasing progress reports: who is told, under which key, and who was reminded when.

Each quarter (ไตรมาส) of the fiscal year, the owners of activities not yet reported on for it
are reminded ``KM_PROGRESS_REMINDER_DAYS`` days before the quarter ends ("due") and once more
after it has ended ("missing", during ``KM_PROGRESS_MISSING_DAYS`` days), one notice per
activity; the secretary gets one copy per quarter and phase naming who was reminded. The
secretary (or the head, the CKO) may also remind them from the progress page ("asked"), at most
once a day.

Every reminder's key names its quarter, phase, activity and person (and the day, for the
secretary's), so ``apps.notifications.reminders`` sends each once, and the progress page reads
back who was reminded when from the keys it stored (``SentReminder``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.notifications.models import SentReminder
from apps.notifications.reminders import Reminder
from apps.teams.models import Membership, Role, TeamKind

from . import selectors
from .models import Activity, Plan
from .periods import Period, period_of

DUE, MISSING, ASKED = "due", "missing", "asked"
PHASES = (DUE, MISSING, ASKED)
KIND = {
    DUE: "plans.progress_due",
    MISSING: "plans.progress_missing",
    ASKED: "plans.progress_asked",
}
COPY_KIND = {DUE: "plans.progress_due_copy", MISSING: "plans.progress_missing_copy"}
MAX_NAMES = 40  # in the secretary's copy; the rest are counted
MAX_SHOWN = 200  # reminders listed on the progress page


def reminder_days() -> int:
    return max(0, int(getattr(settings, "KM_PROGRESS_REMINDER_DAYS", 7)))


def missing_days() -> int:
    return max(0, int(getattr(settings, "KM_PROGRESS_MISSING_DAYS", 14)))


def quarter_code(period: Period) -> str:
    """``"1/2570"``: the quarter as the notices name it (the same in Thai and English)."""
    return f"{period.quarter}/{period.fiscal_year}"


def _prefix(period: Period) -> str:
    return f"plans.progress:{period.fiscal_year}-Q{period.quarter}:"


def key(period: Period, phase: str, activity: Activity, person: User, day=None) -> str:
    """``plans.progress:2570-Q1:due:12:5`` (and ``:2026-12-20`` for the secretary's)."""
    base = f"{_prefix(period)}{phase}:{activity.pk}:{person.pk}"
    return f"{base}:{day.isoformat()}" if phase == ASKED else base


def copy_key(period: Period, phase: str) -> str:
    return f"{_prefix(period)}{phase}-copy"


def km_team_people(roles: list[str]) -> list[User]:
    """Who holds one of ``roles`` in the KM team today (active accounts)."""
    ids = (
        Membership.objects.current()
        .filter(team__kind=TeamKind.KM_TEAM, role__in=roles)
        .values("person_id")
    )
    return list(User.objects.filter(pk__in=ids, is_active=True).order_by("pk"))


def secretaries() -> list[User]:
    return km_team_people([Role.SECRETARY])


def missing(plan: Plan, period: Period) -> list[tuple[User, list[Activity]]]:
    """The active owners who have not reported for ``period``, each with those activities."""
    return [
        (owner, activities)
        for owner, activities in selectors.progress_page(plan, period)["missing"]
        if owner.is_active
    ]


def remindable(period: Period, today: dt.date) -> bool:
    """The secretary reminds for today's quarter, and for the one just ended (late reports)."""
    current = period_of(today)
    return period in (current, period_of(current.start - dt.timedelta(days=1)))


def names(people: list[tuple[User, list[Activity]]]) -> str:
    shown = [
        f"{person.get_full_name() or person.username} ({len(activities)})"
        for person, activities in people[:MAX_NAMES]
    ]
    if len(people) > MAX_NAMES:
        shown.append(f"+{len(people) - MAX_NAMES}")
    return ", ".join(shown)


def _phase(period: Period, phase: str) -> Iterator[Reminder]:
    plan = Plan.objects.in_force().filter(fiscal_year=period.fiscal_year).first()
    if plan is None:
        return
    owners = missing(plan, period)
    code = quarter_code(period)
    for owner, activities in owners:
        for activity in activities:
            yield Reminder(
                key=key(period, phase, activity, owner),
                kind=KIND[phase],
                recipients=(owner,),
                target=activity,
                note=code,
            )
    if owners:
        yield Reminder(
            key=copy_key(period, phase),
            kind=COPY_KIND[phase],
            recipients=tuple(secretaries()),
            target=plan,
            note=f"{code}: {names(owners)}",
        )


def scheduled(today: dt.date) -> Iterator[Reminder]:
    """The daily producer: "due" in the last days of today's quarter, "missing" in the first
    days after the previous quarter ended."""
    current = period_of(today)
    if today >= current.end - dt.timedelta(days=reminder_days()):
        yield from _phase(current, DUE)
    previous = period_of(current.start - dt.timedelta(days=1))
    if today <= previous.end + dt.timedelta(days=missing_days()):
        yield from _phase(previous, MISSING)


@dataclass(frozen=True)
class SentRow:
    """One reminder on the progress page."""

    sent_at: dt.datetime
    phase: str
    person: User | None
    activity: Activity | None
    by: User | None
    told: bool

    @property
    def phase_label(self) -> str:
        if self.phase == DUE:
            return _("Before the quarter's end (automatic)")
        if self.phase == MISSING:
            return _("After the quarter's end (automatic)")
        return _("Reminded by %(person)s") % {"person": self.by or "—"}


def _parse(record_key: str) -> tuple[str, int, int] | None:
    parts = record_key.split(":")
    if len(parts) < 5 or parts[2] not in PHASES:
        return None
    try:
        return parts[2], int(parts[3]), int(parts[4])
    except ValueError:
        return None


def sent(plan: Plan, period: Period) -> list[SentRow]:
    """The reminders sent for ``period`` of ``plan``, newest first (at most ``MAX_SHOWN``)."""
    records = list(
        SentReminder.objects.filter(key__startswith=_prefix(period))
        .select_related("by")
        .order_by("-sent_at", "-pk")[: MAX_SHOWN * 2]
    )
    parsed = [(record, _parse(record.key)) for record in records]
    parsed = [(record, found) for record, found in parsed if found is not None][:MAX_SHOWN]
    activities = Activity.objects.filter(
        plan=plan, pk__in={found[1] for _record, found in parsed}
    ).in_bulk()
    people = User.objects.in_bulk({found[2] for _record, found in parsed})
    return [
        SentRow(
            sent_at=record.sent_at,
            phase=phase,
            person=people.get(person_id),
            activity=activities[activity_id],
            by=record.by,
            told=record.recipients > 0,
        )
        for record, (phase, activity_id, person_id) in parsed
        if activity_id in activities
    ]


def reminded_on(period: Period, day: dt.date) -> set[tuple[int, int]]:
    """(activity, person) pairs reminded for ``period`` on ``day`` (Bangkok's date), whichever
    way."""
    start = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    records = SentReminder.objects.filter(
        key__startswith=_prefix(period),
        sent_at__gte=start,
        sent_at__lt=start + dt.timedelta(days=1),
        recipients__gt=0,
    ).values_list("key", flat=True)[:5000]
    return {(found[1], found[2]) for found in map(_parse, records) if found is not None}
