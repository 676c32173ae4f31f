"""A meeting held by another app's record (``apps.meetings.hosts``), as communities of practice
will hold their sessions: a fake host kind (a unit of the office, whose head keeps its meetings
and whose people read them) schedules, numbers, reads, keeps and adopts like the KM team does,
and the KM office's rules stay with the KM team's meetings."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import Unit
from apps.meetings import hosts, services
from apps.meetings.models import Meeting
from tests.factories import UserFactory
from tests.meetings.factories import AttendanceFactory, MeetingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit_host(people):
    """Units of the office hold meetings: the unit's chief (position "หัวหน้า") keeps them, the
    unit's people read them."""
    unit = Unit.objects.create(name="กลุ่มตรวจการสหกรณ์")
    chief = UserFactory(username="chief", unit=unit, position="หัวหน้า")
    colleague = UserFactory(username="colleague", unit=unit)
    hosts.register(
        hosts.HostKind(
            key="unit",
            label="Unit",
            model=Unit,
            keeps=lambda user, host: user.unit_id == host.pk and user.position == "หัวหน้า",
            reads=lambda user, host: user.unit_id == host.pk,
            readable=lambda user: [user.unit_id] if user.unit_id else [],
        )
    )
    yield {"unit": unit, "chief": chief, "colleague": colleague}
    hosts.unregister("unit")


def details(day: dt.date, **overrides) -> services.MeetingDetails:
    return services.MeetingDetails(
        **{
            "team": None,
            "title": "ประชุมชุมชนนักปฏิบัติ",
            "date": day,
            "start_time": dt.time(13, 30),
            "place": "ห้องประชุมเล็ก",
            **overrides,
        }
    )


def test_a_host_schedules_numbers_and_keeps_its_own_meetings(unit_host, people, km_team):
    unit, chief = unit_host["unit"], unit_host["chief"]
    today = timezone.localdate()
    # The KM secretary keeps the KM team's meetings, not the unit's.
    with pytest.raises(PermissionDenied):
        services.meeting_schedule(by=people["secretary"], details=details(today), host=unit)
    with pytest.raises(PermissionDenied):
        services.meeting_schedule(by=unit_host["colleague"], details=details(today), host=unit)
    first = services.meeting_schedule(
        by=chief, details=details(today - dt.timedelta(days=7)), host=unit
    )
    minutes = services.minutes_save(
        meeting=first, by=chief, details=services.MinutesDetails(opened_at=dt.time(13, 30))
    )
    # Yesterday: it has started (its minutes may be adopted there) at whatever hour this runs.
    second = services.meeting_schedule(
        by=chief,
        details=details(today - dt.timedelta(days=1)),
        host=unit,
        invitees=[people["staff"]],
    )
    team_meeting = MeetingFactory(team=km_team, date=today)
    assert (first.host_kind, first.host_id, first.team) == ("unit", unit.pk, None)
    assert (first.number, second.number) == (1, 2)  # numbered within the unit, not the team
    assert first.host == unit and first.host_name == unit.name
    assert chief.has_perm("meetings.add_meeting", unit)
    assert not people["secretary"].has_perm("meetings.add_meeting", unit)
    assert chief.has_perm("meetings.change_meeting", second)
    assert not chief.has_perm("meetings.change_meeting", team_meeting)
    assert not people["secretary"].has_perm("meetings.change_meeting", second)

    # The minutes are adopted at the unit's later meeting (never at the team's).
    assert [m.meeting for m in services.selectors.minutes_to_adopt(second)] == [first]
    # Scheduling proposed adopting them on the second meeting's agenda.
    assert second.agenda_items.get().section == 2
    with pytest.raises(ValidationError):
        services.minutes_adopt(minutes=minutes, at_meeting=team_meeting, by=chief)
    services.minutes_adopt(minutes=minutes, at_meeting=second, by=chief)
    minutes.refresh_from_db()
    assert minutes.is_adopted and minutes.adopted_at == second


def test_who_reads_a_hosts_meetings(client_as, unit_host, people, km_team):
    unit, chief = unit_host["unit"], unit_host["chief"]
    meeting = services.meeting_schedule(by=chief, details=details(timezone.localdate()), host=unit)
    invited = services.meeting_schedule(
        by=chief, details=details(timezone.localdate() + dt.timedelta(days=1)), host=unit
    )
    AttendanceFactory(meeting=invited, person=people["member"])
    km = MeetingFactory(team=km_team)
    colleague = unit_host["colleague"]
    # The unit's people read its meetings (and not the KM team's); a KM member reads the KM
    # team's and those of the unit they were invited to; an administrator reads everything.
    assert set(Meeting.objects.visible_to(colleague)) == {meeting, invited}
    assert set(Meeting.objects.visible_to(people["member"])) == {km, invited}
    assert set(Meeting.objects.visible_to(people["admin"])) == {meeting, invited, km}
    assert colleague.has_perm("meetings.view_meeting", meeting)
    assert not colleague.has_perm("meetings.view_meeting", km)
    assert not people["member"].has_perm("meetings.view_meeting", meeting)

    client = client_as("member")
    assert client.get(meeting.get_absolute_url()).status_code == 404  # not theirs to know of
    page = client.get(invited.get_absolute_url())
    assert page.status_code == 200 and unit.name in page.content.decode()
    assert client.get(reverse("meetings:agenda", args=[invited.pk])).status_code == 403
    client.force_login(chief)
    assert client.get(reverse("meetings:agenda", args=[meeting.pk])).status_code == 200
    response = client.get(reverse("meetings:update", args=[meeting.pk]))
    assert response.status_code == 200 and "team" not in response.context["form"].fields
    response = client.post(
        reverse("meetings:update", args=[meeting.pk]),
        {
            "title": "ประชุมชุมชนนักปฏิบัติ ครั้งพิเศษ",
            "date": f"{meeting.date.day:02d}/{meeting.date.month:02d}/{meeting.date.year + 543}",
            "start_time": "13.30",
            "place": "ห้องประชุมเล็ก",
            "lock_version": meeting.lock_version,
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    meeting.refresh_from_db()
    assert (meeting.title, meeting.host_kind, meeting.team) == (
        "ประชุมชุมชนนักปฏิบัติ ครั้งพิเศษ",
        "unit",
        None,
    )
    assert client.get(reverse("meetings:list")).status_code == 200


def test_a_meeting_has_exactly_one_host(km_team):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        MeetingFactory(team=km_team, host_kind="unit", host_id=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        MeetingFactory(team=None)
