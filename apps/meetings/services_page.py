"""Writes of the secretary's one meeting page: each is one small step (add, move or take off an
agenda item; tick who came; set the chair; write one item's minutes), sent on its own.

Like ``services``, every function takes plain data, checks that ``by`` keeps the meeting's
record and that the meeting may still change (not cancelled, minutes not adopted), and runs in
one transaction. A step on a row is given the version the page showed (``expected_version``)
and refused (``StaleEditError``) when someone saved the row since. Moving an item renumbers its
neighbours' order without raising their versions: their content did not change, so a text being
written on them meanwhile is not refused.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.core.concurrency import lock_for_edit
from apps.core.text import strip_invisible

from . import services
from .data import ItemMinutes, MinutesDetails
from .models import (
    MAX_AGENDA_ITEMS,
    AgendaItem,
    AgendaSection,
    Answer,
    Attendance,
    AttendanceStatus,
    Meeting,
    Minutes,
    MinutesStatus,
)
from .selectors import CHAIR_ROLE, chair_of


def _open(meeting: Meeting, by: User) -> Meeting:
    services._require_keeper(by, meeting)
    return services._open_meeting(meeting)


def _own_row(row, meeting: Meeting) -> None:
    if row.meeting_id != meeting.pk:
        raise PermissionDenied


# --- Agenda --------------------------------------------------------------------------------------
@transaction.atomic
def agenda_add(
    *, meeting: Meeting, by: User, title: str, section: int = AgendaSection.CONSIDERATION
) -> AgendaItem:
    """Add an item at the end of its section of the agenda."""
    meeting = _open(meeting, by)
    if meeting.agenda_items.count() >= MAX_AGENDA_ITEMS:
        raise ValidationError(
            _("An agenda can have at most %(limit)s items.") % {"limit": MAX_AGENDA_ITEMS},
            code="too_many_items",
        )
    last = meeting.agenda_items.filter(section=section).aggregate(n=Max("order"))["n"]
    item = AgendaItem(
        meeting=meeting,
        section=section,
        order=0 if last is None else last + 1,
        title=" ".join(strip_invisible(title).split()),
    )
    item.clean_fields(exclude=["meeting"])
    item.save()
    return item


@transaction.atomic
def agenda_move(
    *,
    item: AgendaItem,
    by: User,
    section: int,
    index: int,
    expected_version: int | None = None,
) -> AgendaItem:
    """Put ``item`` at position ``index`` (from 0) of ``section``: dragged there, or moved one
    place up or down. The items of both sections are numbered again in their new order."""
    meeting = _open(item.meeting, by)
    current = lock_for_edit(item, expected_version=expected_version)
    _own_row(current, meeting)
    if section not in AgendaSection.values:
        raise ValidationError(_("Choose a section of the agenda."), code="bad_section")
    others = list(
        meeting.agenda_items.filter(section=section)
        .exclude(pk=current.pk)
        .order_by("order", "pk")
        .values_list("pk", flat=True)
    )
    index = max(0, min(index, len(others)))
    others.insert(index, current.pk)
    for order, pk in enumerate(others):
        if pk != current.pk:
            AgendaItem.objects.filter(pk=pk).exclude(order=order).update(order=order)
    old_section = current.section
    current.section, current.order = section, index
    current.save(update_fields=["section", "order"])
    if old_section != section:
        left = meeting.agenda_items.filter(section=old_section).order_by("order", "pk")
        for order, pk in enumerate(left.values_list("pk", flat=True)):
            AgendaItem.objects.filter(pk=pk).exclude(order=order).update(order=order)
    return current


@transaction.atomic
def agenda_remove(*, item: AgendaItem, by: User, expected_version: int | None = None) -> None:
    """Take an item off the agenda (its action items stay, under "other action items")."""
    meeting = _open(item.meeting, by)
    current = lock_for_edit(item, expected_version=expected_version)
    _own_row(current, meeting)
    current.delete()


@transaction.atomic
def item_minutes_save(
    *,
    item: AgendaItem,
    by: User,
    discussion: str,
    resolution: str,
    expected_version: int | None = None,
) -> AgendaItem:
    """Write what the meeting discussed and resolved on one agenda item. The first item written
    starts the minutes (opened at the meeting's start, the chair set in the attendance), as
    ``services.minutes_save`` does: only once the meeting has begun."""
    meeting = _open(item.meeting, by)
    if not Minutes.objects.filter(meeting=meeting).exists():
        services.minutes_save(
            meeting=meeting,
            by=by,
            details=MinutesDetails(opened_at=meeting.start_time, recorder=by),
            items=[ItemMinutes(pk=item.pk, discussion=discussion, resolution=resolution)],
            shown=None,
            expected_version=0,
            expected_item_versions={item.pk: expected_version},
        )
        return AgendaItem.objects.get(pk=item.pk)
    current = lock_for_edit(item, expected_version=expected_version)
    _own_row(current, meeting)
    current.discussion = strip_invisible(discussion)
    current.resolution = strip_invisible(resolution)
    current.save(update_fields=["discussion", "resolution"])
    return current


# --- Attendance ----------------------------------------------------------------------------------
@transaction.atomic
def attendance_mark(
    *,
    attendance: Attendance,
    by: User,
    status: str,
    reason: str = "",
    expected_version: int | None = None,
) -> Attendance:
    """Tick one invitee present or absent (with the reason, e.g. ติดราชการ), or back to only
    invited."""
    meeting = _open(attendance.meeting, by)
    current = lock_for_edit(attendance, expected_version=expected_version)
    _own_row(current, meeting)
    if status not in AttendanceStatus.values:
        raise ValidationError(_("Choose present or absent."), code="bad_status")
    current.status = status
    current.reason = (
        " ".join(strip_invisible(reason).split()) if status == AttendanceStatus.ABSENT else ""
    )
    current.clean_fields(exclude=["meeting", "person"])
    current.save(update_fields=["status", "reason"])
    return current


@transaction.atomic
def attendance_from_answers(*, meeting: Meeting, by: User) -> int:
    """Tick the invitees not ticked yet from their answers: those who said they will attend
    present, those who cannot absent with their reason. Returns how many rows were ticked."""
    meeting = _open(meeting, by)
    waiting = meeting.attendances.select_for_update().filter(status=AttendanceStatus.INVITED)
    coming = waiting.filter(answer=Answer.ATTEND).update(
        status=AttendanceStatus.PRESENT, lock_version=F("lock_version") + 1
    )
    away = waiting.filter(answer=Answer.DECLINE).update(
        status=AttendanceStatus.ABSENT,
        reason=F("answer_reason"),
        lock_version=F("lock_version") + 1,
    )
    return coming + away


@transaction.atomic
def chair_set(
    *, attendance: Attendance, by: User, expected_version: int | None = None
) -> Attendance:
    """Make this invitee the chair (ประธาน) of the meeting: their role in the attendance, and
    the chair of the minutes (when written and not adopted). Whoever was chair before keeps
    attending without the role."""
    meeting = _open(attendance.meeting, by)
    current = lock_for_edit(attendance, expected_version=expected_version)
    _own_row(current, meeting)
    before = chair_of(meeting)
    if before is not None and before.pk != current.pk:
        Attendance.objects.filter(pk=before.pk).update(
            meeting_role="", lock_version=F("lock_version") + 1
        )
    current.meeting_role = CHAIR_ROLE
    if current.status == AttendanceStatus.INVITED:
        current.status = AttendanceStatus.PRESENT
    current.save(update_fields=["meeting_role", "status"])
    minutes = (
        Minutes.objects.select_for_update()
        .filter(meeting=meeting, status=MinutesStatus.DRAFT)
        .first()
    )
    if minutes is not None and minutes.chair_id != current.person_id:
        minutes.chair_id = current.person_id
        minutes.save(update_fields=["chair", "updated_at"])
    return current
