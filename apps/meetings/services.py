"""Writes for meetings: schedule, agenda, attendance, minutes, action items, adoption.

Every function takes plain data (model instances, dates, strings, the small dataclasses below),
checks the caller's permission itself (the secretary keeps meetings; an action item's owner
marks it done) and runs in one transaction. Each re-checks that the record may still change: a
cancelled meeting or adopted minutes are final (``ValidationError`` with the reason). Given the
versions the person's page showed (``expected_version``, or one per row), each refuses
(``StaleEditError``) to overwrite what someone else saved since. Views, the demo data and
scripts all write through these. A meeting belongs to a team or to another app's record
(``hosts``): numbering, adoption and who keeps the record follow its host.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.core.concurrency import StaleEditError, check_version, lock_for_edit, lock_rows
from apps.core.races import refused_if_taken
from apps.core.text import strip_invisible
from apps.core.thaidates import fiscal_year
from apps.notifications.services import notify
from apps.plans.models import Activity
from apps.teams.models import Team

from . import hosts, rules, selectors
from .data import AgendaRow, AttendanceRow, ItemMinutes, MeetingDetails, MinutesDetails
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
from .notices import due_note, when_and_where

__all__ = ["AgendaRow", "AttendanceRow", "ItemMinutes", "MeetingDetails", "MinutesDetails"]

Versions = Mapping[int, int | None]


# --- Checks --------------------------------------------------------------------------------------
def _require_keeper(by: User, meeting: Meeting) -> None:
    """Refuse (``PermissionDenied``) anyone who does not keep the meeting's record (for a team's
    meeting the secretary, an administrator; for another host whom its kind says). Whether
    *this* meeting may still change is the state check's to say."""
    if not rules.keeps_meeting(by, meeting):
        raise PermissionDenied


def _open_meeting(meeting: Meeting, *, expected_version: int | None = None) -> Meeting:
    """The meeting, re-read and locked; refused when cancelled or its minutes are adopted, or
    (``StaleEditError``) when saved after ``expected_version``."""
    current = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if current.status == MeetingStatus.CANCELLED:
        raise ValidationError(_("This meeting was cancelled."), code="cancelled")
    if Minutes.objects.filter(meeting=current, status=MinutesStatus.ADOPTED).exists():
        raise ValidationError(
            _("The minutes of this meeting have been adopted and can no longer change."),
            code="adopted",
        )
    check_version(current, expected_version=expected_version)
    meeting.lock_version = current.lock_version
    return current


def _check_times(start: dt.time, end: dt.time | None, *, field: str, message: str) -> None:
    if end is not None and end <= start:
        raise ValidationError({field: message}, code="ends_before_it_starts")


def _check_activities(meeting: Meeting, activities: Iterable[Activity | None]) -> None:
    """Agenda and action items point only to activities of the plan of the meeting's year."""
    ids = {activity.pk for activity in activities if activity is not None}
    if not ids:
        return
    year = meeting.fiscal_year or fiscal_year(meeting.date)
    found = set(
        Activity.objects.filter(pk__in=ids, plan__fiscal_year=year).values_list("pk", flat=True)
    )
    if ids - found:
        raise ValidationError(
            {"activity": _("Choose an activity of the plan of the meeting's fiscal year.")},
            code="activity_of_another_year",
        )


# --- Numbering and invitations -------------------------------------------------------------------
def next_number(
    team_id: int | None, year: int, *, exclude: int | None = None, host: dict | None = None
) -> int:
    """The number the next meeting of the fiscal year ``year`` takes: within the team, or
    within another host (``host``: a meeting's ``host_lookup``)."""
    meetings = Meeting.objects.filter(fiscal_year=year, **(host or {"team_id": team_id}))
    if exclude:
        meetings = meetings.exclude(pk=exclude)
    return (meetings.aggregate(n=Max("number"))["n"] or 0) + 1


def _number(meeting: Meeting, *, exclude: int | None = None) -> None:
    """Give the meeting the next number of its host's fiscal year. The host's row is locked
    meanwhile, so two secretaries scheduling at the same moment take turns (locking the year's
    meetings would not: the first meeting of a year has none to lock)."""
    if meeting.host_kind:
        kind = hosts.get(meeting.host_kind)
        kind.model._default_manager.select_for_update().filter(pk=meeting.host_id).exists()
    else:
        Team.objects.select_for_update().filter(pk=meeting.team_id).exists()
    meeting.number = next_number(
        meeting.team_id, meeting.fiscal_year, exclude=exclude, host=meeting.host_lookup
    )


