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

__all__ = ["is_staff_member", "meeting_keepers", "reads_meetings"]

# The values of ``MeetingStatus.CANCELLED`` and ``MinutesStatus.ADOPTED``.
CANCELLED = "cancelled"
ADOPTED = "adopted"

# Who reads every meeting: anyone in a KM team, working group or KM group (the secretary, head
# and CKO are KM-team members too), and administrators.
reads_meetings = is_km_member | is_admin
meeting_keepers = is_secretary | is_admin


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
def has_draft_minutes(user, meeting) -> bool:
    if meeting is None:
        return False
    minutes = _minutes(meeting)
    return minutes is not None and minutes.status != ADOPTED


@rules.predicate
def owns_action(user, action) -> bool:
    return action is not None and action.owner_id == getattr(user, "pk", None)


@rules.predicate
def owns_an_action_of(user, meeting) -> bool:
    """Given an action item by the meeting: its record is theirs to read, invited or not."""
    if meeting is None or not is_staff_member(user):
        return False
    return meeting.action_items.filter(owner_id=user.pk).exists()


rules.add_perm("meetings.browse_meetings", is_staff_member)
rules.add_perm("meetings.view_meetings", reads_meetings)
rules.add_perm(
    "meetings.view_meeting", is_staff_member & (reads_meetings | is_invitee | owns_an_action_of)
)
rules.add_perm("meetings.add_meeting", meeting_keepers)
rules.add_perm("meetings.change_meeting", meeting_keepers & meeting_is_open)
rules.add_perm("meetings.adopt_minutes", meeting_keepers & has_draft_minutes)
rules.add_perm("meetings.update_action", is_staff_member & (owns_action | meeting_keepers))
