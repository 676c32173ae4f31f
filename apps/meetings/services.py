"""Writes for meetings: schedule, agenda, attendance, minutes, action items, adoption.

Each function is one transaction and re-checks that the record may still change: a cancelled
meeting or adopted minutes are final. Given the versions the person's page showed
(``expected_version``, or one per row of a formset), each refuses (``StaleEditError``) to
overwrite what someone else saved since.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.concurrency import check_version, lock_for_edit, lock_rows
from apps.core.races import refused_if_taken
from apps.core.text import strip_invisible
from apps.core.thaidates import fiscal_year
from apps.teams.models import Team

from . import selectors
from .forms import MAX_ATTENDANCE
from .models import (
    ActionItem,
    ActionStatus,
    AgendaItem,
    AgendaSection,
    Attendance,
    AttendanceStatus,
    Meeting,
    MeetingStatus,
    Minutes,
    MinutesStatus,
)

Versions = Mapping[int, int | None]


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


def next_number(team_id: int, year: int, *, exclude: int | None = None) -> int:
    meetings = Meeting.objects.filter(team_id=team_id, fiscal_year=year)
    if exclude:
        meetings = meetings.exclude(pk=exclude)
    return (meetings.aggregate(n=Max("number"))["n"] or 0) + 1


def _lock_numbering(team_id: int) -> None:
    """Lock the team's row while a meeting is numbered, so two secretaries scheduling at the
    same moment take turns (locking the year's meetings would not: the first meeting of a year
    has none to lock)."""
    Team.objects.select_for_update().filter(pk=team_id).exists()


def _numbered(meeting: Meeting):
    """Saving a numbered meeting: a number another request took meanwhile (which the lock
    prevents, but the database is the last word) is refused with a message, never a 500."""
    team_id, year, number, pk = meeting.team_id, meeting.fiscal_year, meeting.number, meeting.pk
    return refused_if_taken(
        lambda: (
            Meeting.objects.filter(team_id=team_id, fiscal_year=year, number=number)
            .exclude(pk=pk)
            .exists()
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
    return set(meeting.attendances.values_list("person_id", flat=True))


def _invite(meeting: Meeting, people) -> int:
    """Invite those of ``people`` not invited yet; refused above ``MAX_ATTENDANCE`` in all (the
    attendance page lists every invitation as one row of its form)."""
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
    return len(new)


@transaction.atomic
def meeting_schedule(*, form, by) -> Meeting:
    """Call a meeting: number it within its team and fiscal year, invite the chosen people and
    start the agenda with the adoption of the minutes of the team's most recent meeting that was
    held and whose minutes await adoption (the one the meeting's page offers to adopt)."""
    meeting: Meeting = form.save(commit=False)
    meeting.fiscal_year = fiscal_year(meeting.date)
    _lock_numbering(meeting.team_id)
    meeting.number = next_number(meeting.team_id, meeting.fiscal_year)
    meeting.called_by = by
    meeting.status = MeetingStatus.SCHEDULED
    with _numbered(meeting):
        meeting.save()
    _invite(meeting, form.cleaned_data["invitees"])
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
def meeting_update(*, form, by, expected_version: int | None = None) -> Meeting:
    """Change a meeting's details; a move to another fiscal year gives it that year's number."""
    _open_meeting(form.instance, expected_version=expected_version)
    meeting: Meeting = form.save(commit=False)
    if Minutes.objects.filter(meeting=meeting).exists() and not meeting.has_started():
        raise ValidationError(
            _("This meeting has minutes, so it has taken place: it cannot move into the future."),
            code="has_minutes",
        )
    year = fiscal_year(meeting.date)
    if year != meeting.fiscal_year or "team" in form.changed_data:
        _lock_numbering(meeting.team_id)
        meeting.fiscal_year = year
        meeting.number = next_number(meeting.team_id, year, exclude=meeting.pk)
    with _numbered(meeting):
        meeting.save()
    _invite(meeting, form.cleaned_data["invitees"])
    return meeting


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, by, expected_version: int | None = None) -> Meeting:
    """Call a meeting off (not one that has minutes, nor one changed since the page showed it)."""
    meeting = _open_meeting(meeting, expected_version=expected_version)
    if hasattr(meeting, "minutes"):
        raise ValidationError(
            _("The meeting has minutes, so it took place and cannot be cancelled."),
            code="has_minutes",
        )
    meeting.status = MeetingStatus.CANCELLED
    meeting.save(update_fields=["status", "updated_at"])
    return meeting


