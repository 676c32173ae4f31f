"""Reads of meetings, and what meetings add to the plan's pages and a person's pages (registered
with ``apps.plans.extensions``). Each runs a fixed number of queries, whatever the number of
rows."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from apps.plans.extensions import HomeEntry
from apps.plans.models import Activity

from .models import (
    MAX_ATTENDANCE,
    ActionItem,
    ActionStatus,
    AgendaItem,
    AgendaSection,
    Answer,
    Attendance,
    AttendanceStatus,
    Meeting,
    MeetingStatus,
    Minutes,
    MinutesStatus,
)
from .rules import reads_meetings

HOME_ENTRY = "meetings/includes/home_entry.html"


# --- Meetings ------------------------------------------------------------------------------------
def meetings_list(user) -> QuerySet[Meeting]:
    """The meetings ``user`` may open, newest first, with what the list shows."""
    return (
        Meeting.objects.visible_to(user)
        .select_related("team", "minutes")
        .prefetch_related("attendances")
        .order_by("-date", "-start_time", "-pk")
    )


def meeting_page(meeting: Meeting, user) -> dict[str, Any]:
    """A meeting with its agenda by section, attendance, minutes and action items."""
    attendances = list(meeting.attendances.select_related("person", "person__unit"))
    items = list(meeting.agenda_items.select_related("activity"))
    actions = list(meeting.action_items.select_related("owner", "activity", "agenda_item"))
    actions_by_item: dict[int | None, list[ActionItem]] = defaultdict(list)
    for action in actions:
        actions_by_item[action.agenda_item_id].append(action)
    for item in items:
        item.actions = actions_by_item.get(item.pk, [])
    minutes = (
        Minutes.objects.filter(meeting=meeting)
        .select_related("chair", "recorder", "checker", "adopted_at", "adopted_by")
        .first()
    )
    return {
        "attendances": attendances,
        # The viewer's own invitation (to answer it), and how the invitees answered.
        "my_invitation": next((a for a in attendances if a.person_id == user.pk), None),
        "answers": answer_counts(attendances),
        "present": [a for a in attendances if a.status == AttendanceStatus.PRESENT],
        "absent": [a for a in attendances if a.status == AttendanceStatus.ABSENT],
        "sections": agenda_sections(items),
        "items": items,
        "actions": actions,
        "loose_actions": actions_by_item.get(None, []),
        "minutes": minutes,
        "adopted_here": list(meeting.adopted_minutes.select_related("meeting")),
        "to_adopt": minutes_to_adopt(meeting),
        # Minutes are written, and earlier ones adopted, only once the meeting has begun.
        "started": meeting.has_started(),
        "today": timezone.localdate(),
    }


# The role (in the attendance) of the person who chairs the meeting; "chair" as typed in English.
CHAIR_ROLE = "ประธาน"
CHAIR_ROLES = (CHAIR_ROLE, "ประธานการประชุม", "ประธานในที่ประชุม", "chair", "chairperson")


def is_chair_role(role: str) -> bool:
    return " ".join(role.split()).lower() in CHAIR_ROLES


def chair_of(meeting: Meeting, attendances: list[Attendance] | None = None) -> Attendance | None:
    """The invitee the attendance names as the meeting's chair (ประธาน), if any: the chair the
    minutes carry."""
    rows = attendances if attendances is not None else meeting.attendances.all()
    return next((a for a in rows if is_chair_role(a.meeting_role)), None)


def answer_counts(attendances: list[Attendance]) -> dict[str, int]:
    """How many will attend, cannot attend, have not answered."""
    counts = {answer.value or "none": 0 for answer in Answer}
    for attendance in attendances:
        counts[attendance.answer or "none"] += 1
    return counts


def invitees(meeting: Meeting, *, declined: bool = True) -> list:
    """The people invited to ``meeting``, in the attendance list's order (``declined=False``:
    not those who answered they cannot attend)."""
    attendances = meeting.attendances.select_related("person").order_by("order", "pk")
    if not declined:
        attendances = attendances.exclude(answer=Answer.DECLINE)
    return [attendance.person for attendance in attendances[:MAX_ATTENDANCE]]


def minutes_to_adopt(meeting: Meeting) -> list[Minutes]:
    """Minutes of the host's earlier meetings, held and not yet adopted, most recent first: what
    this meeting may adopt. The newest is the one its agenda proposes (``meeting_schedule``)."""
    return list(
        Minutes.objects.filter(
            meeting__in=Meeting.objects.held_by(meeting).before(meeting),
            status=MinutesStatus.DRAFT,
        )
        .select_related("meeting")
        .order_by("-meeting__date", "-meeting__start_time", "-pk")
    )


def agenda_sections(items: list[AgendaItem]) -> list[dict[str, Any]]:
    """The five sections in order, each with its items (an empty section still shows, as the
    official form lists all five)."""
    by_section: dict[int, list[AgendaItem]] = defaultdict(list)
    for item in items:
        by_section[item.section].append(item)
    return [
        {
            "number": section.value,
            "label": section.label,
            "items": by_section.get(section.value, []),
        }
        for section in AgendaSection
    ]


# --- What meetings add to the plan's pages (``apps.plans.extensions``) ---------------------------
def home_entries(user, today: dt.date) -> list[HomeEntry]:
    """The person's coming invitations and open action items, for the home page."""
    invitations = (
        Attendance.objects.filter(person=user, meeting__status=MeetingStatus.SCHEDULED)
        .filter(meeting__date__gte=today)
        .select_related("meeting", "meeting__team")
        .order_by("meeting__date", "meeting__start_time")[:5]
    )
    entries = [HomeEntry("meeting", a.meeting, template=HOME_ENTRY) for a in invitations]
    actions = (
        ActionItem.objects.open().filter(owner=user).select_related("meeting").order_by("due_date")
    )[:5]
    entries += [HomeEntry("action", a, late=a.is_late(today), template=HOME_ENTRY) for a in actions]
    return entries


