"""What meetings tell people (issue 14): invitations, changes and cancellations by e-mail with
an iCalendar file (parsed back here), minutes ready, action items given, and the daily
reminders (sent once). Thai e-mails, absolute links, the right people and nobody who may not
open the meeting."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from apps.meetings import calendar, services
from apps.meetings.models import Meeting, Minutes
from apps.meetings.notices import may_open_meeting
from apps.notifications import reminders
from apps.notifications.models import Notification, SentReminder
from apps.teams.models import Role
from tests.factories import MembershipFactory, UserFactory
from tests.meetings.factories import ActionItemFactory, AttendanceFactory, MeetingFactory

pytestmark = pytest.mark.django_db

SITE = "https://km.example.go.th"
BANGKOK = ZoneInfo("Asia/Bangkok")


@pytest.fixture(autouse=True)
def site(settings):
    settings.KM_SITE_URL = SITE
    settings.KM_ORGANISATION_NAME = "สำนักงานสหกรณ์จังหวัดทดสอบ"


@pytest.fixture
def roster(people, km_team):
    MembershipFactory(person=people["member"], team=km_team, role=Role.MEMBER)
    return km_team


def details(team, day, **changes):
    values = {
        "team": team,
        "title": "การประชุมคณะทำงานการจัดการความรู้",
        "date": day,
        "start_time": dt.time(9, 30),
        "end_time": dt.time(12, 0),
        "place": "ห้องประชุมสำนักงานสหกรณ์จังหวัดชุมพร",
        "purpose": "ติดตามความก้าวหน้าตามแผน",
        **changes,
    }
    return services.MeetingDetails(**values)


def schedule(people, team, invitees, capture, day=None, **changes):
    day = day or timezone.localdate() + dt.timedelta(days=10)
    with capture(execute=True):
        return services.meeting_schedule(
            by=people["secretary"],
            details=details(team, day, **changes),
            invitees=[people[name] for name in invitees],
        )


def ics_of(message) -> Calendar:
    (attachment,) = [a for a in message.attachments if a[0].endswith(".ics")]
    _name, content, mimetype = attachment
    assert mimetype.startswith("text/calendar")
    return Calendar.from_ical(content)


def vevent(cal: Calendar):
    (event,) = cal.walk("VEVENT")
    return event


def to(person):
    return [m for m in mail.outbox if m.to == [person.email]]


def test_the_invitation_goes_to_each_invitee_in_thai_with_a_link_and_a_calendar_file(
    people, roster, django_capture_on_commit_callbacks
):
    meeting = schedule(
        people, roster, ["member", "staff", "secretary"], django_capture_on_commit_callbacks
    )
    # Not the secretary who called it; the two others, once each.
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [people["member"].email, people["staff"].email]
    )
    message = to(people["staff"])[0]
    assert "เชิญ" in message.subject and "การประชุมคณะทำงานการจัดการความรู้" in message.subject
    assert "สำนักงานสหกรณ์จังหวัดทดสอบ" in message.subject
    link = f"{SITE}/meetings/{meeting.pk}/"
    assert link in message.body
    html = message.alternatives[0][0]
    assert link in html
    assert "09.30–12.00 น." in message.body and "ห้องประชุมสำนักงานสหกรณ์จังหวัดชุมพร" in message.body

    cal = ics_of(message)
    assert str(cal["METHOD"]) == "REQUEST"
    event = vevent(cal)
    assert str(event["UID"]) == f"meeting-{meeting.pk}@km.example.go.th"
    assert int(event["SEQUENCE"]) == 0
    start, end = event.decoded("DTSTART"), event.decoded("DTEND")
    assert start == dt.datetime.combine(meeting.date, dt.time(9, 30), tzinfo=BANGKOK)
    assert start.tzinfo.key == "Asia/Bangkok" if hasattr(start.tzinfo, "key") else True
    assert event["DTSTART"].params["TZID"] == "Asia/Bangkok"
    assert end - start == dt.timedelta(hours=2, minutes=30)
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Asia/Bangkok"]
    assert str(event["SUMMARY"]).startswith("การประชุมคณะทำงานการจัดการความรู้ ครั้งที่")
    assert str(event["LOCATION"]) == "ห้องประชุมสำนักงานสหกรณ์จังหวัดชุมพร"
    assert "ติดตามความก้าวหน้าตามแผน" in str(event["DESCRIPTION"])
    assert link in str(event["DESCRIPTION"]) and str(event["URL"]) == link
    assert str(event["ORGANIZER"]) == f"mailto:{people['secretary'].email}"
    attendees = sorted(str(a) for a in event["ATTENDEE"])
    assert attendees == sorted(
        f"mailto:{people[n].email}" for n in ("member", "staff", "secretary")
    )
    # The bell: each invitee has one unread notice about the meeting.
    assert Notification.objects.filter(kind="meetings.invitation").count() == 2


def test_an_english_reader_gets_english_words_around_the_thai_meeting(
    people, roster, django_capture_on_commit_callbacks
):
    people["staff"].language = "en"
    people["staff"].save()
    schedule(people, roster, ["staff"], django_capture_on_commit_callbacks)
    (message,) = to(people["staff"])
    assert "invited you to" in message.subject


def test_a_meeting_with_no_end_lasts_two_hours_in_the_calendar(people, roster):
    meeting = MeetingFactory(team=roster, end_time=None, start_time=dt.time(13, 0))
    start, end = calendar.times(meeting)
    assert end - start == calendar.DEFAULT_DURATION == dt.timedelta(hours=2)
    event = vevent(Calendar.from_ical(calendar.calendar(meeting, method="PUBLISH")))
    assert event.decoded("DTEND") == dt.datetime.combine(
        meeting.date, dt.time(15, 0), tzinfo=BANGKOK
    )


def test_a_change_of_date_updates_the_calendar_entry_and_a_title_change_does_not(
    people, roster, django_capture_on_commit_callbacks
):
    meeting = schedule(people, roster, ["member", "staff"], django_capture_on_commit_callbacks)
    first = vevent(ics_of(to(people["staff"])[0]))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_update(
            meeting=meeting,
            by=people["secretary"],
            details=details(roster, meeting.date, title="การประชุมคณะทำงาน KM (แก้ชื่อ)"),
        )
    assert mail.outbox == []  # the title is not the calendar's business
    new_day = meeting.date + dt.timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_update(
            meeting=meeting,
            by=people["secretary"],
            details=details(roster, new_day, start_time=dt.time(13, 30), end_time=None),
            invitees=[people["head"]],
        )
    changed = to(people["staff"])
    assert len(changed) == 1 and "เปลี่ยน" in changed[0].subject
    event = vevent(ics_of(changed[0]))
    assert str(event["UID"]) == str(first["UID"])
    assert int(event["SEQUENCE"]) > int(first["SEQUENCE"])
    assert event.decoded("DTSTART") == dt.datetime.combine(new_day, dt.time(13, 30), tzinfo=BANGKOK)
    # The newly invited gets the invitation, not the change.
    (head,) = to(people["head"])
    assert "เชิญ" in head.subject
    meeting.refresh_from_db()
    assert meeting.sequence == 1


def test_the_cancellation_cancels_the_calendar_entry(
    people, roster, django_capture_on_commit_callbacks
):
    meeting = schedule(people, roster, ["member", "staff"], django_capture_on_commit_callbacks)
    first = vevent(ics_of(to(people["member"])[0]))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_cancel(meeting=meeting, by=people["secretary"])
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [people["member"].email, people["staff"].email]
    )
    message = to(people["member"])[0]
    assert "ยกเลิก" in message.subject
    cal = ics_of(message)
    assert str(cal["METHOD"]) == "CANCEL"
    event = vevent(cal)
    assert str(event["STATUS"]) == "CANCELLED"
    assert str(event["UID"]) == str(first["UID"])
    assert int(event["SEQUENCE"]) > int(first["SEQUENCE"])


def test_nobody_who_may_not_open_the_meeting_is_told(
    people, roster, django_capture_on_commit_callbacks
):
    """GIVEN staff whose invitation was withdrawn, and an inactive invitee WHEN the meeting moves
    THEN neither is told (the staff member may no longer open it)."""
    gone = UserFactory(username="gone", is_active=True)
    meeting = schedule(people, roster, ["staff"], django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        services.attendance_save(meeting=meeting, by=people["secretary"], invite=[gone])
    gone.is_active = False
    gone.save()
    staff_row = meeting.attendances.get(person=people["staff"])
    services.attendance_save(
        meeting=meeting,
        by=people["secretary"],
        rows=[services.AttendanceRow(pk=staff_row.pk, remove=True)],
    )
    assert not may_open_meeting(people["staff"], meeting)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_update(
            meeting=meeting,
            by=people["secretary"],
            details=details(roster, meeting.date + dt.timedelta(days=2)),
        )
    assert mail.outbox == []
    assert not Notification.objects.filter(kind="meetings.changed").exists()


def test_people_added_on_the_attendance_page_are_invited(
    people, roster, django_capture_on_commit_callbacks
):
    meeting = schedule(people, roster, ["member"], django_capture_on_commit_callbacks)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.attendance_save(meeting=meeting, by=people["secretary"], invite=[people["cko"]])
    (message,) = mail.outbox
    assert message.to == [people["cko"].email] and ics_of(message)


def test_no_invitation_for_a_meeting_that_took_place(
    people, roster, django_capture_on_commit_callbacks
):
    held = MeetingFactory(team=roster, date=timezone.localdate() - dt.timedelta(days=3))
    with django_capture_on_commit_callbacks(execute=True):
        services.attendance_save(meeting=held, by=people["secretary"], invite=[people["staff"]])
    assert mail.outbox == [] and not Notification.objects.exists()


def test_minutes_ready_go_to_the_invitees_in_the_digest(
    people, roster, django_capture_on_commit_callbacks
):
    held = MeetingFactory(team=roster, date=timezone.localdate() - dt.timedelta(days=1))
    AttendanceFactory(meeting=held, person=people["member"])
    AttendanceFactory(meeting=held, person=people["staff"])
    minutes = services.MinutesDetails(opened_at=dt.time(9, 30))
    with django_capture_on_commit_callbacks(execute=True):
        services.minutes_save(meeting=held, by=people["secretary"], details=minutes)
    told = Notification.objects.filter(kind="meetings.minutes_ready")
    assert sorted(n.recipient.username for n in told) == ["r_member", "r_staff"]
    assert {n.delivery for n in told} == {"digest"}
    assert mail.outbox == []  # in tomorrow's digest
    # Correcting them later tells nobody again.
    written = Minutes.objects.get(meeting=held)
    services.minutes_save(
        meeting=held,
        by=people["secretary"],
        details=minutes,
        shown=written,
        expected_version=written.lock_version,
    )
    assert told.count() == 2


def test_an_action_item_is_told_to_its_owner_once(
    people, roster, django_capture_on_commit_callbacks
):
    meeting = MeetingFactory(team=roster, date=timezone.localdate() - dt.timedelta(days=1))
    owner = people["staff"]  # not invited: the item itself lets them open the meeting
    with django_capture_on_commit_callbacks(execute=True):
        action = services.action_save(
            meeting=meeting,
            by=people["secretary"],
            description="ส่งร่างชุดความรู้ให้คณะทำงาน",
            owner=owner,
            due_date=timezone.localdate() + dt.timedelta(days=14),
        )
    (message,) = mail.outbox
    assert message.to == [owner.email]
    assert "ส่งร่างชุดความรู้ให้คณะทำงาน" in message.subject
    assert f"{SITE}/meetings/{meeting.pk}/#action-{action.pk}" in message.body
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.action_save(
            meeting=meeting,
            by=people["secretary"],
            action=action,
            description="ส่งร่างชุดความรู้ให้คณะทำงาน (แก้ไข)",
            owner=owner,
            due_date=action.due_date,
        )
    assert mail.outbox == []  # still theirs: not told again


def test_reminders_are_sent_once_whatever_the_number_of_runs(people, roster):
    today = timezone.localdate()
    tomorrow = MeetingFactory(team=roster, date=today + dt.timedelta(days=1))
    AttendanceFactory(meeting=tomorrow, person=people["member"])
    AttendanceFactory(meeting=tomorrow, person=people["staff"], answer="decline")
    AttendanceFactory(meeting=tomorrow, person=people["head"], answer="attend")
    called_off = MeetingFactory(team=roster, date=today + dt.timedelta(days=1), status="cancelled")
    AttendanceFactory(meeting=called_off, person=people["member"])
    due = ActionItemFactory(
        meeting=tomorrow, owner=people["cko"], due_date=today + dt.timedelta(days=3)
    )
    late = ActionItemFactory(
        meeting=tomorrow, owner=people["member"], due_date=today - dt.timedelta(days=2)
    )
    ActionItemFactory(  # done: no reminder
        meeting=tomorrow,
        owner=people["member"],
        due_date=today - dt.timedelta(days=2),
        status="done",
        done_on=today,
    )
    only = ["meetings.tomorrow", "meetings.action_due", "meetings.action_late"]
    first = reminders.run(today=today, only=only)
    assert (first.sent, first.already) == (3, 0)
    told = {
        (n.kind, n.recipient.username, n.target_id)
        for n in Notification.objects.filter(kind__startswith="meetings.")
    }
    assert told == {
        ("meetings.tomorrow", "r_member", tomorrow.pk),
        ("meetings.tomorrow", "r_head", tomorrow.pk),
        ("meetings.action_due", "r_cko", due.pk),
        ("meetings.action_late", "r_member", late.pk),
    }
    again = reminders.run(today=today, only=only)
    assert (again.sent, again.already) == (0, 3)
    call_command("send_reminders", "--date", today.isoformat(), stdout=__import__("io").StringIO())
    assert Notification.objects.filter(kind__startswith="meetings.").count() == 4
    assert SentReminder.objects.filter(kind__startswith="meetings.").count() == 3


def test_the_calendar_download_is_for_those_who_may_open_the_meeting(client_as, people, roster):
    meeting = MeetingFactory(team=roster)
    AttendanceFactory(meeting=meeting, person=people["member"])
    response = client_as("member").get(reverse("meetings:calendar", args=[meeting.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert 'filename="meeting-' in response["Content-Disposition"]
    cal = Calendar.from_ical(response.content)
    assert str(cal["METHOD"]) == "PUBLISH"
    assert vevent(cal).decoded("DTSTART").utcoffset() == dt.timedelta(hours=7)
    assert (
        client_as("staff").get(reverse("meetings:calendar", args=[meeting.pk])).status_code == 404
    )
    page = client_as("member").get(meeting.get_absolute_url()).content.decode()
    assert reverse("meetings:calendar", args=[meeting.pk]) in page


def test_a_meeting_held_for_another_record_follows_its_hosts_rule(people, roster):
    """The notices' rule is the meeting's searchable (``km_meeting``), whoever hosts it."""
    meeting = MeetingFactory(team=roster)
    assert may_open_meeting(people["member"], meeting)  # KM members read the team's meetings
    assert not may_open_meeting(people["staff"], meeting)
    AttendanceFactory(meeting=meeting, person=people["staff"])
    assert may_open_meeting(people["staff"], Meeting.objects.get(pk=meeting.pk))
