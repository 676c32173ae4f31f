"""Invitees answer their invitation (attend / cannot attend, and why) on the meeting's page; the
secretary sees the answers on the meeting's page and the attendance form (issue 14)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from apps.meetings import services, services_answers
from apps.meetings.models import Attendance, AttendanceStatus
from tests.conftest import ROLES
from tests.matrix import matrix_failures
from tests.meetings.factories import AttendanceFactory, MeetingFactory

pytestmark = pytest.mark.django_db

SIGNED_IN = [role for role in ROLES if role != "anonymous"]


@pytest.fixture
def meetings(people, km_team):
    """Each role invited to an upcoming meeting, one that has begun (today, an hour ago) and one
    cancelled; plus a meeting nobody of them is invited to."""
    now = timezone.localtime()
    upcoming = MeetingFactory(team=km_team)
    begun = MeetingFactory(
        team=km_team,
        date=now.date(),
        start_time=(now - dt.timedelta(hours=1)).time().replace(microsecond=0)
        if now.hour >= 1
        else dt.time(0, 0),
        end_time=None,
    )
    cancelled = MeetingFactory(team=km_team, status="cancelled")
    for meeting in (upcoming, begun, cancelled):
        for role in ("staff", "member", "head"):
            AttendanceFactory(meeting=meeting, person=people[role])
    return {
        "upcoming": upcoming,
        "begun": begun,
        "cancelled": cancelled,
        "other": MeetingFactory(team=km_team),
    }


INVITED = {"staff", "member", "head"}
KM = {"member", "secretary", "head", "cko", "admin"}


def expected(ok: set, *, hidden: set = frozenset(), ok_status: int = 302) -> dict:
    return {
        "anonymous": 302,
        **{r: ok_status if r in ok else 404 if r in hidden else 403 for r in SIGNED_IN},
    }


def rows(m):
    answer = {"answer": "decline", "reason": "ติดราชการ"}
    url = lambda key: reverse("meetings:answer", args=[m[key].pk])  # noqa: E731
    return [
        # Only the person invited answers; the others who may open the meeting are refused
        # (403), those who may not open it find nothing (404).
        (url("upcoming"), "post", answer, expected(INVITED)),
        # A meeting that has begun, or was cancelled: the invitee is told why (302 with the
        # reason), nobody else may.
        (url("begun"), "post", answer, expected(INVITED)),
        (url("cancelled"), "post", answer, expected(INVITED)),
        (url("other"), "post", answer, expected(set(), hidden={"staff"})),
        (url("upcoming"), "get", None, {"anonymous": 302, **dict.fromkeys(SIGNED_IN, 405)}),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_answer_permission_matrix(client_as, meetings, role):
    assert matrix_failures(client_as(role), rows(meetings), role) == []
    answered = set(
        Attendance.objects.exclude(answer="").values_list("meeting_id", "person__username")
    )
    if role in INVITED:
        # Only their own invitation to the upcoming meeting took the answer.
        assert answered == {(meetings["upcoming"].pk, f"r_{role}")}
    else:
        assert answered == set()


@pytest.mark.parametrize("action", ["attend", "decline"])
@pytest.mark.parametrize("role", SIGNED_IN)
def test_answer_service_matrix(people, meetings, role, action):
    """The service decides alone (scripts, the demo data): the same matrix without pages."""
    attend = action == "attend"
    for key in ("upcoming", "begun", "cancelled", "other"):
        meeting = meetings[key]
        allowed = role in INVITED and key == "upcoming"
        if allowed:
            row = services_answers.invitation_answer(
                meeting=meeting, by=people[role], attend=attend, reason="ลาพักผ่อน"
            )
            assert row.answer == action
            assert row.answer_reason == ("" if attend else "ลาพักผ่อน")
        elif role in INVITED and key in ("begun", "cancelled"):
            with pytest.raises(ValidationError):
                services_answers.invitation_answer(meeting=meeting, by=people[role], attend=attend)
        else:
            with pytest.raises(PermissionDenied):
                services_answers.invitation_answer(meeting=meeting, by=people[role], attend=attend)


def test_an_answer_does_not_make_the_secretarys_attendance_page_stale(people, meetings):
    """GIVEN the secretary's attendance page open WHEN an invitee answers meanwhile THEN the
    secretary's save still goes through, and the answer stays."""
    meeting = meetings["upcoming"]
    row = meeting.attendances.get(person=people["staff"])
    shown = row.lock_version
    services_answers.invitation_answer(
        meeting=meeting, by=people["staff"], attend=False, reason="ลาป่วย"
    )
    services.attendance_save(
        meeting=meeting,
        by=people["secretary"],
        rows=[services.AttendanceRow(pk=row.pk, meeting_role="กรรมการ", order=3)],
        expected_versions={row.pk: shown},
    )
    row.refresh_from_db()
    assert (row.meeting_role, row.answer, row.answer_reason) == ("กรรมการ", "decline", "ลาป่วย")