@transaction.atomic
def agenda_save(
    *, meeting: Meeting, formset, by, expected_versions: Versions | None = None
) -> list[AgendaItem]:
    """Save the agenda (items added, changed, removed) of a meeting still open; every item the
    page showed must still be at its version in ``expected_versions`` (item pk → version)."""
    _open_meeting(meeting)
    lock_rows(AgendaItem, expected_versions or {})
    items = formset.save(commit=False)
    for item in items:
        item.meeting = meeting
        item.save()
    for item in formset.deleted_objects:
        item.delete()
    return items


@transaction.atomic
def attendance_save(
    *, meeting: Meeting, formset, invite=(), by, expected_versions: Versions | None = None
) -> None:
    """Record who came and who did not (and why), and invite more people; each row the page
    showed must still be at its version in ``expected_versions``."""
    _open_meeting(meeting)
    lock_rows(Attendance, expected_versions or {})
    formset.save()
    _invite(meeting, invite)


@transaction.atomic
def minutes_save(
    *,
    meeting: Meeting,
    form,
    items,
    by,
    expected_version: int | None = None,
    expected_item_versions: Versions | None = None,
) -> Minutes:
    """Write or correct the minutes: the header (times, chair, recorder, checker, guests) and
    what each agenda item discussed and resolved. A meeting with minutes has been held; anyone
    still only "invited" then counts as present. Refused before the meeting has begun.

    ``expected_version`` is the version of the minutes the page showed (0: none written yet),
    ``expected_item_versions`` those of its agenda items; a save based on anything older is
    refused (``StaleEditError``).
    """
    meeting = _open_meeting(meeting)
    if not meeting.has_started():
        raise ValidationError(
            _("Minutes can be written once the meeting has begun."), code="not_started"
        )
    written = Minutes.objects.select_for_update().filter(meeting=meeting).first()
    check_version(written, expected_version=expected_version)
    lock_rows(AgendaItem, expected_item_versions or {})
    minutes: Minutes = form.save(commit=False)
    if minutes.pk is None and Minutes.objects.filter(meeting=meeting).exists():
        # Someone else wrote the meeting's first minutes since this page was opened.
        raise ValidationError(
            _(
                "Someone else has just written the minutes of this meeting. Nothing was saved; "
                "open the minutes again to see them."
            ),
            code="minutes_exist",
        )
    minutes.meeting = meeting
    if minutes.recorder_id is None:
        minutes.recorder = by
    minutes.save()
    items.save()
    if meeting.status != MeetingStatus.HELD:
        meeting.status = MeetingStatus.HELD
        meeting.save(update_fields=["status", "updated_at"])
        meeting.attendances.filter(status=AttendanceStatus.INVITED).update(
            status=AttendanceStatus.PRESENT, lock_version=F("lock_version") + 1
        )
    return minutes


@transaction.atomic
def minutes_adopt(
    *,
    minutes: Minutes,
    at_meeting: Meeting,
    by,
    note: str = "",
    expected_version: int | None = None,
) -> Minutes:
    """Record that a later meeting of the same team adopted these minutes; they are then final.
    Minutes corrected after the ``expected_version`` the page showed are not adopted."""
    minutes = Minutes.objects.select_for_update().select_related("meeting").get(pk=minutes.pk)
    if minutes.is_adopted:
        raise ValidationError(_("These minutes have already been adopted."), code="adopted")
    check_version(minutes, expected_version=expected_version)
    meeting = minutes.meeting
    later = (at_meeting.date, at_meeting.start_time) > (meeting.date, meeting.start_time)
    if at_meeting.team_id != meeting.team_id or not later:
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
def action_save(*, meeting: Meeting, form, by, expected_version: int | None = None) -> ActionItem:
    """Add or change an action item recorded in the minutes (a change must still be at
    ``expected_version``)."""
    _open_meeting(meeting)
    if form.instance.pk is not None:
        lock_for_edit(form.instance, expected_version=expected_version)
    action: ActionItem = form.save(commit=False)
    action.meeting = meeting
    action.save()
    return action


@transaction.atomic
def action_complete(
    *,
    action: ActionItem,
    by,
    done_on: dt.date | None = None,
    note: str = "",
    expected_version: int | None = None,
):
    """The owner (or the secretary) marks an action item done."""
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
def action_reopen(*, action: ActionItem, by, expected_version: int | None = None) -> ActionItem:
    """Open a done action item again (not one changed since the page showed it)."""
    action = ActionItem.objects.select_for_update().get(pk=action.pk)
    check_version(action, expected_version=expected_version)
    action.status = ActionStatus.OPEN
    action.done_on = None
    action.save(update_fields=["status", "done_on", "updated_at"])
    return action