def _numbered(meeting: Meeting):
    """Saving a numbered meeting: a number another request took meanwhile (which the lock
    prevents, but the database is the last word) is refused with a message, never a 500."""
    same, year, number, pk = meeting.host_lookup, meeting.fiscal_year, meeting.number, meeting.pk
    return refused_if_taken(
        lambda: (
            Meeting.objects.filter(fiscal_year=year, number=number, **same).exclude(pk=pk).exists()
        ),
        lambda: ValidationError(
            _(
                "Another meeting of this team was given number %(reference)s at the same "
                "moment. Nothing was saved; please save again."
            )
            % {"reference": f"{number}/{year}"},
            code="number_taken",
        ),
    )


def invited_ids(meeting: Meeting) -> set[int]:
    """The people invited to ``meeting`` (their pks)."""
    return set(meeting.attendances.values_list("person_id", flat=True))


def _invite(meeting: Meeting, people: Iterable[User], *, by: User | None = None) -> int:
    """Invite those of ``people`` not invited yet; refused above ``MAX_ATTENDANCE`` in all (the
    attendance page lists every invitation as one row of its form). The newly invited are told
    (with the meeting as an iCalendar file) while the meeting is still to come."""
    existing = invited_ids(meeting)
    new_people = [p for p in dict.fromkeys(people) if p.pk not in existing]
    if len(existing) + len(new_people) > MAX_ATTENDANCE:
        raise ValidationError(
            _("A meeting can have at most %(limit)s people invited (this would make %(count)s).")
            % {"limit": MAX_ATTENDANCE, "count": len(existing) + len(new_people)},
            code="too_many_invited",
        )
    start = len(existing)
    new = [
        Attendance(meeting=meeting, person=person, order=start + index)
        for index, person in enumerate(new_people)
    ]
    # Another request may have invited one of them a moment ago: that invitation stands.
    Attendance.objects.bulk_create(new, ignore_conflicts=True)
    if new_people and meeting.may_be_answered():
        notify(
            kind="meetings.invitation",
            recipients=new_people,
            target=meeting,
            actor=by,
            note=when_and_where(meeting),
        )
    return len(new)


# What a calendar holds of a meeting: a change of any of these is sent to the invitees.
CALENDAR_FIELDS = ("date", "start_time", "end_time", "place")


def _set_details(meeting: Meeting, details: MeetingDetails) -> None:
    if not meeting.host_kind and details.team is None:
        raise ValidationError({"team": _("Choose the team holding the meeting.")}, code="no_team")
    _check_times(
        details.start_time,
        details.end_time,
        field="end_time",
        message=_("The meeting must end after it starts."),
    )
    if not meeting.host_kind:
        meeting.team = details.team
    meeting.title = strip_invisible(details.title)
    meeting.date = details.date
    meeting.start_time = details.start_time
    meeting.end_time = details.end_time
    meeting.place = strip_invisible(details.place)
    meeting.purpose = strip_invisible(details.purpose)
    meeting.clean_fields(exclude=["fiscal_year", "number", "called_by"])


# --- Meetings ------------------------------------------------------------------------------------
@transaction.atomic
def meeting_schedule(
    *, by: User, details: MeetingDetails, invitees: Iterable[User] = (), host: Any = None
) -> Meeting:
    """Call a meeting of ``details.team`` (or of ``host``, another app's record registered in
    ``hosts``): number it within its host and fiscal year, invite ``invitees`` and start the
    agenda with the adoption of the minutes of the host's most recent meeting that was held and
    whose minutes await adoption (the one the meeting's page offers to adopt)."""
    if not rules.may_schedule(by, host if host is not None else details.team):
        raise PermissionDenied
    meeting = Meeting(called_by=by, status=MeetingStatus.SCHEDULED)
    if host is not None:
        kind = hosts.kind_for(host)
        if kind is None:
            raise ValidationError(_("Meetings cannot be held by this record."), code="no_host")
        meeting.host_kind, meeting.host_id = kind.key, host.pk
    _set_details(meeting, details)
    meeting.fiscal_year = fiscal_year(meeting.date)
    _number(meeting)
    with _numbered(meeting):
        meeting.save()
    _invite(meeting, invitees, by=by)
    awaiting = selectors.minutes_to_adopt(meeting)
    if awaiting:
        AgendaItem.objects.create(
            meeting=meeting,
            section=AgendaSection.PREVIOUS_MINUTES,
            title=_("Adoption of the minutes of meeting no. %(reference)s")
            % {"reference": awaiting[0].meeting.reference},
        )
    return meeting


