"""Who may open a document: one rule, as a Python predicate and as a query filter.

Views and templates use the predicate (through ``library.view_document``); lists and search use
the filter (``Document.objects.visible_to(user)``). ``tests/library`` checks the two agree.

- all staff: anyone signed in;
- KM team members: anyone with a current membership in any KM team, working group or KM group;
- a named team: that team's current members;
- the person who added a document may always open it, and administrators open everything.
"""

from __future__ import annotations

import rules
from django.db.models import Q

from apps.teams.predicates import current_team_ids, is_km_member, is_staff_member

from .choices import AccessLevel


def visibility_filter(user) -> Q:
    if not is_staff_member(user):
        return Q(pk__in=[])
    if user.is_superuser:
        return Q()
    allowed = Q(access=AccessLevel.ALL_STAFF) | Q(uploaded_by_id=user.pk)
    if is_km_member(user):
        allowed |= Q(access=AccessLevel.KM_TEAM)
    teams = current_team_ids(user)
    if teams:
        allowed |= Q(access=AccessLevel.TEAM, access_team_id__in=teams)
    return allowed


@rules.predicate
def can_open_document(user, document) -> bool:
    if document is None or not is_staff_member(user):
        return False
    if user.is_superuser or document.uploaded_by_id == user.pk:
        return True
    if document.access == AccessLevel.ALL_STAFF:
        return True
    if document.access == AccessLevel.KM_TEAM:
        return is_km_member(user)
    return document.access_team_id in current_team_ids(user)
