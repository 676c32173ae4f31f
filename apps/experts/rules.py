"""Permissions of the expert directory, built from the teams app's predicates.

The KM office (secretary, head, administrators) keeps the directory; every staff member may
browse the approved entries and suggest new ones.
"""

import rules

from apps.teams.predicates import is_km_office, is_staff_member

from .choices import ExpertStatus


@rules.predicate
def is_published(user, expert) -> bool:
    """Approved; without an entry, the directory itself, which every staff member may browse."""
    return expert is None or expert.status == ExpertStatus.APPROVED


@rules.predicate
def is_suggester(user, expert) -> bool:
    if expert is None or expert.suggested_by_id is None:
        return False
    return expert.suggested_by_id == user.pk


can_see = is_published | is_suggester | is_km_office
rules.add_perm("experts.view_expert", is_staff_member & can_see)
rules.add_perm("experts.suggest_expert", is_staff_member)
rules.add_perm("experts.manage_expert", is_km_office)
rules.add_perm("experts.review_expert", is_km_office)
