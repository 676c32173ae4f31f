import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.teams.models import Role, Team
from tests.factories import MembershipFactory, TeamFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


def names(response):
    return {person.username for person in response.context["object_list"]}


def test_directory_filters(client_as, people, km_team):
    client = client_as("staff")
    group = Team.objects.get(name="กลุ่ม KM ที่ 1")
    former = UserFactory(username="former")
    MembershipFactory(
        person=former, team=group, end_date=timezone.localdate() - dt.timedelta(days=1)
    )
    assert names(
        client.get(reverse("teams:directory"), {"team": group.pk, "status": "current"})
    ) == {"r_member"}
    assert names(client.get(reverse("teams:directory"), {"team": group.pk, "status": "past"})) == {
        "former"
    }
    assert names(client.get(reverse("teams:directory"), {"team": group.pk})) == {
        "r_member",
        "former",
    }
    assert names(client.get(reverse("teams:directory"), {"role": Role.SECRETARY})) == {
        "r_secretary"
    }
    assert names(
        client.get(reverse("teams:directory"), {"role": Role.CKO, "status": "current"})
    ) == {"r_cko"}
    unit = UnitFactory(name="กลุ่มตรวจการสหกรณ์")
    UserFactory(username="auditor", unit=unit, first_name="สุวิทย์")
    assert names(client.get(reverse("teams:directory"), {"unit": unit.pk})) == {"auditor"}
    assert names(client.get(reverse("teams:directory"), {"q": "สุวิทย์"})) == {"auditor"}


def test_directory_rejects_a_bad_filter_without_error(client_as, people):
    """GIVEN a team filter that names no team WHEN the directory opens THEN it answers the page
    (no server error) with the team box marked wrong and its Thai message, and lists nobody
    rather than quietly falling back to everyone (django-filter's strict mode)."""
    client = client_as("staff")
    assert len(client.get(reverse("teams:directory")).context["object_list"]) > 0
    response = client.get(reverse("teams:directory"), {"team": "not-a-number"})
    assert response.status_code == 200
    assert list(response.context["filter"].errors) == ["team"]
    html = response.content.decode()
    assert 'id="id_team_error" class="invalid-feedback"' in html
    assert "เลือกตัวเลือกที่ถูกต้อง" in html
    assert list(response.context["object_list"]) == []


def test_directory_runs_a_bounded_number_of_queries(
    client_as, people, django_assert_max_num_queries
):
    client = client_as("staff")
    teams = [TeamFactory() for _ in range(5)]
    for index in range(60):
        person = UserFactory(unit=UnitFactory(name=f"หน่วย {index % 7}"))
        for team in teams[: index % 4]:
            MembershipFactory(person=person, team=team)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("teams:directory"))
    assert response.status_code == 200
    assert len(response.context["object_list"]) == 25


def test_team_list_runs_a_bounded_number_of_queries(
    client_as, people, django_assert_max_num_queries
):
    client = client_as("staff")
    for _ in range(20):
        MembershipFactory(team=TeamFactory())
    with django_assert_max_num_queries(8):
        response = client.get(reverse("teams:list"))
    assert response.status_code == 200
