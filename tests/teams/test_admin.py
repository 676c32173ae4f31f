"""The admin writes through the services: what the portal's pages would do happens here too."""

import pytest
from django.urls import reverse

from apps.teams import services
from apps.teams.models import Membership, Role, Team, TeamKind
from tests.factories import TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_team_added_in_the_admin_starts_with_the_default_duties(admin_client):
    response = admin_client.post(
        reverse("admin:teams_team_add"),
        {
            "name": "กลุ่ม KM ด้านบัญชี",
            "kind": TeamKind.KM_GROUP,
            "order": 0,
            "is_active": "on",
            "memberships-TOTAL_FORMS": 0,
            "memberships-INITIAL_FORMS": 0,
            "duties-TOTAL_FORMS": 0,
            "duties-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    team = Team.objects.get(name="กลุ่ม KM ด้านบัญชี")
    assert team.duties.count() == sum(len(lines) for lines in services.DEFAULT_DUTIES.values())


def test_an_overlapping_term_is_refused_in_the_admin_too(admin_client):
    """GIVEN a member's current term WHEN the admin adds the same term again THEN the service
    refuses it: nothing is saved and the page says why."""
    team, person = TeamFactory(), UserFactory()
    Membership.objects.create(team=team, person=person, role=Role.MEMBER, start_date="2024-10-01")
    response = admin_client.post(
        reverse("admin:teams_membership_add"),
        {"team": team.pk, "person": person.pk, "role": Role.MEMBER, "start_date": "01/10/2568"},
    )
    assert response.status_code == 302
    assert Membership.objects.filter(team=team, person=person).count() == 1
    page = admin_client.get(response["Location"]).content.decode()
    assert "ดำรงบทบาทนี้" in page
