"""The permission matrix of the teams app: every URL × every role × GET and POST."""

import pytest
from django.urls import reverse

from apps.teams.models import Role
from tests.conftest import ROLES
from tests.factories import AppointmentOrderFactory, MembershipFactory, TeamFactory
from tests.matrix import matrix_failures

pytestmark = pytest.mark.django_db

# Who gets what. 302 = sent to the login page, 405 = the page exists but not for this method.
READ = {
    "anonymous": 302,
    "staff": 200,
    "member": 200,
    "secretary": 200,
    "head": 200,
    "cko": 200,
    "admin": 200,
}
READ_POST = {**READ, **{role: 405 for role in ROLES if role != "anonymous"}}
# Rosters, orders and duties are kept by the KM secretary and head (and the admin).
OFFICE = {
    "anonymous": 302,
    "staff": 403,
    "member": 403,
    "secretary": 200,
    "head": 200,
    "cko": 403,
    "admin": 200,
}
OFFICE_GET_405 = {role: (405 if code == 200 else code) for role, code in OFFICE.items()}
OFFICE_REDIRECT = {role: (302 if code == 200 else code) for role, code in OFFICE.items()}


@pytest.fixture
def objects(people, km_team):
    group = TeamFactory(name="กลุ่ม KM ที่ 9")
    order = AppointmentOrderFactory(number=5, year=2551)
    order.teams.add(km_team)
    membership = MembershipFactory(team=group, role=Role.MEMBER, order=order)
    return {"team": group, "order": order, "membership": membership}


def matrix(objects):
    team, order, membership = objects["team"], objects["order"], objects["membership"]
    return [
        # (url, method, data, expected)
        (reverse("teams:list"), "get", None, READ),
        (reverse("teams:list"), "post", {}, READ_POST),
        (reverse("teams:detail", args=[team.pk]), "get", None, READ),
        (reverse("teams:detail", args=[team.pk]), "post", {}, READ_POST),
        (reverse("teams:create"), "get", None, OFFICE),
        (reverse("teams:create"), "post", {}, OFFICE),  # invalid form: shown again with errors
        (reverse("teams:update", args=[team.pk]), "get", None, OFFICE),
        (reverse("teams:update", args=[team.pk]), "post", {}, OFFICE),
        (reverse("teams:duties", args=[team.pk]), "get", None, OFFICE),
        (reverse("teams:duties", args=[team.pk]), "post", {"member": "x" * 600}, OFFICE),
        (reverse("teams:membership_add", args=[team.pk]), "get", None, OFFICE),
        (reverse("teams:membership_add", args=[team.pk]), "post", {}, OFFICE),
        (reverse("teams:membership_edit", args=[membership.pk]), "get", None, OFFICE),
        (reverse("teams:membership_edit", args=[membership.pk]), "post", {}, OFFICE),
        (reverse("teams:membership_end", args=[membership.pk]), "get", None, OFFICE_GET_405),
        (
            reverse("teams:membership_end", args=[membership.pk]),
            "post",
            {"end_date": "bad"},
            OFFICE_REDIRECT,
        ),
        (reverse("teams:order_list"), "get", None, READ),
        (reverse("teams:order_list"), "post", {}, READ_POST),
        (reverse("teams:order_detail", args=[order.pk]), "get", None, READ),
        (reverse("teams:order_detail", args=[order.pk]), "post", {}, READ_POST),
        (reverse("teams:order_create"), "get", None, OFFICE),
        (reverse("teams:order_create"), "post", {}, OFFICE),
        (reverse("teams:order_update", args=[order.pk]), "get", None, OFFICE),
        (reverse("teams:order_update", args=[order.pk]), "post", {}, OFFICE),
        (
            reverse("teams:order_scan", args=[order.pk]),
            "get",
            None,
            {**READ, **{r: 404 for r in ROLES if r != "anonymous"}},
        ),
        (reverse("teams:order_scan", args=[order.pk]), "post", {}, READ_POST),
        (reverse("teams:directory"), "get", None, READ),
        (reverse("teams:directory"), "post", {}, READ_POST),
        (reverse("accounts:person", args=[membership.person.username]), "get", None, READ),
    ]


def test_every_teams_url_is_in_the_matrix(objects):
    from apps.teams import urls

    covered = {url for url, *_ in matrix(objects)}
    named = {pattern.name for pattern in urls.urlpatterns}
    resolved = set()
    from django.urls import resolve

    for url in covered:
        match = resolve(url)
        if match.namespace == "teams":
            resolved.add(match.url_name)
    assert resolved == named


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(client_as, objects, role):
    assert matrix_failures(client_as(role), matrix(objects), role) == []


def test_forbidden_writes_change_nothing(client_as, objects):
    membership = objects["membership"]
    client_as("member").post(
        reverse("teams:membership_end", args=[membership.pk]), {"end_date": "01/01/2568"}
    )
    membership.refresh_from_db()
    assert membership.end_date is None


def test_a_team_head_keeps_the_roster_of_their_own_team_only(client, objects):
    group, other = objects["team"], TeamFactory(name="กลุ่ม KM ที่ 8")
    head = MembershipFactory(team=group, role=Role.HEAD).person
    client.force_login(head)
    assert client.get(reverse("teams:membership_add", args=[group.pk])).status_code == 200
    assert client.get(reverse("teams:membership_add", args=[other.pk])).status_code == 403
    assert client.get(reverse("teams:update", args=[group.pk])).status_code == 403