def person_part(viewer, person, today: dt.date) -> dict[str, Any] | None:
    """A person's action items (open ones, and those done this month), late ones first. They
    come from minutes, so only those who may read every meeting (and the person themself) see
    them; None when there are none to show."""
    if viewer.pk != person.pk and not reads_meetings(viewer):
        return None
    actions = list(
        ActionItem.objects.filter(owner=person)
        .filter(Q(status=ActionStatus.OPEN) | Q(done_on__gte=today.replace(day=1)))
        .select_related("meeting", "activity", "owner")
        .order_by("status", "due_date")[:30]
    )
    if not actions:
        return None
    late = [a for a in actions if a.is_late(today)]
    return {"actions": late + [a for a in actions if a not in late], "late_count": len(late)}


def activity_part(activity: Activity, user) -> dict[str, Any]:
    """The action items and agenda items about an activity. They are parts of minutes: only
    those of meetings the viewer may open show (and so link) there."""
    visible = Meeting.objects.visible_to(user)
    actions = list(
        ActionItem.objects.filter(activity=activity, meeting__in=visible)
        .select_related("owner", "meeting")
        .order_by("status", "due_date")
    )
    agenda = list(
        AgendaItem.objects.filter(activity=activity, meeting__in=visible)
        .select_related("meeting")
        .order_by("-meeting__date")
    )
    return {"actions": actions, "agenda": agenda}


def mark_activities(activities: list[Activity]) -> None:
    """Give each activity of the action plan its open action items (``open_actions``), in one
    query for all of them."""
    by_activity: dict[int, list[ActionItem]] = defaultdict(list)
    ids = [activity.pk for activity in activities]
    for action in ActionItem.objects.open().filter(activity_id__in=ids):
        by_activity[action.activity_id].append(action)
    for activity in activities:
        activity.open_actions = by_activity.get(activity.pk, [])


def step_meetings(user, year: int) -> dict[str, list[Meeting]]:
    """step → the meetings of the fiscal year whose agenda took it up (not cancelled, only
    those ``user`` may open), in date order."""
    agenda = (
        AgendaItem.objects.filter(
            meeting__in=Meeting.objects.visible_to(user).filter(fiscal_year=year)
        )
        .exclude(km_step="")
        .exclude(meeting__status=MeetingStatus.CANCELLED)
        .select_related("meeting")
        .order_by("meeting__date", "pk")
    )
    meetings: dict[str, dict[int, Meeting]] = defaultdict(dict)
    for item in agenda:
        meetings[item.km_step].setdefault(item.meeting_id, item.meeting)
    return {step: list(by_pk.values()) for step, by_pk in meetings.items()}
