"""What meetings tell people (``apps.notifications``), and the reminders they send on schedule.

The services call ``notify`` inside their transactions: the invitation (when a meeting is called
or people are added), a change of date, time or place, the cancellation (these three carry the
meeting as an iCalendar file), the minutes ready for adoption and an action item given to
someone. The daily reminders: action items due in three days, action items late, and tomorrow's
meetings (to invitees who have not said they cannot attend). Whoever may open a notice's meeting
is the meeting's own rule (its searchable, ``km_meeting``), for action items too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.core import searchables
from apps.core.thaidates import format_date_long
from apps.notifications.kinds import Delivery, Kind, register
from apps.notifications.reminders import Reminder
from apps.notifications.reminders import register as register_reminders

from . import calendar
from .models import ActionItem, Answer, Attendance, Meeting, MeetingStatus

GROUP = _("Meetings")
MAX_REMINDERS = 1000  # per producer and day: more than the office ever has


def may_open_meeting(user, meeting: Meeting) -> bool:
    searchable = searchables.get("km_meeting")
    return bool(searchable and searchable.may_open(user, meeting))


def may_open_action(user, action: ActionItem) -> bool:
    return may_open_meeting(user, action.meeting)


def _meeting_title(meeting: Meeting) -> str:
    return str(meeting)


def _action_title(action: ActionItem) -> str:
    return str(action)


register(
    Kind(
        code="meetings.invitation",
        group=GROUP,
        label=_("You are invited to a meeting"),
        sentence=_("%(actor)s invited you to “%(title)s”."),
        default=Delivery.IMMEDIATE,
        title=_meeting_title,
        may_open=may_open_meeting,
        attachments=calendar.invitation_files,
        icon="calendar-plus",
    )
)
register(
    Kind(
        code="meetings.changed",
        group=GROUP,
        label=_("The date, time or place of your meeting changed"),
        sentence=_("%(actor)s changed the date, time or place of “%(title)s”."),
        default=Delivery.IMMEDIATE,
        title=_meeting_title,
        may_open=may_open_meeting,
        attachments=calendar.invitation_files,
        icon="calendar-event",
    )
)
register(
    Kind(
        code="meetings.cancelled",
        group=GROUP,
        label=_("Your meeting was cancelled"),
        sentence=_("%(actor)s cancelled “%(title)s”."),
        default=Delivery.IMMEDIATE,
        title=_meeting_title,
        may_open=may_open_meeting,
        attachments=calendar.invitation_files,
        icon="calendar-x",
    )
)
register(
    Kind(
        code="meetings.minutes_ready",
        group=GROUP,
        label=_("Minutes are ready for adoption"),
        sentence=_(
            "The minutes of “%(title)s” are ready: please read them before they are adopted."
        ),
        default=Delivery.DIGEST,
        title=_meeting_title,
        may_open=may_open_meeting,
        icon="journal-text",
    )
)
register(
    Kind(
        code="meetings.action_assigned",
        group=GROUP,
        label=_("You were given an action item"),
        sentence=_("%(actor)s gave you an action item: “%(title)s”."),
        default=Delivery.IMMEDIATE,
        title=_action_title,
        may_open=may_open_action,
        icon="check2-square",
    )
)
register(
    Kind(
        code="meetings.action_due",
        group=GROUP,
        label=_("An action item of yours is due in 3 days"),
        sentence=_("Your action item “%(title)s” is due in 3 days."),
        default=Delivery.DIGEST,
        title=_action_title,
        may_open=may_open_action,
        icon="hourglass-split",
    )
)
register(
    Kind(
        code="meetings.action_late",
        group=GROUP,
        label=_("An action item of yours is late"),
        sentence=_("Your action item “%(title)s” is past its due date."),
        default=Delivery.DIGEST,
        title=_action_title,
        may_open=may_open_action,
        icon="exclamation-triangle",
    )
)
register(
    Kind(
        code="meetings.tomorrow",
        group=GROUP,
        label=_("You have a meeting tomorrow"),
        sentence=_("Reminder: “%(title)s” is tomorrow."),
        default=Delivery.DIGEST,
        title=_meeting_title,
        may_open=may_open_meeting,
        icon="alarm",
    )
)


# --- Notes (the meeting's when and where, as the notice was sent) --------------------------------
def when_and_where(meeting: Meeting) -> str:
    """``วันพุธที่ 10 ธันวาคม 2569 เวลา 09.30–12.00 น. ณ ห้องประชุม…`` in the portal's language:
    a notice's note keeps what the invitation (or the change) said."""
    from apps.plans.templatetags.plans_tags import meeting_day, thai_time

    with translation.override(settings.LANGUAGE_CODE):
        time = thai_time(meeting.start_time)
        if meeting.end_time:
            time = f"{meeting.start_time:%H.%M}–{thai_time(meeting.end_time)}"
        return gettext("%(day)s, %(time)s, at %(place)s") % {
            "day": meeting_day(meeting.date),
            "time": time,
            "place": meeting.place,
        }


def due_note(action: ActionItem) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return gettext("Due %(date)s") % {"date": format_date_long(action.due_date)}


# --- Reminders -----------------------------------------------------------------------------------
def actions_due(today: dt.date) -> Iterator[Reminder]:
    """Open action items due in three days: one reminder each to the owner."""
    due = today + dt.timedelta(days=3)
    actions = ActionItem.objects.open().filter(due_date=due).select_related("owner", "meeting")
    for action in actions.order_by("pk")[:MAX_REMINDERS]:
        yield Reminder(
            key=f"meetings.action_due:{action.pk}:{action.due_date.isoformat()}",
            kind="meetings.action_due",
            recipients=(action.owner,),
            target=action,
            note=due_note(action),
        )


def actions_late(today: dt.date) -> Iterator[Reminder]:
    """Open action items past their due date: once per due date (a new date re-arms it)."""
    actions = ActionItem.objects.late(today).select_related("owner", "meeting")
    for action in actions.exclude(meeting__status=MeetingStatus.CANCELLED).order_by("pk")[
        :MAX_REMINDERS
    ]:
        yield Reminder(
            key=f"meetings.action_late:{action.pk}:{action.due_date.isoformat()}",
            kind="meetings.action_late",
            recipients=(action.owner,),
            target=action,
            note=due_note(action),
        )


def meetings_tomorrow(today: dt.date) -> Iterator[Reminder]:
    """Tomorrow's meetings still on: to the invitees who have not said they cannot attend."""
    tomorrow = today + dt.timedelta(days=1)
    meetings = list(
        Meeting.objects.filter(date=tomorrow, status=MeetingStatus.SCHEDULED).order_by("pk")[
            :MAX_REMINDERS
        ]
    )
    invited: dict[int, list] = {meeting.pk: [] for meeting in meetings}
    for attendance in (
        Attendance.objects.filter(meeting__in=meetings)
        .exclude(answer=Answer.DECLINE)
        .select_related("person")
        .order_by("order", "pk")
    ):
        invited[attendance.meeting_id].append(attendance.person)
    for meeting in meetings:
        if invited[meeting.pk]:
            yield Reminder(
                key=f"meetings.tomorrow:{meeting.pk}:{meeting.date.isoformat()}",
                kind="meetings.tomorrow",
                recipients=tuple(invited[meeting.pk]),
                target=meeting,
                note=when_and_where(meeting),
            )


register_reminders("meetings.action_due", actions_due)
register_reminders("meetings.action_late", actions_late)
register_reminders("meetings.tomorrow", meetings_tomorrow)
