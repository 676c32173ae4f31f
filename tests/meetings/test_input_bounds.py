"""The meetings' forms are bounded: over a limit is a Thai message and nothing changes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.core.forms import MAX_PEOPLE
from apps.meetings import services
from apps.meetings.forms import MAX_AGENDA_ITEMS, MAX_ATTENDANCE
from apps.meetings.models import AgendaItem, Attendance, Meeting
from apps.teams.models import Role
from tests.factories import MembershipFactory, UserFactory
from tests.meetings.factories import AttendanceFactory, MeetingFactory

pytestmark = pytest.mark.django_db

TOO_MANY_PEOPLE = [str(n) for n in range(1, MAX_PEOPLE + 2)]
PEOPLE_MESSAGE = f"เลือกได้ไม่เกิน {MAX_PEOPLE} รายการ (เลือกมา {MAX_PEOPLE + 1} รายการ)"


def be(day: dt.date) -> str:
    return f"{day.day:02d}/{day.month:02d}/{day.year + 543}"


# --- Meetings ------------------------------------------------------------------------------------
@pytest.fixture
def roster(people, km_team):
    MembershipFactory(person=people["member"], team=km_team, role=Role.MEMBER)
    return km_team


def test_a_meeting_with_too_many_invitees_is_refused(client_as, roster):
    day = timezone.localdate() + dt.timedelta(days=7)
    response = client_as("secretary").post(
        reverse("meetings:create"),
        {
            "team": roster.pk,
            "title": "การประชุมคณะทำงาน",
            "date": be(day),
            "start_time": "09.30",
            "place": "ห้องประชุม",
            "invitees": TOO_MANY_PEOPLE,
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["invitees"] == [PEOPLE_MESSAGE]
    assert not Meeting.objects.exists()


def test_an_agenda_with_too_many_rows_is_refused(client_as, roster):
    meeting = MeetingFactory(team=roster)
    rows = MAX_AGENDA_ITEMS + 1
    data = {"items-TOTAL_FORMS": str(rows), "items-INITIAL_FORMS": "0"}
    for n in range(rows):
        data.update({f"items-{n}-section": "4", f"items-{n}-order": n, f"items-{n}-title": "เรื่อง"})
    response = client_as("secretary").post(reverse("meetings:agenda", args=[meeting.pk]), data)
    assert response.status_code == 200
    assert response.context["formset"].non_form_errors() == [f"ส่งได้ไม่เกิน {MAX_AGENDA_ITEMS} แถว"]
    assert not AgendaItem.objects.exists()


def test_an_attendance_form_claiming_thousands_of_rows_is_refused(client_as, people, roster):
    meeting = MeetingFactory(team=roster)
    AttendanceFactory(meeting=meeting, person=people["member"])
    response = client_as("secretary").post(
        reverse("meetings:attendance", args=[meeting.pk]),
        {"people-TOTAL_FORMS": "100000", "people-INITIAL_FORMS": "0", "invite": TOO_MANY_PEOPLE},
    )
    assert response.status_code == 200
    assert response.context["formset"].non_form_errors() == [f"ส่งได้ไม่เกิน {MAX_ATTENDANCE} แถว"]
    assert response.context["invite_form"].errors["invite"] == [PEOPLE_MESSAGE]
    assert meeting.attendances.count() == 1


def test_a_meeting_never_has_more_invitations_than_its_attendance_page_can_hold(roster, people):
    meeting = MeetingFactory(team=roster)
    crowd = [UserFactory() for _ in range(MAX_ATTENDANCE - 1)]
    assert services._invite(meeting, crowd) == MAX_ATTENDANCE - 1
    with pytest.raises(services.ValidationError) as refused:
        services._invite(meeting, [people["member"], people["head"]])
    assert "ไม่เกิน 200 คน" in refused.value.messages[0]
    assert Attendance.objects.filter(meeting=meeting).count() == MAX_ATTENDANCE - 1
