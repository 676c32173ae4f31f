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
from apps.core.thaidates import fiscal_year

from ..models import (
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


def previous_meeting(meeting: Meeting) -> Meeting | None:
    """The team's meeting before this one (by date), if any."""
    return (
        Meeting.objects.filter(team_id=meeting.team_id, date__lt=meeting.date)
        .exclude(status=MeetingStatus.CANCELLED)
        .exclude(pk=meeting.pk)
        .order_by("-date", "-start_time")
        .first()
    )


def _invite(meeting: Meeting, people) -> int:
    existing = set(meeting.attendances.values_list("person_id", flat=True))
    start = meeting.attendances.count()
    new = [
        Attendance(meeting=meeting, person=person, order=start + index)
        for index, person in enumerate(p for p in people if p.pk not in existing)
    ]
    Attendance.objects.bulk_create(new)
    return len(new)


@transaction.atomic
def meeting_schedule(*, form, by) -> Meeting:
    """Call a meeting: number it within its team and fiscal year, invite the chosen people and
    start the agenda (adopting the minutes of the team's previous meeting, when there is one)."""
    meeting: Meeting = form.save(commit=False)
    meeting.fiscal_year = fiscal_year(meeting.date)
    # Lock the team's meetings of the year while numbering, so two secretaries scheduling at
    # the same moment cannot take the same number.
    list(
        Meeting.objects.select_for_update()
        .filter(team=meeting.team, fiscal_year=meeting.fiscal_year)
        .values_list("pk", flat=True)
    )
    meeting.number = next_number(meeting.team_id, meeting.fiscal_year)
    meeting.called_by = by
    meeting.status = MeetingStatus.SCHEDULED
    meeting.save()
    _invite(meeting, form.cleaned_data["invitees"])
    previous = previous_meeting(meeting)
    if previous is not None:
        AgendaItem.objects.create(
            meeting=meeting,
            section=AgendaSection.PREVIOUS_MINUTES,
            title=_("Adoption of the minutes of meeting no. %(reference)s")
            % {"reference": previous.reference},
        )
    return meeting


@transaction.atomic
def meeting_update(*, form, by, expected_version: int | None = None) -> Meeting:
    """Change a meeting's details; a move to another fiscal year gives it that year's number."""
    _open_meeting(form.instance, expected_version=expected_version)
    meeting: Meeting = form.save(commit=False)
    year = fiscal_year(meeting.date)
    if year != meeting.fiscal_year or "team" in form.changed_data:
        meeting.fiscal_year = year
        meeting.number = next_number(meeting.team_id, year, exclude=meeting.pk)
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
    still only "invited" then counts as present.

    ``expected_version`` is the version of the minutes the page showed (0: none written yet),
    ``expected_item_versions`` those of its agenda items; a save based on anything older is
    refused (``StaleEditError``).
    """
    meeting = _open_meeting(meeting)
    written = Minutes.objects.select_for_update().filter(meeting=meeting).first()
    check_version(written, expected_version=expected_version)
    lock_rows(AgendaItem, expected_item_versions or {})
    minutes: Minutes = form.save(commit=False)
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
    minutes.status = MinutesStatus.ADOPTED
    minutes.adopted_at = at_meeting
    minutes.adopted_by = by
    minutes.adoption_note = note.strip()
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
    action.done_note = note.strip()
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