@transaction.atomic
def meeting_update(
    *,
    meeting: Meeting,
    by: User,
    details: MeetingDetails,
    invitees: Iterable[User] = (),
    expected_version: int | None = None,
) -> Meeting:
    """Change a meeting's details and invite more people (those invited stay invited); a move
    to another fiscal year or team gives it that year's (team's) next number. The host of a
    meeting held by another app's record does not change. A new date, time or place of a
    meeting still to come raises its calendar ``sequence`` and is sent to those invited before
    (the newly invited get the invitation)."""
    _require_keeper(by, meeting)
    current = _open_meeting(meeting, expected_version=expected_version)
    _set_details(meeting, details)
    moved = any(getattr(meeting, name) != getattr(current, name) for name in CALENDAR_FIELDS)
    meeting.sequence = current.sequence + (1 if moved else 0)
    if Minutes.objects.filter(meeting=meeting).exists() and not meeting.has_started():
        raise ValidationError(
            _("This meeting has minutes, so it has taken place: it cannot move into the future."),
            code="has_minutes",
        )
    year = fiscal_year(meeting.date)
    if year != current.fiscal_year or meeting.team_id != current.team_id:
        meeting.fiscal_year = year
        _number(meeting, exclude=meeting.pk)
    with _numbered(meeting):
        meeting.save()
    if moved and meeting.may_be_answered():
        notify(
            kind="meetings.changed",
            recipients=selectors.invitees(meeting),
            target=meeting,
            actor=by,
            note=when_and_where(meeting),
        )
    _invite(meeting, invitees, by=by)
    return meeting


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, by: User, expected_version: int | None = None) -> Meeting:
    """Call a meeting off (not one that has minutes, nor one changed since the page showed it);
    the invitees are told, and their calendars drop it (a higher ``sequence``)."""
    _require_keeper(by, meeting)
    meeting = _open_meeting(meeting, expected_version=expected_version)
    if hasattr(meeting, "minutes"):
        raise ValidationError(
            _("The meeting has minutes, so it took place and cannot be cancelled."),
            code="has_minutes",
        )
    upcoming = meeting.may_be_answered()
    meeting.status = MeetingStatus.CANCELLED
    meeting.sequence += 1
    meeting.save(update_fields=["status", "sequence", "updated_at"])
    if upcoming:
        notify(
            kind="meetings.cancelled",
            recipients=selectors.invitees(meeting),
            target=meeting,
            actor=by,
            note=when_and_where(meeting),
        )
    return meeting


# --- Agenda and attendance -----------------------------------------------------------------------
def _rows_of(model, meeting: Meeting, pks: Iterable[int]) -> dict:
    """The meeting's rows with these pks; a row of another meeting (or gone) is stale."""
    wanted = set(pks)
    rows = model._base_manager.filter(meeting=meeting, pk__in=wanted).in_bulk()
    if wanted - set(rows):
        raise StaleEditError(None)
    return rows


@transaction.atomic
def agenda_save(
    *,
    meeting: Meeting,
    by: User,
    rows: Sequence[AgendaRow],
    expected_versions: Versions | None = None,
) -> list[AgendaItem]:
    """Save the agenda of a meeting still open: add, change and take off items (``rows``: only
    those the page changed). Every item the page showed must still be at its version in
    ``expected_versions`` (item pk → version)."""
    _require_keeper(by, meeting)
    _open_meeting(meeting)
    lock_rows(AgendaItem, expected_versions or {})
    _check_activities(meeting, (row.activity for row in rows if not row.remove))
    existing = _rows_of(AgendaItem, meeting, (row.pk for row in rows if row.pk is not None))
    saved = []
    for row in rows:
        item = existing[row.pk] if row.pk is not None else AgendaItem(meeting=meeting)
        if row.remove:
            if item.pk is not None:
                item.delete()
            continue
        item.section = row.section
        item.order = row.order
        item.title = strip_invisible(row.title)
        item.detail = strip_invisible(row.detail)
        item.km_step = row.km_step
        item.activity = row.activity
        item.clean_fields(exclude=["meeting", "discussion", "resolution"])
        item.save()
        saved.append(item)
    return saved


