"""Two requests at the same moment: the second is refused with the form's message, never a 500.

Each test forces the race: the form's check is made to pass (as it does for both requests when
neither has saved yet), so the database's unique constraint, or the service's locked re-check,
is what refuses the second.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from apps.teams import services
from apps.teams.forms import MembershipForm
from apps.teams.models import AppointmentOrder, Membership, Role, Team, TeamKind
from tests.factories import AppointmentOrderFactory, MembershipFactory, TeamFactory, UserFactory
from tests.teams.test_orders import order_data, pdf_upload

pytestmark = pytest.mark.django_db


def stored_files() -> set[Path]:
    return {p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()}


def test_a_team_name_taken_at_the_same_moment_is_refused(client_as, people, monkeypatch):
    TeamFactory(name="ชุมชนนักปฏิบัติด้านบัญชี")
    monkeypatch.setattr(Team, "validate_unique", lambda self, exclude=None: None)
    client = client_as("secretary")
    client.raise_request_exception = False
    response = client.post(
        reverse("teams:create"),
        {"name": "ชุมชนนักปฏิบัติด้านบัญชี", "kind": TeamKind.KM_GROUP, "order": 0},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["name"]
    assert Team.objects.filter(name="ชุมชนนักปฏิบัติด้านบัญชี").count() == 1


def test_an_order_number_taken_at_the_same_moment_is_refused_and_its_scan_removed(
    client_as, km_team, monkeypatch
):
    AppointmentOrderFactory(number=5, year=2551, issuing_office="สำนักงานสหกรณ์จังหวัดชุมพร")
    monkeypatch.setattr(AppointmentOrder, "validate_constraints", lambda self, exclude=None: None)
    before = stored_files()
    client = client_as("secretary")
    client.raise_request_exception = False
    response = client.post(
        reverse("teams:order_create"), {**order_data(km_team), "scan": pdf_upload()}
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert AppointmentOrder.objects.count() == 1
    assert stored_files() == before


def test_the_same_term_added_twice_at_the_same_moment_is_refused(people):
    """Both secretaries' forms were valid when checked; the second save finds the first's
    term under the team's lock."""
    team = TeamFactory(kind=TeamKind.KM_GROUP)
    person = UserFactory()
    data = {"person": person.pk, "role": Role.MEMBER, "start_date": "01/10/2568"}
    first, second = (MembershipForm(data, team=team) for _ in range(2))
    assert first.is_valid() and second.is_valid()
    secretary = people["secretary"]
    services.membership_add(by=secretary, team=team, fields=first.membership_fields())
    with pytest.raises(ValidationError) as refused:
        services.membership_add(by=secretary, team=team, fields=second.membership_fields())
    assert refused.value.code == "overlap"
    assert Membership.objects.filter(person=person, team=team).count() == 1


def test_the_roster_page_shows_the_refusal(client_as, people, km_team, monkeypatch):
    person = UserFactory()
    MembershipFactory(person=person, team=km_team, role=Role.MEMBER)
    monkeypatch.setattr(MembershipForm, "clean", lambda self: self.cleaned_data)
    client = client_as("secretary")
    client.raise_request_exception = False
    start = timezone.localdate() - dt.timedelta(days=3)
    response = client.post(
        reverse("teams:membership_add", args=[km_team.pk]),
        {
            "person": person.pk,
            "role": Role.MEMBER,
            "start_date": f"{start:%d/%m}/{start.year + 543}",
        },
    )
    assert response.status_code == 200
    assert "ดำรงบทบาทนี้" in " ".join(response.context["form"].non_field_errors())
    assert Membership.objects.filter(person=person, team=km_team).count() == 1
