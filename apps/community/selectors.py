"""Reads of communities of practice: the list, a community's space, a person's panel, and what
a plan activity's page shows. Each runs a fixed number of queries however many rows there are,
and returns only what the viewer may open."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import HttpRequest

from apps.accounts.models import User
from apps.meetings.models import AttendanceStatus
from apps.plans.models import Activity
from apps.teams.models import Membership, Role, TeamKind

from .models import Community, KnowledgeAsset, Member, MemberRole, Session
from .rules import role_in


def communities_for(user) -> QuerySet[Community]:
    """The list page: the communities the person may open, with their member, session and
    asset counts, active ones first."""
    return (
        Community.objects.visible_to(user)
        .annotate(
            member_count=Count("members", distinct=True),
            session_count=Count("sessions", distinct=True),
            asset_count=Count("assets", distinct=True),
        )
        .order_by("status", "name", "pk")
    )


def my_community_roles(user, communities: list[Community]) -> dict[int, str]:
    """community pk → the person's role in it, for the communities listed (one query)."""
    rows = Member.objects.filter(person_id=user.pk, community__in=[c.pk for c in communities])
    return dict(rows.values_list("community_id", "role"))


def sponsors() -> list[User]:
    """The office's CKO (คุณเอื้อ), who sponsors every community: read from the KM team today."""
    ids = (
        Membership.objects.current()
        .filter(team__kind=TeamKind.KM_TEAM, role=Role.CKO)
        .values("person_id")
    )
    return list(User.objects.filter(pk__in=ids, is_active=True).order_by("pk"))


def roster(community: Community) -> list[Member]:
    members = list(community.members.select_related("person", "person__unit"))
    return sorted(members, key=lambda m: (MemberRole.rank(m.role), m.person.get_full_name(), m.pk))


def sessions_of(community: Community) -> list[Session]:
    """The community's sessions, newest first, with how many attended (one query)."""
    return list(
        community.sessions.select_related("meeting")
        .annotate(
            present=Count(
                "meeting__attendances",
                filter=Q(meeting__attendances__status=AttendanceStatus.PRESENT),
            ),
            invited=Count("meeting__attendances"),
        )
        .order_by("-meeting__date", "-meeting__start_time", "-pk")
    )


def assets_of(community: Community) -> list[KnowledgeAsset]:
    return list(
        community.assets.select_related("written_by", "session__meeting", "knowledge_set")
        .prefetch_related("who_to_ask")
        .order_by("-created_at", "-pk")
    )


def space(community: Community, user) -> dict[str, Any]:
    """What a community's page shows: its roster by role, its sponsor, its sessions, its
    assets, and the viewer's own role."""
    members = roster(community)
    return {
        "members": members,
        "facilitators": [m for m in members if m.role == MemberRole.FACILITATOR],
        "sponsors": sponsors(),
        "sessions": sessions_of(community),
        "assets": assets_of(community),
        "my_role": role_in(user, community),
    }


def person_panel(request: HttpRequest, person: User) -> dict | None:
    """A person's page: the communities they facilitate and the assets they wrote, of those the
    viewer may open (None: nothing to show)."""
    visible = Community.objects.visible_to(request.user)
    facilitated = list(
        visible.filter(members__person=person, members__role=MemberRole.FACILITATOR)
        .distinct()
        .order_by("name", "pk")
    )
    assets = list(
        KnowledgeAsset.objects.filter(written_by=person, community__in=visible)
        .select_related("community")
        .order_by("-created_at", "-pk")[:10]
    )
    if not facilitated and not assets:
        return None
    return {"facilitated": facilitated, "assets": assets}


def activity_part(activity: Activity, user) -> dict[str, Any]:
    """A plan activity's page: the communities linked to it, with their sessions and assets
    (those the viewer may open), the records its owners link to as evidence."""
    communities = list(
        Community.objects.visible_to(user)
        .filter(activity=activity)
        .prefetch_related(
            Prefetch(
                "sessions",
                queryset=Session.objects.select_related("meeting").order_by("-meeting__date"),
            ),
            Prefetch("assets", queryset=KnowledgeAsset.objects.order_by("-created_at")),
        )
        .order_by("name", "pk")
    )
    return {"communities": communities}


def my_communities(user) -> list[Community]:
    """The personal dashboard: the person's communities, with their role and counts."""
    mine = Member.objects.filter(person_id=user.pk)
    roles = dict(mine.values_list("community_id", "role"))
    communities = list(
        Community.objects.filter(pk__in=mine.values("community_id"))
        .annotate(
            session_count=Count("sessions", distinct=True),
            asset_count=Count("assets", distinct=True),
        )
        .order_by("status", "name", "pk")
    )
    labels = dict(MemberRole.choices)
    for community in communities:
        community.my_role_label = labels.get(roles.get(community.pk), "")
    return communities
