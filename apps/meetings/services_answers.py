"""The invitee's own write: answering an invitation (attend, or cannot attend and why).

Only the person invited answers, only while the meeting is scheduled and has not begun. The
answer is the invitee's, kept apart from what the secretary records afterwards
(``Attendance.status``): it is written with an UPDATE of the answer's own columns on the locked
row, so it never overwrites, nor makes stale, the secretary's attendance page (whose save
re-reads the row under the same lock and keeps the answer).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.core.text import strip_invisible

from .models import Answer, Attendance, Meeting, MeetingStatus

MAX_REASON = 200


@transaction.atomic
def invitation_answer(*, meeting: Meeting, by: User, attend: bool, reason: str = "") -> Attendance:
    """``by`` answers their invitation to ``meeting``: they will attend, or they cannot (with
    an optional ``reason``, e.g. ติดราชการ). They may change their answer until it begins."""
    attendance = (
        Attendance.objects.select_for_update()
        .select_related("meeting")
        .filter(meeting_id=meeting.pk, person_id=by.pk)
        .first()
    )
    if attendance is None or not by.is_active:
        raise PermissionDenied
    current = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if current.status == MeetingStatus.CANCELLED:
        raise ValidationError(_("This meeting was cancelled."), code="cancelled")
    if not current.may_be_answered():
        raise ValidationError(
            _("The meeting has begun or taken place: invitations can no longer be answered."),
            code="past",
        )
    reason = " ".join(strip_invisible(reason or "").split())
    if len(reason) > MAX_REASON:
        raise ValidationError(
            {
                "reason": _("Give the reason in at most %(limit)d characters.")
                % {"limit": MAX_REASON}
            },
            code="too_long",
        )
    attendance.answer = Answer.ATTEND if attend else Answer.DECLINE
    attendance.answer_reason = "" if attend else reason
    attendance.answered_at = timezone.now()
    Attendance.objects.filter(pk=attendance.pk).update(
        answer=attendance.answer,
        answer_reason=attendance.answer_reason,
        answered_at=attendance.answered_at,
    )
    return attendance