@transaction.atomic
def attendance_save(
    *,
    meeting: Meeting,
    by: User,
    rows: Sequence[AttendanceRow] = (),
    invite: Iterable[User] = (),
    expected_versions: Versions | None = None,
) -> None:
    """Record who came and who did not (and why), withdraw invitations and invite more people;
    each row the page showed must still be at its version in ``expected_versions``."""
    _require_keeper(by, meeting)
    _open_meeting(meeting)
    lock_rows(Attendance, expected_versions or {})
    existing = _rows_of(Attendance, meeting, (row.pk for row in rows))
    for row in rows:
        attendance = existing[row.pk]
        if row.remove:
            attendance.delete()
            continue
        attendance.meeting_role = strip_invisible(row.meeting_role)
        attendance.status = row.status
        attendance.reason = strip_invisible(row.reason)
        attendance.order = row.order
        attendance.clean_fields(exclude=["meeting", "person"])
        attendance.save()
    _invite(meeting, invite, by=by)


# --- Minutes -------------------------------------------------------------------------------------
@transaction.atomic
def minutes_save(
    *,
    meeting: Meeting,
    by: User,
    details: MinutesDetails,
    items: Sequence[ItemMinutes] = (),
    shown: Minutes | None = None,
    expected_version: int | None = None,
    expected_item_versions: Versions | None = None,
) -> Minutes:
    """Write or correct the minutes: the header (times, chair, recorder, checker, guests) and
    what each agenda item discussed and resolved. A meeting with minutes has been held; anyone
    still only "invited" then counts as present, but one who answered they could not attend as
    absent (with their reason). Refused before the meeting has begun. When first written, the
    invitees are told the minutes await their reading before adoption.

    ``shown`` is the minutes the page showed (None: none were written yet, so minutes written
    meanwhile by someone else are not overwritten); ``expected_version`` their version (0: none
    written yet), ``expected_item_versions`` those of its agenda items; a save based on anything
    older is refused (``StaleEditError``).
    """
    _require_keeper(by, meeting)
    meeting = _open_meeting(meeting)
    if not meeting.has_started():
        raise ValidationError(
            _("Minutes can be written once the meeting has begun."), code="not_started"
        )
    written = Minutes.objects.select_for_update().filter(meeting=meeting).first()
    check_version(written, expected_version=expected_version)
    lock_rows(AgendaItem, expected_item_versions or {})
    if shown is None and written is not None:
        # Someone else wrote the meeting's first minutes since this page was opened.
        raise ValidationError(
            _(
                "Someone else has just written the minutes of this meeting. Nothing was saved; "
                "open the minutes again to see them."
            ),
            code="minutes_exist",
        )
    _check_times(
        details.opened_at,
        details.closed_at,
        field="closed_at",
        message=_("The meeting must close after it opens."),
    )
    minutes = written or Minutes(meeting=meeting)
    minutes.opened_at = details.opened_at
    minutes.closed_at = details.closed_at
    # The chair set in the attendance, unless the minutes' header names another.
    chair = details.chair or getattr(selectors.chair_of(meeting), "person", None)
    minutes.chair = chair
    minutes.recorder = details.recorder or by
    minutes.checker = details.checker
    minutes.guests = strip_invisible(details.guests)
    minutes.clean_fields(exclude=["meeting", "adopted_at", "adopted_by", "status"])
    minutes.save()
    agenda = _rows_of(AgendaItem, meeting, (item.pk for item in items))
    for item in items:
        row = agenda[item.pk]
        row.discussion = strip_invisible(item.discussion)
        row.resolution = strip_invisible(item.resolution)
        row.save(update_fields=["discussion", "resolution"])
    if meeting.status != MeetingStatus.HELD:
        meeting.status = MeetingStatus.HELD
        meeting.save(update_fields=["status", "updated_at"])
        invited = meeting.attendances.filter(status=AttendanceStatus.INVITED)
        declined = invited.filter(answer=Answer.DECLINE)
        declined.filter(reason="").update(
            status=AttendanceStatus.ABSENT,
            reason=F("answer_reason"),
            lock_version=F("lock_version") + 1,
        )
        declined.update(status=AttendanceStatus.ABSENT, lock_version=F("lock_version") + 1)
        invited.update(status=AttendanceStatus.PRESENT, lock_version=F("lock_version") + 1)
    if written is None:
        notify(
            kind="meetings.minutes_ready",
            recipients=selectors.invitees(meeting),
            target=meeting,
            actor=by,
        )
    return minutes


