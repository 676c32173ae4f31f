"""The teams' forms are bounded: over a limit is a Thai message and nothing changes."""

from __future__ import annotations

import pytest
from django.urls import reverse

from apps.core.forms import MAX_CHOICES, TEXT_MAX_LENGTH
from apps.teams import services
from apps.teams.forms import MAX_DUTIES
from apps.teams.models import AppointmentOrder, Team, TeamKind
from tests.factories import TeamFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "changes, field, message",
    [
        (
            {"description": "ก" * (TEXT_MAX_LENGTH + 1)},
            "description",
            f"ค่านี้ต้องมีไม่เกิน {TEXT_MAX_LENGTH} ตัวอักษร (ปัจจุบันมี {TEXT_MAX_LENGTH + 1} ตัวอักษร)",
        ),
        ({"name": "\u200b\u200d\u2060"}, "name", "ฟิลด์นี้จำเป็น"),
    ],
)
def test_a_team_over_a_limit_is_refused(client_as, people, changes, field, message):
    data = {"name": "ชุมชนนักปฏิบัติ", "kind": TeamKind.KM_GROUP, "order": 0, **changes}
    before = Team.objects.count()
    response = client_as("secretary").post(reverse("teams:create"), data)
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert Team.objects.count() == before


def test_too_many_duties_for_a_role_are_refused_and_the_old_ones_kept(client_as, people):
    team = TeamFactory()
    services.duties_replace(by=people["secretary"], team=team, duties=services.DEFAULT_DUTIES)
    before = list(team.duties.values_list("role", "text"))
    lines = "\n".join(f"หน้าที่ {n}" for n in range(MAX_DUTIES + 1))
    response = client_as("secretary").post(
        reverse("teams:duties", args=[team.pk]),
        {"cko": lines, "head": "", "secretary": "", "member": ""},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["cko"] == [
        f"ระบุหน้าที่ได้ไม่เกิน {MAX_DUTIES} ข้อต่อบทบาท (ระบุมา {MAX_DUTIES + 1} ข้อ)"
    ]
    assert list(team.duties.values_list("role", "text")) == before


def test_a_duty_line_of_only_invisible_characters_is_dropped(client_as, people):
    team = TeamFactory()
    response = client_as("secretary").post(
        reverse("teams:duties", args=[team.pk]),
        {"cko": "สนับสนุน\n\u200b\n\ufeff \u2060", "head": "", "secretary": "", "member": ""},
    )
    assert response.status_code == 302
    assert list(team.duties.values_list("text", flat=True)) == ["สนับสนุน"]


def test_an_order_naming_too_many_teams_is_refused(client_as, km_team):
    data = {
        "number": 5,
        "year": 2551,
        "issued_on": "12/03/2551",
        "subject": "แต่งตั้งคณะทำงาน",
        "issuing_office": "สำนักงานสหกรณ์จังหวัดชุมพร",
        "teams": [str(n) for n in range(1, MAX_CHOICES + 2)],
    }
    response = client_as("secretary").post(reverse("teams:order_create"), data)
    assert response.status_code == 200
    assert response.context["form"].errors["teams"]
    assert not AppointmentOrder.objects.exists()


def test_the_directory_filter_box_is_bounded(client_as):
    response = client_as("staff").get(reverse("teams:directory"), {"q": "ก" * 201})
    assert response.status_code == 200
    assert response.context["filter"].form.errors["q"] == [
        "ค่านี้ต้องมีไม่เกิน 200 ตัวอักษร (ปัจจุบันมี 201 ตัวอักษร)"
    ]
