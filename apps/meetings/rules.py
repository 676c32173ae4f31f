"""Who may read and keep meetings, built from the teams app's predicates.

The secretary schedules meetings, keeps attendance and writes the minutes; the KM teams and
groups read every meeting, anyone else the meetings they were invited to or were given an
action item by. Adopted minutes are locked. An action item's owner marks it done.

This module imports no models (``models`` imports it for ``Meeting.objects.visible_to``): the
predicates read the records they are given by attribute, and compare statuses by value.
"""

from __future__ import annotations

import rules
from django.core.exceptions import ObjectDoesNotExist

from apps.teams.predicates import is_admin, is_km_member, is_secretary, is_staff_member

from . import hosts

__all__ = ["is_admin", "is_staff_member", "meeting_keepers", "reads_meetings"]

# The values of ``MeetingStatus.CANCELLED`` and ``MinutesStatus.ADOPTED``.
CANCELLED = "cancelled"
ADOPTED = "adopted"

# Who reads every meeting of the teams: anyone in a KM team, working group or KM group (the
# secretary, head and CKO are KM-team members too), and administrators. Who keeps them.
reads_meetings = is_km_member | is_admin
meeting_keepers = is_secretary | is_admin


@rules.predicate
def may_schedule(user, host) -> bool:
    """Call a meeting of ``host``: a team's (or no host given) is the secretary's; another
    app's record's is whom its kind says (``hosts``)."""
    kind = hosts.kind_for(host) if host is not None else None
    if kind is None:
        return meeting_keepers(user)
    return is_admin(user) or (is_staff_member(user) and bool(kind.keeps(user, host)))


@rules.predicate
def keeps_meeting(user, meeting) -> bool:
    """Keeps the meeting's record (whether it may still change is ``meeting_is_open``'s)."""
    if meeting is None:
        return False
    if not meeting.host_kind:
        return meeting_keepers(user)
    kind = hosts.get(meeting.host_kind)
    host = meeting.host
    return is_admin(user) or (
        kind is not None and host is not None and is_staff_member(user) and kind.keeps(user, host)
    )


@rules.predicate
def reads_meeting(user, meeting) -> bool:
    """Reads the meeting whoever was invited: a KM reader a team's, a host's readers its own."""
    if meeting is None:
        return False
    if not meeting.host_kind:
        return reads_meetings(user)
    kind = hosts.get(meeting.host_kind)
    host = meeting.host
    return is_admin(user) or (
        kind is not None and host is not None and is_staff_member(user) and kind.reads(user, host)
    )


@rules.predicate
def is_invitee(user, meeting) -> bool:
    if meeting is None or not is_staff_member(user):
        return False
    cache = getattr(meeting, "_prefetched_objects_cache", {})
    if "attendances" in cache:
        return any(a.person_id == user.pk for a in cache["attendances"])
    return meeting.attendances.filter(person_id=user.pk).exists()


def _minutes(meeting):
    try:
        return meeting.minutes
    except ObjectDoesNotExist:
        return None


@rules.predicate
def meeting_is_open(user, meeting) -> bool:
    """Not cancelled, and its minutes (if any) not yet adopted: the record can still change."""
    if meeting is None or meeting.status == CANCELLED:
        return False
    minutes = _minutes(meeting)
    return minutes is None or minutes.status != ADOPTED


@rules.predicate
def may_be_answered(user, meeting) -> bool:
    """Scheduled and not begun: invitations can be answered."""
    return meeting is not None and meeting.may_be_answered()


@rules.predicate
def has_draft_minutes(user, meeting) -> bool:
    if meeting is None:
        return False
    minutes = _minutes(meeting)
    return minutes is not None and minutes.status != ADOPTED


@rules.predicate
def owns_action(user, action) -> bool:
    return action is not None and action.owner_id == getattr(user, "pk", None)


@rules.predicate
def keeps_meeting_of(user, action) -> bool:
    return action is not None and keeps_meeting(user, action.meeting)


@rules.predicate
def owns_an_action_of(user, meeting) -> bool:
    """Given an action item by the meeting: its record is theirs to read, invited or not."""
    if meeting is None or not is_staff_member(user):
        return False
    return meeting.action_items.filter(owner_id=user.pk).exists()


rules.add_perm("meetings.browse_meetings", is_staff_member)
rules.add_perm("meetings.view_meetings", reads_meetings)
rules.add_perm(
    "meetings.view_meeting", is_staff_member & (reads_meeting | is_invitee | owns_an_action_of)
)
# With a host record (``has_perm("meetings.add_meeting", community)``), its kind decides.
rules.add_perm("meetings.add_meeting", may_schedule)
rules.add_perm("meetings.change_meeting", keeps_meeting & meeting_is_open)
rules.add_perm("meetings.adopt_minutes", keeps_meeting & has_draft_minutes)
# Only the person invited answers their invitation (attend or not), before the meeting begins.
rules.add_perm("meetings.answer_invitation", is_invitee & may_be_answered)
rules.add_perm("meetings.update_action", is_staff_member & (owns_action | keeps_meeting_of))