def test_a_reason_is_bounded_and_cleaned(people, meetings):
    meeting = meetings["upcoming"]
    with pytest.raises(ValidationError):
        services_answers.invitation_answer(
            meeting=meeting, by=people["staff"], attend=False, reason="ก" * 201
        )
    row = services_answers.invitation_answer(
        meeting=meeting,
        by=people["staff"],
        attend=False,
        reason="\u200b ติดราชการ \n ต่างจังหวัด \ufeff",
    )
    assert row.answer_reason == "ติดราชการ ต่างจังหวัด"


def test_the_invitee_answers_on_the_page_and_the_secretary_sees_it(client_as, people, meetings):
    meeting = meetings["upcoming"]
    client = client_as("staff")
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert 'id="my-answer"' in page and "กรุณาตอบว่าจะเข้าร่วมประชุมหรือไม่" in page
    response = client.post(
        reverse("meetings:answer", args=[meeting.pk]), {"answer": "decline", "reason": "ติดราชการ"}
    )
    assert response.status_code == 302
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "ไม่สะดวกเข้าร่วม" in page and "ติดราชการ" in page
    client_as("member").post(reverse("meetings:answer", args=[meeting.pk]), {"answer": "attend"})

    secretary = client_as("secretary")
    page = secretary.get(meeting.get_absolute_url()).content.decode()
    assert "เข้าร่วม 1 คน" in page and "ไม่สะดวก 1 คน" in page and "ยังไม่ตอบ 1 คน" in page
    # No answer form for someone not invited.
    assert 'id="my-answer"' not in page

    response = secretary.get(reverse("meetings:attendance", args=[meeting.pk]))
    forms = {f.instance.person.username: f for f in response.context["formset"].forms}
    # Declined → shown as absent with the reason; the others as they are.
    assert forms["r_staff"].initial["status"] == AttendanceStatus.ABSENT
    assert forms["r_staff"].initial["reason"] == "ติดราชการ"
    assert forms["r_member"].initial["status"] == AttendanceStatus.INVITED
    html = response.content.decode()
    assert 'data-answer="decline"' in html and 'data-answer="attend"' in html
    assert "แสดงเป็นไม่มาประชุมตามที่ตอบไว้" in html


def test_the_prefilled_absence_is_saved_with_the_form(client_as, people, meetings):
    meeting = meetings["upcoming"]
    services_answers.invitation_answer(
        meeting=meeting, by=people["staff"], attend=False, reason="ติดราชการ"
    )
    secretary = client_as("secretary")
    response = secretary.get(reverse("meetings:attendance", args=[meeting.pk]))
    formset = response.context["formset"]
    data = {}
    for name, value in (
        (f"{formset.prefix}-TOTAL_FORMS", formset.total_form_count()),
        (f"{formset.prefix}-INITIAL_FORMS", formset.initial_form_count()),
        (f"{formset.prefix}-MIN_NUM_FORMS", 0),
        (f"{formset.prefix}-MAX_NUM_FORMS", 1000),
    ):
        data[name] = value
    for form in formset.forms:
        for field in form:
            value = field.value()
            if value is not None and field.name != "DELETE":
                data[field.html_name] = value
    response = secretary.post(reverse("meetings:attendance", args=[meeting.pk]), data)
    assert response.status_code == 302
    row = meeting.attendances.get(person=people["staff"])
    assert (row.status, row.reason) == (AttendanceStatus.ABSENT, "ติดราชการ")
    assert meeting.attendances.get(person=people["member"]).status == AttendanceStatus.INVITED


def test_minutes_count_those_who_declined_as_absent(people, meetings, km_team):
    meeting = MeetingFactory(team=km_team, date=timezone.localdate() + dt.timedelta(days=1))
    AttendanceFactory(meeting=meeting, person=people["staff"])
    AttendanceFactory(meeting=meeting, person=people["member"])
    services_answers.invitation_answer(
        meeting=meeting, by=people["staff"], attend=False, reason="ลาป่วย"
    )
    type(meeting).objects.filter(pk=meeting.pk).update(
        date=timezone.localdate() - dt.timedelta(days=1)
    )
    services.minutes_save(
        meeting=meeting,
        by=people["secretary"],
        details=services.MinutesDetails(opened_at=dt.time(9, 30)),
    )
    staff = meeting.attendances.get(person=people["staff"])
    assert (staff.status, staff.reason) == (AttendanceStatus.ABSENT, "ลาป่วย")
    assert meeting.attendances.get(person=people["member"]).status == AttendanceStatus.PRESENT
