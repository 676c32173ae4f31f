"""Two requests at the same moment on meetings: the second is refused with a message, never a
500.

Each test forces the race: the check that runs before the save is made to pass (as it does for
both requests when neither has saved yet), so the database's unique constraint, or the
service's locked re-check, is what refuses the second.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from apps.meetings import services
from apps.meetings.forms import MinutesForm
from apps.meetings.models import Attendance, Meeting, Minutes
from apps.teams.models import Role
from tests.factories import MembershipFactory
from tests.meetings.factories import AttendanceFactory, MeetingFactory, MinutesFactory

pytestmark = pytest.mark.django_db


def be(day: dt.date) -> str:
    return f"{day.day:02d}/{day.month:02d}/{day.year + 543}"


@pytest.fixture
def roster(people, km_team):
    MembershipFactory(person=people["member"], team=km_team, role=Role.MEMBER)
    return km_team


def test_a_meeting_number_taken_at_the_same_moment_is_refused(client_as, roster, monkeypatch):
    day = timezone.localdate() + dt.timedelta(days=7)
    first = MeetingFactory(team=roster, date=day)
    monkeypatch.setattr(services, "next_number", lambda *args, **kwargs: first.number)
    client = client_as("secretary")
    client.raise_request_exception = False
    response = client.post(
        reverse("meetings:create"),
        {
            "team": roster.pk,
            "title": "การประชุมคณะทำงาน",
            "date": be(day),
            "start_time": "13.30",
            "place": "ห้องประชุม",
            "invitees": [],
        },
    )
    assert response.status_code == 200
    errors = " ".join(response.context["form"].non_field_errors())
    assert f"{first.number}/{first.fiscal_year}" in errors and "บันทึกอีกครั้ง" in errors
    assert Meeting.objects.count() == 1


def test_minutes_written_by_two_people_at_once_keep_the_first(people, roster):
    meeting = MeetingFactory(team=roster, date=timezone.localdate() - dt.timedelta(days=1))
    data = {"opened_at": "09.30", "recorder": people["secretary"].pk}
    form = MinutesForm(data, instance=None, meeting=meeting)  # the page showed no minutes
    assert form.is_valid(), form.errors
    first = MinutesFactory(meeting=meeting)  # someone else saved theirs meanwhile
    with pytest.raises(ValidationError) as refused:
        services.minutes_save(
            meeting=meeting, by=people["secretary"], details=form.details(), shown=None
        )
    assert refused.value.code == "minutes_exist"
    assert list(Minutes.objects.filter(meeting=meeting)) == [first]


def test_an_invitation_made_at_the_same_moment_is_kept_once(people, roster, monkeypatch):
    meeting = MeetingFactory(team=roster)
    AttendanceFactory(meeting=meeting, person=people["member"])
    monkeypatch.setattr(services, "invited_ids", lambda meeting: set())
    services._invite(meeting, [people["member"], people["head"]])
    assert Attendance.objects.filter(meeting=meeting).count() == 2
