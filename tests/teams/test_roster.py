import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.teams import services
from apps.teams.models import Membership, Role, RoleDuty, Team, TeamKind
from apps.teams.predicates import km_roles
from tests.factories import MembershipFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def be(day: dt.date) -> str:
    return f"{day.day:02d}/{day.month:02d}/{day.year + 543}"


def test_roles_come_from_current_km_team_memberships(km_team):
    person = UserFactory()
    assert km_roles(person) == frozenset()
    MembershipFactory(person=person, team=km_team, role=Role.SECRETARY)
    MembershipFactory(person=person, team=TeamFactory(), role=Role.HEAD)  # head of a KM group
    person = type(person).objects.get(pk=person.pk)
    assert km_roles(person) == {Role.SECRETARY, Role.MEMBER}


def test_a_term_that_ends_takes_the_role_away(client, km_team):
    secretary = UserFactory()
    term = MembershipFactory(person=secretary, team=km_team, role=Role.SECRETARY)
    client.force_login(secretary)
    assert client.get(reverse("teams:create")).status_code == 200
    term.end_date = TODAY - dt.timedelta(days=1)
    term.save()
    assert client.get(reverse("teams:create")).status_code == 403


def test_a_term_that_has_not_started_gives_nothing_yet(client, km_team):
    head = UserFactory()
    MembershipFactory(
        person=head, team=km_team, role=Role.HEAD, start_date=TODAY + dt.timedelta(days=10)
    )
    client.force_login(head)
    assert client.get(reverse("teams:create")).status_code == 403


def test_the_last_day_of_a_term_still_counts(km_team):
    person = UserFactory()
    MembershipFactory(person=person, team=km_team, role=Role.HEAD, end_date=TODAY)
    assert Role.HEAD in km_roles(person)


def test_secretary_adds_a_member_and_their_page_shows_it(client_as, people):
    group = Team.objects.get(name="กลุ่ม KM ที่ 1")
    newcomer = UserFactory(username="newcomer", first_name="มานี", last_name="มีนา")
    client = client_as("secretary")
    response = client.post(
        reverse("teams:membership_add", args=[group.pk]),
        {"person": newcomer.pk, "role": Role.MEMBER, "start_date": be(TODAY)},
    )
    assert response.status_code == 302
    membership = Membership.objects.get(person=newcomer, team=group)
    assert membership.role == Role.MEMBER and membership.start_date == TODAY
    page = client.get(newcomer.get_absolute_url()).content.decode()
    assert "กลุ่ม KM ที่ 1" in page


def test_an_overlapping_term_is_refused_and_nothing_is_saved(client_as, people):
    group = Team.objects.get(name="กลุ่ม KM ที่ 1")
    member = people["member"]
    before = Membership.objects.count()
    response = client_as("secretary").post(
        reverse("teams:membership_add", args=[group.pk]),
        {"person": member.pk, "role": Role.MEMBER, "start_date": be(TODAY)},
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert Membership.objects.count() == before


def test_a_term_cannot_end_before_it_starts(client_as, people):
    group = Team.objects.get(name="กลุ่ม KM ที่ 1")
    response = client_as("head").post(
        reverse("teams:membership_add", args=[group.pk]),
        {
            "person": people["staff"].pk,
            "role": Role.MEMBER,
            "start_date": "12/03/2551",
            "end_date": "11/03/2551",
        },
    )
    assert response.status_code == 200
    assert "end_date" in response.context["form"].errors
    assert not Membership.objects.filter(person=people["staff"]).exists()


def test_ending_a_term_keeps_it_as_history(client_as, people):
    membership = Membership.objects.get(person=people["member"])
    yesterday = TODAY - dt.timedelta(days=1)
    response = client_as("secretary").post(
        reverse("teams:membership_end", args=[membership.pk]), {"end_date": be(yesterday)}
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.end_date == yesterday
    detail = client_as("staff").get(membership.team.get_absolute_url())
    assert membership in detail.context["past"]
    assert membership not in detail.context["current"]
    assert Role.MEMBER not in km_roles(type(people["member"]).objects.get(pk=people["member"].pk))


def test_ending_a_term_before_it_started_is_refused(client_as, people):
    membership = Membership.objects.get(person=people["member"])
    before_start = membership.start_date - dt.timedelta(days=1)
    client_as("secretary").post(
        reverse("teams:membership_end", args=[membership.pk]), {"end_date": be(before_start)}
    )
    membership.refresh_from_db()
    assert membership.end_date is None


def test_a_new_team_starts_with_the_seed_duties(client_as, people):
    response = client_as("head").post(
        reverse("teams:create"),
        {"name": "ชุมชนนักปฏิบัติด้านบัญชี", "kind": TeamKind.KM_GROUP, "order": 0, "is_active": "on"},
    )
    assert response.status_code == 302
    team = Team.objects.get(name="ชุมชนนักปฏิบัติด้านบัญชี")
    duties = list(team.duties.filter(role=Role.SECRETARY).values_list("text", flat=True))
    assert duties == services.DEFAULT_DUTIES[Role.SECRETARY]
    assert team.duties.count() == sum(len(lines) for lines in services.DEFAULT_DUTIES.values())


def test_duties_are_edited_per_team(client_as, people):
    team = TeamFactory()
    other = TeamFactory()
    services.duties_replace(by=people["secretary"], team=team, duties=services.DEFAULT_DUTIES)
    services.duties_replace(by=people["secretary"], team=other, duties=services.DEFAULT_DUTIES)
    response = client_as("secretary").post(
        reverse("teams:duties", args=[team.pk]),
        {
            "cko": "สนับสนุนงบประมาณ",
            "head": "",
            "secretary": "นัดประชุม\n\n  จดรายงานการประชุม  ",
            "member": "",
        },
    )
    assert response.status_code == 302
    assert list(team.duties.values_list("role", "text")) == [
        (Role.CKO, "สนับสนุนงบประมาณ"),
        (Role.SECRETARY, "นัดประชุม"),
        (Role.SECRETARY, "จดรายงานการประชุม"),
    ]
    assert other.duties.count() == RoleDuty.objects.filter(team=other).count() > 3


def test_team_page_lists_members_by_role(client_as, people, km_team):
    response = client_as("staff").get(km_team.get_absolute_url())
    roles = {role["value"]: role["members"] for role in response.context["roles"]}
    assert [m.person for m in roles[Role.CKO]] == [people["cko"]]
    assert [m.person for m in roles[Role.SECRETARY]] == [people["secretary"]]
