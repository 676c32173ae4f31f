"""What the pages, the demo data and scripts send the services: plain, typed data."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from apps.accounts.models import User
from apps.core.choices import KMStep
from apps.plans.models import Activity

from .models import Access, CommunityStatus


@dataclass(frozen=True)
class CommunityData:
    name: str
    domain: str
    km_step: str = KMStep.SHARE
    description: str = ""
    access: str = Access.OPEN
    activity: Activity | None = None
    status: str = CommunityStatus.ACTIVE


@dataclass(frozen=True)
class SessionData:
    """A session to schedule: the meeting's details, the online link and the BAR."""

    title: str
    date: dt.date
    start_time: dt.time
    place: str
    end_time: dt.time | None = None
    purpose: str = ""
    online_link: str = ""
    km_step: str = ""
    bar_goal: str = ""
    bar_plan: str = ""


@dataclass(frozen=True)
class SessionNotes:
    """What the community writes about a session: BAR, AAR, stories and notes."""

    bar_goal: str = ""
    bar_plan: str = ""
    aar_expected: str = ""
    aar_happened: str = ""
    aar_difference: str = ""
    aar_keep: str = ""
    aar_change: str = ""
    stories: str = ""
    notes: str = ""
    online_link: str = ""


@dataclass(frozen=True)
class AssetData:
    title: str
    context: str
    what_we_did: str = ""
    what_we_learned: str = ""
    tips: str = ""
    km_step: str = KMStep.SHARE
    who_to_ask: Sequence[User] = field(default_factory=tuple)
