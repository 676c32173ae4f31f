"""The one permission model: roles come from current memberships, so they lapse with the term.

Every app builds its rules from these predicates (``apps/<app>/rules.py``) and checks them with
``user.has_perm("<app>.<action>", obj)`` in views, ``{% has_perm %}`` in templates, and the same
calls in search. No per-object permission rows are stored, so nothing can drift.

- staff: any signed-in, active person;
- member: holds a current membership in any team (KM team, working group or KM group);
- secretary, head, CKO: hold that role today in the KM team (ทีมงาน KM);
- admin: a superuser.
"""

from __future__ import annotations

import rules
from django.db import connections, router
from django.utils import timezone

from .models import Membership, Role, Team, TeamKind

_CACHE = "_km_roles_cache"


def _facts(user) -> tuple[frozenset[str], frozenset[int]]:
    """(roles, ids of the teams) a person holds today, from one query.

    The role ``"member"`` stands for any current membership at all. Cached on the user object
    for the day, which for a web request means once per request.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset(), frozenset()
    today = timezone.localdate()
    cached = getattr(user, _CACHE, None)
    if cached and cached[0] == today:
        return cached[1]
    roles: set[str] = set()
    teams: set[int] = set()
    for role, team_id, kind in _current_memberships(user.pk, today):
        roles.add(Role.MEMBER)
        teams.add(team_id)
        if kind == TeamKind.KM_TEAM:
            roles.add(role)
    facts = (frozenset(roles), frozenset(teams))
    setattr(user, _CACHE, (today, facts))
    return facts


def _current_memberships(person_id: int, today) -> list[tuple[str, int, str]]:
    """(role, team id, team kind) of the memberships ``Membership.objects.current(today)`` gives
    for the person, in one plain statement: every signed-in request asks, and building the
    query with the ORM cost ten times its run (issue 20). The tests compare it with the
    queryset for terms starting, ending and open on ``today``."""
    connection = connections[router.db_for_read(Membership)]
    quote = connection.ops.quote_name
    meta, team = Membership._meta, Team._meta
    column = {name: quote(meta.get_field(name).column) for name in
              ("role", "team", "person", "start_date", "end_date")}  # fmt: skip
    memberships, teams = quote(meta.db_table), quote(team.db_table)
    kind, team_pk = quote(team.get_field("kind").column), quote(team.pk.column)
    # Names from the models' meta, quoted; the values are parameters. No ORDER BY: the facts
    # are sets.
    sql = (
        f"SELECT m.{column['role']}, m.{column['team']}, t.{kind}"  # noqa: S608
        f" FROM {memberships} m INNER JOIN {teams} t ON t.{team_pk} = m.{column['team']}"
        f" WHERE m.{column['person']} = %s AND m.{column['start_date']} <= %s"
        f" AND (m.{column['end_date']} IS NULL OR m.{column['end_date']} >= %s)"
    )
    day = connection.ops.adapt_datefield_value(today)
    with connection.cursor() as cursor:
        cursor.execute(sql, [person_id, day, day])
        return cursor.fetchall()


def km_roles(user) -> frozenset[str]:
    """The roles a person holds today; ``"member"`` for any current membership at all."""
    return _facts(user)[0]


def current_team_ids(user) -> frozenset[int]:
    """The teams a person is a current member of, in any role."""
    return _facts(user)[1]


def forget_roles(user) -> None:
    """Drop the cached roles (after a roster change that concerns this very user object)."""
    if hasattr(user, _CACHE):
        delattr(user, _CACHE)


@rules.predicate
def is_staff_member(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


@rules.predicate
def is_km_member(user) -> bool:
    return Role.MEMBER in km_roles(user)


@rules.predicate
def is_secretary(user) -> bool:
    return Role.SECRETARY in km_roles(user)


@rules.predicate
def is_head(user) -> bool:
    return Role.HEAD in km_roles(user)


@rules.predicate
def is_cko(user) -> bool:
    return Role.CKO in km_roles(user)


is_admin = rules.is_superuser


@rules.predicate
def is_team_member(user, team) -> bool:
    """A current member of the team itself (any role)."""
    if team is None or not is_staff_member(user):
        return False
    return team.pk in current_team_ids(user)


@rules.predicate
def is_team_head(user, team) -> bool:
    if team is None or not is_staff_member(user):
        return False
    return (
        Membership.objects.current()
        .filter(person_id=user.pk, team=team, role__in=[Role.HEAD, Role.CKO])
        .exists()
    )


# Those who keep the KM organisation's records: rosters, orders, duties, the expert directory.
is_km_office = is_secretary | is_head | is_admin
