"""Who may do what in communities of practice, built from the teams app's predicates.

- Every staff member reads an *open* community and joins or leaves it freely; a *members-only*
  community is read by its members only, and its facilitators add its members.
- The KM office (the KM team's secretary, head and CKO, and administrators) creates
  communities (starting a CoP is a decision of the KM team, which appoints its first
  facilitator) and may read and keep every community: it answers for the KM plan they serve.
- A community's facilitators (คุณอำนวย) change it and its roster; facilitators and note-takers
  (คุณลิขิต) schedule its sessions and write their BAR, AAR and notes; any member writes a
  knowledge asset, which its writer, the facilitators and the note-takers keep.
- Promoting an asset to a knowledge-set draft also needs the knowledge app's own right to start
  a set (``knowledge.add_set``): the knowledge workflow's rules hold from the first draft on.

This module imports no models (the models import it): predicates read records by attribute.
"""

from __future__ import annotations

import rules

from apps.teams.predicates import is_admin, is_cko, is_head, is_secretary, is_staff_member

# Values of ``MemberRole`` and of the statuses (compared by value: no models here).
FACILITATOR, NOTE_TAKER = "facilitator", "note_taker"
OPEN, ACTIVE = "open", "active"

keeps_all_communities = is_secretary | is_head | is_cko | is_admin

_CACHE = "_community_roles"


def role_in(user, community) -> str | None:
    """The person's role in the community (None: not a member), cached on the record."""
    if community is None or not getattr(user, "is_authenticated", False):
        return None
    cache = community.__dict__.setdefault(_CACHE, {})
    if user.pk not in cache:
        prefetched = getattr(community, "_prefetched_objects_cache", {}).get("members")
        if prefetched is not None:
            cache[user.pk] = next((m.role for m in prefetched if m.person_id == user.pk), None)
        else:
            cache[user.pk] = (
                community.members.filter(person_id=user.pk).values_list("role", flat=True).first()
            )
    return cache[user.pk]


def forget_roles(community) -> None:
    community.__dict__.pop(_CACHE, None)


@rules.predicate
def is_member(user, community) -> bool:
    return role_in(user, community) is not None


@rules.predicate
def is_facilitator(user, community) -> bool:
    return role_in(user, community) == FACILITATOR


@rules.predicate
def keeps_sessions(user, community) -> bool:
    return role_in(user, community) in (FACILITATOR, NOTE_TAKER)


@rules.predicate
def is_open(user, community) -> bool:
    return community is not None and community.access == OPEN


@rules.predicate
def is_active(user, community) -> bool:
    return community is not None and community.status == ACTIVE


@rules.predicate
def may_read(user, community) -> bool:
    return community is not None and bool(
        is_staff_member(user)
        and (is_open(user, community) or keeps_all_communities(user) or is_member(user, community))
    )


@rules.predicate
def may_keep(user, community) -> bool:
    return community is not None and bool(
        is_staff_member(user) and (keeps_all_communities(user) or is_facilitator(user, community))
    )


@rules.predicate
def may_keep_sessions(user, community) -> bool:
    return community is not None and bool(
        is_staff_member(user) and (keeps_all_communities(user) or keeps_sessions(user, community))
    )


# --- On a knowledge asset (or a session): the rule of its community --------------------------
@rules.predicate
def reads_community_of(user, record) -> bool:
    return record is not None and may_read(user, record.community)


@rules.predicate
def keeps_sessions_of(user, record) -> bool:
    return record is not None and may_keep_sessions(user, record.community)


@rules.predicate
def community_of_is_active(user, record) -> bool:
    return record is not None and is_active(user, record.community)


@rules.predicate
def wrote_asset(user, asset) -> bool:
    return asset is not None and asset.written_by_id == getattr(user, "pk", None)


@rules.predicate
def not_promoted(user, asset) -> bool:
    return asset is not None and asset.knowledge_set_id is None


@rules.predicate
def may_start_a_set(user) -> bool:
    return user.has_perm("knowledge.add_set")


rules.add_perm("community.browse", is_staff_member)
rules.add_perm("community.add_community", is_staff_member & keeps_all_communities)
rules.add_perm("community.view_community", may_read)
rules.add_perm("community.change_community", may_keep)
rules.add_perm("community.manage_members", may_keep & is_active)
rules.add_perm("community.join", is_staff_member & is_open & is_active & ~is_member)
rules.add_perm("community.leave", is_staff_member & is_member)
rules.add_perm("community.schedule_session", may_keep_sessions & is_active)
rules.add_perm("community.add_asset", may_read & is_active & (is_member | may_keep))
# On a session:
rules.add_perm("community.view_session", reads_community_of)
rules.add_perm("community.change_session", keeps_sessions_of)
# On an asset:
rules.add_perm("community.view_asset", reads_community_of)
rules.add_perm(
    "community.change_asset",
    reads_community_of & community_of_is_active & (wrote_asset | keeps_sessions_of),
)
rules.add_perm(
    "community.promote_asset",
    reads_community_of & not_promoted & (wrote_asset | keeps_sessions_of) & may_start_a_set,
)
