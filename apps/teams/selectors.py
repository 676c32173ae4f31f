"""Reads that span teams, memberships and people."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from itertools import groupby

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from apps.accounts.models import User

from .models import Membership, Role, RoleDuty, Team, TeamKind


def teams_by_kind() -> list[tuple[str, list[Team]]]:
    """Active teams grouped by kind (KM team, working groups, KM groups) with member counts."""
    today = timezone.localdate()
    current = Q(memberships__start_date__lte=today) & (
        Q(memberships__end_date__isnull=True) | Q(memberships__end_date__gte=today)
    )
    teams = (
        Team.objects.filter(is_active=True)
        .annotate(member_count=Count("memberships", filter=current, distinct=True))
        .order_by("kind", "order", "name")
    )
    labels = dict(TeamKind.choices)
    order = {kind: index for index, kind in enumerate(TeamKind.values)}
    grouped = groupby(
        sorted(teams, key=lambda t: (order[t.kind], t.order, t.name)), lambda t: t.kind
    )
    return [(labels[kind], list(members)) for kind, members in grouped]


def duties_by_role(team: Team) -> dict[str, list[str]]:
    """The team's duties as role → lines, in order (what the duties form shows)."""
    duties: dict[str, list[str]] = {}
    for duty in team.duties.all():
        duties.setdefault(duty.role, []).append(duty.text)
    return duties


def sort_by_role(memberships: Iterable[Membership]) -> list[Membership]:
    """Terms in the order of the roster: CKO, head, secretary, members; then by name."""
    return sorted(memberships, key=lambda m: (Role.rank(m.role), m.person.get_full_name()))


def team_roster(team: Team) -> dict:
    """What a team's page shows: current members by role, past members, orders, duties."""
    memberships = list(team.memberships.select_related("person", "person__unit", "order"))
    today = timezone.localdate()
    current = sort_by_role(m for m in memberships if m.is_current(today))
    upcoming = sort_by_role(m for m in memberships if m.start_date > today)
    past = sorted(
        (m for m in memberships if m.end_date and m.end_date < today),
        key=lambda m: m.end_date,
        reverse=True,
    )
    by_role: dict[str, list[Membership]] = defaultdict(list)
    for membership in current:
        by_role[membership.role].append(membership)
    duties: dict[str, list[RoleDuty]] = defaultdict(list)
    for duty in team.duties.all():
        duties[duty.role].append(duty)
    roles = [
        {
            "value": value,
            "label": label,
            "members": by_role.get(value, []),
            "duties": duties.get(value, []),
        }
        for value, label in Role.choices
    ]
    return {
        "roles": roles,
        "current": current,
        "upcoming": upcoming,
        "past": past,
        "orders": list(team.orders.all()),
    }


def person_teams(request: HttpRequest, person: User) -> dict | None:
    """The teams panel of a person's page: current and past memberships, newest term first."""
    memberships = list(
        Membership.objects.filter(person=person)
        .select_related("team", "order")
        .order_by("-start_date")
    )
    today = timezone.localdate()
    return {
        "current": [m for m in memberships if m.is_current(today)],
        "upcoming": [m for m in memberships if m.start_date > today],
        "past": [m for m in memberships if m.end_date and m.end_date < today],
    }


def directory(*, on: date | None = None) -> QuerySet[User]:
    """Active people with their current memberships prefetched (the directory's base query)."""
    current = Membership.objects.current(on).select_related("team").order_by("team__order")
    return (
        User.objects.filter(is_active=True)
        .select_related("unit")
        .prefetch_related(Prefetch("memberships", queryset=current, to_attr="current_memberships"))
        .order_by("first_name", "last_name")
    )