@transaction.atomic
def minutes_adopt(
    *,
    minutes: Minutes,
    at_meeting: Meeting,
    by: User,
    note: str = "",
    expected_version: int | None = None,
) -> Minutes:
    """Record that a later meeting of the same host adopted these minutes; they are then final.
    Minutes corrected after the ``expected_version`` the page showed are not adopted."""
    _require_keeper(by, minutes.meeting)
    minutes = Minutes.objects.select_for_update().select_related("meeting").get(pk=minutes.pk)
    if minutes.is_adopted:
        raise ValidationError(_("These minutes have already been adopted."), code="adopted")
    check_version(minutes, expected_version=expected_version)
    meeting = minutes.meeting
    later = (at_meeting.date, at_meeting.start_time) > (meeting.date, meeting.start_time)
    if at_meeting.host_lookup != meeting.host_lookup or not later:
        raise ValidationError(
            _("Minutes are adopted at a later meeting of the same team."), code="not_later"
        )
    if at_meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError(_("That meeting was cancelled."), code="cancelled")
    if not at_meeting.has_started():
        raise ValidationError(
            _("Minutes are adopted at a meeting that has begun; that one has not yet."),
            code="not_started",
        )
    minutes.status = MinutesStatus.ADOPTED
    minutes.adopted_at = at_meeting
    minutes.adopted_by = by
    minutes.adoption_note = strip_invisible(note)
    minutes.save(
        update_fields=["status", "adopted_at", "adopted_by", "adoption_note", "updated_at"]
    )
    return minutes


# --- Action items --------------------------------------------------------------------------------
@transaction.atomic
def action_save(
    *,
    meeting: Meeting,
    by: User,
    description: str,
    owner: User,
    due_date: dt.date,
    agenda_item: AgendaItem | None = None,
    activity: Activity | None = None,
    action: ActionItem | None = None,
    expected_version: int | None = None,
) -> ActionItem:
    """Add an action item recorded in the minutes, or change ``action`` (which must still be
    at ``expected_version``). It is due on or after the meeting's day, under one of the
    meeting's agenda items if any, for an activity of the meeting's plan if any. Its owner is
    told when the item is new or newly theirs."""
    _require_keeper(by, meeting)
    _open_meeting(meeting)
    owner_before = None
    if action is not None and action.pk is not None:
        current = lock_for_edit(action, expected_version=expected_version)
        if current.meeting_id != meeting.pk:
            raise PermissionDenied
        owner_before = current.owner_id
    if due_date < meeting.date:
        raise ValidationError(
            {"due_date": _("An action item cannot be due before the meeting.")}, code="too_early"
        )
    if agenda_item is not None and agenda_item.meeting_id != meeting.pk:
        raise ValidationError(
            {"agenda_item": _("Choose an item of this meeting's agenda.")}, code="other_agenda"
        )
    _check_activities(meeting, [activity])
    action = action or ActionItem()
    action.meeting = meeting
    action.description = strip_invisible(description)
    action.owner = owner
    action.due_date = due_date
    action.agenda_item = agenda_item
    action.activity = activity
    action.clean_fields(exclude=["meeting", "status", "done_on", "done_note"])
    action.save()
    if owner.pk != owner_before and not action.is_done:
        notify(
            kind="meetings.action_assigned",
            recipients=[owner],
            target=action,
            actor=by,
            note=due_note(action),
        )
    return action


def _require_action(by: User, action: ActionItem) -> None:
    """The owner of the action item, or whoever keeps its meeting."""
    if not by.has_perm("meetings.update_action", action):
        raise PermissionDenied


@transaction.atomic
def action_complete(
    *,
    action: ActionItem,
    by: User,
    done_on: dt.date | None = None,
    note: str = "",
    expected_version: int | None = None,
) -> ActionItem:
    """The owner (or the secretary) marks an action item done, today or on an earlier day."""
    _require_action(by, action)
    if done_on is not None and done_on > timezone.localdate():
        raise ValidationError({"done_on": _("Give today or an earlier day.")}, code="future")
    action = ActionItem.objects.select_for_update().get(pk=action.pk)
    if action.is_done:
        raise ValidationError(_("This action item is already done."), code="done")
    check_version(action, expected_version=expected_version)
    action.status = ActionStatus.DONE
    action.done_on = done_on or timezone.localdate()
    action.done_note = strip_invisible(note)
    action.save(update_fields=["status", "done_on", "done_note", "updated_at"])
    return action


@transaction.atomic
def action_reopen(
    *, action: ActionItem, by: User, expected_version: int | None = None
) -> ActionItem:
    """Open a done action item again (not one changed since the page showed it)."""
    _require_action(by, action)
    action = ActionItem.objects.select_for_update().get(pk=action.pk)
    check_version(action, expected_version=expected_version)
    action.status = ActionStatus.OPEN
    action.done_on = None
    action.save(update_fields=["status", "done_on", "updated_at"])
    return action
