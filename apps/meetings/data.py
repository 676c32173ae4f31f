"""What the pages (and the demo data, and scripts) send the services: plain, typed data."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from apps.accounts.models import User
from apps.plans.models import Activity
from apps.teams.models import Team

from .models import AgendaSection, AttendanceStatus


@dataclass(frozen=True)
class MeetingDetails:
    """What a meeting's form says about it. ``team`` is its host, unless another app's record
    is (``host`` of ``meeting_schedule``)."""

    team: Team | None
    title: str
    date: dt.date
    start_time: dt.time
    place: str
    end_time: dt.time | None = None
    purpose: str = ""


@dataclass(frozen=True)
class AgendaRow:
    """One item of an agenda as the page sent it: a new one (``pk`` None), a change, or
    (``remove``) one to take off."""

    title: str = ""
    section: int = AgendaSection.CONSIDERATION
    order: int = 0
    detail: str = ""
    km_step: str = ""
    activity: Activity | None = None
    pk: int | None = None
    remove: bool = False


@dataclass(frozen=True)
class AttendanceRow:
    """One invitation as the attendance page sent it (``remove``: withdraw it)."""

    pk: int
    meeting_role: str = ""
    status: str = AttendanceStatus.INVITED
    reason: str = ""
    order: int = 0
    remove: bool = False


@dataclass(frozen=True)
class MinutesDetails:
    """The header of the minutes; ``recorder`` None means the person saving them."""

    opened_at: dt.time
    closed_at: dt.time | None = None
    chair: User | None = None
    recorder: User | None = None
    checker: User | None = None
    guests: str = ""


@dataclass(frozen=True)
class ItemMinutes:
    """What the minutes record for one agenda item."""

    pk: int
    discussion: str = ""
    resolution: str = ""
