"""What learning and development tells people, through the portal's one notification system.

- A mentoring pair is made: the mentor and the mentee hear of it.
- An event's organisers invite people: the invitees hear of it at once.
- The day before an event: everyone with a seat is reminded (``learning.tomorrow``).
- Someone gives up a seat: the first person on the waiting list gets it and hears so at once.
- The organisers call an event off: everyone registered hears of it at once, with the reason.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.utils.translation import gettext_lazy as _

from apps.core.thaidates import format_date_long
from apps.notifications.kinds import Delivery, Kind, register
from apps.notifications.reminders import Reminder
from apps.notifications.reminders import register as register_reminders

from .models import LearningEvent, MentoringPair, Registration, RegStatus

GROUP = _("Learning and development")
MAX_REMINDERS = 200


def _may_open_event(user, event: LearningEvent) -> bool:
    return user.has_perm("learning.view_event", event)


def _may_open_pair(user, pair: MentoringPair) -> bool:
    return user.has_perm("learning.view_pair", pair)


PAIR_CREATED = register(
    Kind(
        code="learning.pair_created",
        group=GROUP,
        label=_("You are in a new mentoring pair"),
        sentence=_("%(actor)s made the mentoring pair “%(title)s”."),
        default=Delivery.DIGEST,
        may_open=_may_open_pair,
        icon="people",
    )
)
INVITED = register(
    Kind(
        code="learning.invited",
        group=GROUP,
        label=_("You are invited to a learning event"),
        sentence=_("%(actor)s invited you to “%(title)s”: %(note)s"),
        default=Delivery.IMMEDIATE,
        may_open=_may_open_event,
        icon="megaphone",
    )
)
SEAT_FREE = register(
    Kind(
        code="learning.seat_free",
        group=GROUP,
        label=_("A seat became free for you at an event"),
        sentence=_(
            "A seat became free at “%(title)s”: you were first on the waiting list and now "
            "have it. %(note)s"
        ),
        default=Delivery.IMMEDIATE,
        may_open=_may_open_event,
        icon="person-check",
    )
)
TOMORROW = register(
    Kind(
        code="learning.tomorrow",
        group=GROUP,
        label=_("A learning event you registered for is tomorrow"),
        sentence=_("“%(title)s” is tomorrow: %(note)s"),
        default=Delivery.IMMEDIATE,
        may_open=_may_open_event,
        icon="alarm",
    )
)


CANCELLED = register(
    Kind(
        code="learning.cancelled",
        group=GROUP,
        label=_("A learning event you registered for is cancelled"),
        sentence=_("%(actor)s cancelled “%(title)s”: %(note)s"),
        default=Delivery.IMMEDIATE,
        may_open=_may_open_event,
        icon="calendar-x",
    )
)


def when_and_where(event: LearningEvent) -> str:
    time = event.start_time.strftime("%H.%M")
    return _("%(date)s at %(time)s, %(place)s") % {
        "date": format_date_long(event.date),
        "time": time,
        "place": event.place,
    }


def events_tomorrow(today: dt.date) -> Iterator[Reminder]:
    """Tomorrow's events: to everyone with a seat."""
    tomorrow = today + dt.timedelta(days=1)
    events = list(
        LearningEvent.objects.going_ahead().filter(date=tomorrow).order_by("pk")[:MAX_REMINDERS]
    )
    seated: dict[int, list] = {event.pk: [] for event in events}
    for registration in (
        Registration.objects.filter(event__in=events, status=RegStatus.CONFIRMED)
        .select_related("person")
        .order_by("queued_at", "pk")
    ):
        seated[registration.event_id].append(registration.person)
    for event in events:
        if seated[event.pk]:
            yield Reminder(
                key=f"learning.tomorrow:{event.pk}:{event.date.isoformat()}",
                kind=TOMORROW.code,
                recipients=tuple(seated[event.pk]),
                target=event,
                note=when_and_where(event),
            )


register_reminders("learning.tomorrow", events_tomorrow)
