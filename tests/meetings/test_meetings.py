"""Meetings: scheduling and invitations, agenda, attendance, minutes, action items (late ones
stand out), adoption at the next meeting, and the Thai government layout for printing."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from apps.meetings import services
from apps.meetings.models import ActionItem, AgendaItem, Attendance, Meeting, Minutes
from apps.teams.models import Role
from tests.factories import MembershipFactory, TeamFactory
from tests.meetings.factories import (
    ActionItemFactory,
    AgendaItemFactory,
    AttendanceFactory,
    MeetingFactory,
    MinutesFactory,
)
from tests.plans.factories import ActivityFactory, PlanFactory

pytestmark = pytest.mark.django_db


def meetings_part(parts: list[dict]) -> dict:
    """What meetings add to a page of the plans app (``apps.plans.extensions``)."""
    return next(part for part in parts if part["template"].startswith("meetings/"))


def be(day: dt.date) -> str:
    return f"{day.day:02d}/{day.month:02d}/{day.year + 543}"


@pytest.fixture
def roster(people, km_team):
    """The KM team's roster: the people fixture's secretary, head and CKO, plus a member."""
    MembershipFactory(person=people["member"], team=km_team, role=Role.MEMBER)
    return km_team


def schedule(client, team, day, **overrides):
    data = {
        "team": team.pk,
        "title": "การประชุมคณะทำงานการจัดการความรู้",
        "date": be(day),
        "start_time": "09.30 น.",
        "end_time": "12:00",
        "place": "ห้องประชุมสำนักงานสหกรณ์จังหวัดชุมพร",
        "purpose": "",
        "invitees": [],
        **overrides,
    }
    return client.post(reverse("meetings:create"), data)


def test_the_secretary_schedules_and_the_team_is_invited(client_as, people, roster):
    client = client_as("secretary")
    form = client.get(reverse("meetings:create")).context["form"]
    invited = {person.pk for person in form.initial["invitees"]}
    assert invited == {people[r].pk for r in ("member", "secretary", "head", "cko")}

    day = timezone.localdate() + dt.timedelta(days=5)
    response = schedule(client, roster, day, invitees=sorted(invited))
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response["Location"] == meeting.get_absolute_url()
    # Nothing is e-mailed: the message says where the invitation shows, and no more.
    said = [str(m) for m in client.get(response["Location"]).context["messages"]]
    assert not any("ส่ง" in text for text in said), said  # "sent"
    assert any("หน้าหลัก" in text for text in said), said  # "home page"
    assert (meeting.number, meeting.start_time, meeting.end_time) == (
        1,
        dt.time(9, 30),
        dt.time(12, 0),
    )
    assert set(meeting.attendances.values_list("person_id", flat=True)) == invited

    # A second meeting is no. 2 of the year; the first has not been held, so it has no minutes
    # to adopt yet (see test_the_agenda_and_the_sidebar_name_the_same_held_meeting).
    schedule(client, roster, day + dt.timedelta(days=30))
    second = Meeting.objects.get(number=2)
    assert not second.agenda_items.exists()

    # The invitation waits on the member's home page.
    home = client_as("member").get("/")
    entries = next(
        e["items"] for e in home.context["sections"] if e["section"].key.startswith("plans")
    )
    assert [entry.obj for entry in entries if entry.kind == "meeting"] == [meeting]
    assert f"/meetings/{meeting.pk}/" in home.content.decode()


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"date": "31/02/2569"}, "date"),
        ({"start_time": "25:00"}, "start_time"),
        ({"start_time": "10:00", "end_time": "09:00"}, "end_time"),
        ({"place": ""}, "place"),
    ],
)
def test_bad_meeting_details_are_refused(client_as, roster, overrides, field):
    response = schedule(client_as("secretary"), roster, timezone.localdate(), **overrides)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Meeting.objects.exists()


def test_numbers_restart_each_fiscal_year_and_per_team(roster):
    other = TeamFactory(name="คณะทำงานสร้างชุดความรู้", kind="working_group")
    assert services.next_number(roster.pk, 2569) == 1
    MeetingFactory(team=roster, date=dt.date(2025, 9, 30), number=7)  # fiscal year 2568
    MeetingFactory(team=roster, date=dt.date(2025, 10, 1), number=1)  # fiscal year 2569
    assert services.next_number(roster.pk, 2569) == 2
    assert services.next_number(roster.pk, 2568) == 8
    assert services.next_number(other.pk, 2569) == 1


def test_agenda_attendance_minutes_and_action_items(client_as, people, roster):
    plan = PlanFactory(approved=True)
    activity = ActivityFactory(plan=plan)
    meeting = MeetingFactory(team=roster, date=timezone.localdate() - dt.timedelta(days=1))
    member = AttendanceFactory(meeting=meeting, person=people["member"])
    head = AttendanceFactory(meeting=meeting, person=people["head"])
    client = client_as("secretary")

    response = client.post(
        reverse("meetings:agenda", args=[meeting.pk]),
        {
            "items-TOTAL_FORMS": "2",
            "items-INITIAL_FORMS": "0",
            "items-0-section": "4",
            "items-0-order": "1",
            "items-0-title": "แนวทางการจัดทำชุดความรู้",
            "items-0-km_step": "codify",
            "items-0-activity": activity.pk,
            # An extra row left as it was: ignored.
            "items-1-section": "4",
            "items-1-order": "0",
            "items-1-title": "",
        },
    )
    assert response.status_code == 302
    item = AgendaItem.objects.get()
    assert (item.section, item.km_step, item.activity) == (4, "codify", activity)

    response = client.post(
        reverse("meetings:attendance", args=[meeting.pk]),
        {
            "people-TOTAL_FORMS": "2",
            "people-INITIAL_FORMS": "2",
            "people-0-id": member.pk,
            "people-0-meeting": meeting.pk,
            "people-0-status": "absent",
            "people-0-reason": "ติดราชการ",
            "people-0-meeting_role": "คณะทำงาน",
            "people-0-order": "2",
            "people-1-id": head.pk,
            "people-1-meeting": meeting.pk,
            "people-1-status": "invited",
            "people-1-reason": "",
            "people-1-meeting_role": "ประธาน",
            "people-1-order": "1",
            "invite": [people["cko"].pk],
        },
    )
    assert response.status_code == 302
    assert meeting.attendances.count() == 3

    response = client.post(
        reverse("meetings:minutes", args=[meeting.pk]),
        {
            "opened_at": "09.35",
            "closed_at": "11.50 น.",
            "chair": people["head"].pk,
            "recorder": people["secretary"].pk,
            "checker": people["head"].pk,
            "guests": "นายประยูร วิทยากร ผู้แทนกรมส่งเสริมสหกรณ์",
            "items-TOTAL_FORMS": "1",
            "items-INITIAL_FORMS": "1",
            "items-0-id": item.pk,
            "items-0-meeting": meeting.pk,
            "items-0-discussion": "ที่ประชุมหารือแบบฟอร์มชุดความรู้",
            "items-0-resolution": "เห็นชอบแบบฟอร์ม",
        },
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == "held"
    assert Minutes.objects.get(meeting=meeting).opened_at == dt.time(9, 35)
    item.refresh_from_db()
    assert item.resolution == "เห็นชอบแบบฟอร์ม"
    # Whoever was only "invited" came: the minutes say the meeting took place.
    statuses = dict(meeting.attendances.values_list("person__username", "status"))
    assert statuses == {"r_member": "absent", "r_head": "present", "r_cko": "present"}

    due = timezone.localdate() + dt.timedelta(days=14)
    response = client.post(
        reverse("meetings:action_create", args=[meeting.pk]),
        {
            "agenda_item": item.pk,
            "description": "ส่งร่างชุดความรู้ให้คณะทำงาน",
            "owner": people["member"].pk,
            "due_date": be(due),
            "activity": activity.pk,
        },
    )
    action = ActionItem.objects.get()
    assert response.status_code == 302
    assert (action.owner, action.due_date, action.activity) == (people["member"], due, activity)

    # The action item shows on the activity (to those who may read the minutes) and on the
    # owner's page.
    page = client_as("head").get(activity.get_absolute_url())
    assert list(meetings_part(page.context["parts"])["actions"]) == [action]
    page = client_as("staff").get(activity.get_absolute_url())
    assert list(meetings_part(page.context["parts"])["actions"]) == []
    person = client_as("head").get(people["member"].get_absolute_url())
    panel = next(ctx for panel, ctx in person.context["panels"] if panel.key == "plans")
    assert meetings_part(panel["parts"])["actions"] == [action]


def test_an_action_item_cannot_be_due_before_the_meeting(client_as, people, roster):
    meeting = MeetingFactory(team=roster)
    response = client_as("secretary").post(
        reverse("meetings:action_create", args=[meeting.pk]),
        {
            "description": "x",
            "owner": people["member"].pk,
            "due_date": be(meeting.date - dt.timedelta(days=1)),
        },
    )
    assert "due_date" in response.context["form"].errors


def test_late_action_items_stand_out(client_as, people, roster):
    meeting = MeetingFactory(team=roster, date=timezone.localdate() - dt.timedelta(days=30))
    late = ActionItemFactory(
        meeting=meeting, owner=people["member"], due_date=timezone.localdate() - dt.timedelta(1)
    )
    on_time = ActionItemFactory(meeting=meeting, owner=people["member"])
    done = ActionItemFactory(
        meeting=meeting,
        owner=people["member"],
        due_date=timezone.localdate() - dt.timedelta(days=3),
        status="done",
        done_on=timezone.localdate(),
    )
    assert list(ActionItem.objects.late()) == [late]
    assert late.is_late() and not on_time.is_late() and not done.is_late()

    page = client_as("member").get(people["member"].get_absolute_url())
    panel = next(ctx for panel, ctx in page.context["panels"] if panel.key == "plans")
    part = meetings_part(panel["parts"])
    assert part["actions"][0] == late and part["late_count"] == 1
    html = page.content.decode()
    assert f'id="action-{late.pk}"' in html
    assert "list-group-item-danger late" in html.split(f'id="action-{late.pk}"')[0][-200:]

    home = client_as("member").get("/")
    entries = next(
        e["items"] for e in home.context["sections"] if e["section"].key.startswith("plans")
    )
    assert [(e.obj, e.late) for e in entries if e.kind == "action"] == [
        (late, True),
        (on_time, False),
    ]


def test_the_owner_marks_an_action_item_done(client_as, people, roster):
    action = ActionItemFactory(meeting=MeetingFactory(team=roster), owner=people["member"])
    client_as("member").post(
        reverse("meetings:action_done", args=[action.pk]), {"note": "ส่งแล้วทางอีเมล"}
    )
    action.refresh_from_db()
    assert (action.status, action.done_on, action.done_note) == (
        "done",
        timezone.localdate(),
        "ส่งแล้วทางอีเมล",
    )
    client_as("member").post(reverse("meetings:action_reopen", args=[action.pk]))
    action.refresh_from_db()
    assert action.status == "open" and action.done_on is None


def test_minutes_are_adopted_at_a_later_meeting_and_then_locked(client_as, people, roster):
    today = timezone.localdate()
    first = MeetingFactory(team=roster, date=today - dt.timedelta(days=30))
    minutes = MinutesFactory(meeting=first)
    second = MeetingFactory(team=roster, date=today - dt.timedelta(days=1))
    other_team = MeetingFactory(team=TeamFactory(name="กลุ่ม KM ที่ 2"), date=today)

    with pytest.raises(ValidationError):
        services.minutes_adopt(minutes=minutes, at_meeting=other_team, by=people["secretary"])
    earlier = MeetingFactory(team=roster, date=today - dt.timedelta(days=40))
    with pytest.raises(ValidationError):
        services.minutes_adopt(minutes=minutes, at_meeting=earlier, by=people["secretary"])

    client = client_as("secretary")
    detail = client.get(second.get_absolute_url())
    assert [m.meeting for m in detail.context["to_adopt"]] == [first]
    response = client.post(
        reverse("meetings:minutes_adopt", args=[first.pk]),
        {"at_meeting": second.pk, "note": "รับรองโดยไม่มีการแก้ไข"},
    )
    assert response.status_code == 302
    minutes.refresh_from_db()
    assert (minutes.status, minutes.adopted_at, minutes.adopted_by) == (
        "adopted",
        second,
        people["secretary"],
    )
    # Adopted minutes are final: no page and no service changes them.
    assert client.get(reverse("meetings:minutes", args=[first.pk])).status_code == 403
    assert client.get(reverse("meetings:agenda", args=[first.pk])).status_code == 403
    with pytest.raises(ValidationError):
        services.action_save(
            meeting=first,
            by=people["secretary"],
            description="แก้รายงาน",
            owner=people["member"],
            due_date=first.date,
        )
    second_page = client_as("head").get(second.get_absolute_url())
    assert [m.meeting for m in second_page.context["adopted_here"]] == [first]


def test_a_meeting_with_minutes_cannot_be_cancelled(people, roster):
    meeting = MeetingFactory(team=roster)
    MinutesFactory(meeting=meeting)
    with pytest.raises(ValidationError):
        services.meeting_cancel(meeting=meeting, by=people["secretary"])


def test_invitees_see_their_meeting_and_no_other(client_as, people, roster):
    mine = MeetingFactory(team=roster)
    AttendanceFactory(meeting=mine, person=people["staff"])
    other = MeetingFactory(team=roster)
    response = client_as("staff").get(reverse("meetings:list"))
    assert list(response.context["meetings"]) == [mine]
    # A meeting they may not open answers as if it did not exist.
    assert client_as("staff").get(other.get_absolute_url()).status_code == 404
    response = client_as("member").get(reverse("meetings:list"))
    assert set(response.context["meetings"]) == {mine, other}


def test_the_print_view_is_laid_out_as_thai_minutes(client_as, people, roster):
    meeting = MeetingFactory(team=roster, date=dt.date(2025, 3, 13), number=3)
    AttendanceFactory(meeting=meeting, person=people["head"], status="present")
    AttendanceFactory(meeting=meeting, person=people["member"], status="absent", reason="ลาป่วย")
    item = AgendaItemFactory(meeting=meeting, section=4, title="พิจารณาแผน KM")
    item.resolution = "เห็นชอบ"
    item.save()
    MinutesFactory(
        meeting=meeting,
        opened_at=dt.time(9, 30),
        closed_at=dt.time(12, 0),
        recorder=people["secretary"],
        checker=people["head"],
    )
    response = client_as("cko").get(reverse("meetings:minutes_print", args=[meeting.pk]))
    html = response.content.decode()
    assert "วันพฤหัสบดีที่ 13 มีนาคม 2568" in html  # the day, with its weekday, in B.E.
    assert "09.30 น." in html and "12.00 น." in html
    assert html.index(str(people["head"])) < html.index(str(people["member"])) < html.index("ลาป่วย")
    # The five sections in order, each once.
    sections = response.context["sections"]
    assert [s["number"] for s in sections] == [1, 2, 3, 4, 5]
    assert html.count("section-title") == 5 + 2 + 2  # sections, present and absent, times
    signatures = html.split('class="signature"')
    assert len(signatures) == 3
    assert str(people["secretary"]) in signatures[1] and str(people["head"]) in signatures[2]


def test_attendance_is_unique_per_person(roster, people):
    meeting = MeetingFactory(team=roster)
    AttendanceFactory(meeting=meeting, person=people["member"])
    services._invite(meeting, [people["member"], people["head"]])
    assert Attendance.objects.filter(meeting=meeting).count() == 2


# --- Minutes record what happened: only once a meeting has begun ---------------------------------
def minutes_data(meeting, people) -> dict:
    return {
        "opened_at": "09.35",
        "closed_at": "11.50",
        "chair": people["head"].pk,
        "recorder": people["secretary"].pk,
        "checker": "",
        "guests": "",
        "items-TOTAL_FORMS": "0",
        "items-INITIAL_FORMS": "0",
    }


def test_minutes_of_a_future_meeting_are_refused(client_as, people, roster):
    """GIVEN a meeting next week WHEN the secretary saves minutes for it THEN nothing is saved,
    the meeting stays scheduled and stays on its invitees' home pages."""
    meeting = MeetingFactory(team=roster)
    AttendanceFactory(meeting=meeting, person=people["member"])
    client = client_as("secretary")
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert f'href="{reverse("meetings:minutes", args=[meeting.pk])}"' not in page
    assert client.get(reverse("meetings:minutes", args=[meeting.pk])).status_code == 302
    response = client.post(
        reverse("meetings:minutes", args=[meeting.pk]), minutes_data(meeting, people)
    )
    assert response.status_code in (200, 302)
    meeting.refresh_from_db()
    assert meeting.status == "scheduled" and not Minutes.objects.exists()
    assert meeting.attendances.get().status == "invited"
    home = client_as("member").get("/")
    assert f"/meetings/{meeting.pk}/" in home.content.decode()
    with pytest.raises(ValidationError):
        services.minutes_save(
            meeting=meeting,
            by=people["secretary"],
            details=services.MinutesDetails(opened_at=dt.time(9, 30)),
        )


def test_a_meeting_has_begun_at_its_start_time():
    meeting = MeetingFactory.build(date=dt.date(2025, 3, 13), start_time=dt.time(9, 30))
    tz = timezone.get_current_timezone()
    assert not meeting.has_started(now=dt.datetime(2025, 3, 13, 9, 29, tzinfo=tz))
    assert meeting.has_started(now=dt.datetime(2025, 3, 13, 9, 30, tzinfo=tz))
    assert meeting.has_started(now=dt.datetime(2025, 3, 14, 0, 0, tzinfo=tz))


def test_a_meeting_with_minutes_cannot_move_into_the_future(client_as, people, roster):
    meeting = MeetingFactory(team=roster, date=timezone.localdate() - dt.timedelta(days=2))
    client = client_as("secretary")
    client.post(reverse("meetings:minutes", args=[meeting.pk]), minutes_data(meeting, people))
    meeting.refresh_from_db()
    assert meeting.status == "held"
    later = timezone.localdate() + dt.timedelta(days=20)
    data = {
        "team": roster.pk,
        "title": meeting.title,
        "date": be(later),
        "start_time": "09:30",
        "end_time": "",
        "place": meeting.place,
        "purpose": "",
        "invitees": [],
    }
    response = client.post(reverse("meetings:update", args=[meeting.pk]), data)
    assert response.status_code == 200
    meeting.refresh_from_db()
    assert meeting.date == timezone.localdate() - dt.timedelta(days=2)


def test_the_agenda_and_the_sidebar_name_the_same_held_meeting(client_as, people, roster):
    """GIVEN meeting A held (minutes not yet adopted) and meeting B scheduled but not yet held
    WHEN meeting C is scheduled THEN its agenda proposes adopting A's minutes, as its sidebar
    does."""
    today = timezone.localdate()
    client = client_as("secretary")
    held = MeetingFactory(team=roster, date=today - dt.timedelta(days=20), number=1)
    client.post(reverse("meetings:minutes", args=[held.pk]), minutes_data(held, people))
    not_yet = MeetingFactory(team=roster, date=today + dt.timedelta(days=3), number=2)
    schedule(client, roster, today + dt.timedelta(days=30))
    new = Meeting.objects.exclude(pk__in=[held.pk, not_yet.pk]).get()
    item = new.agenda_items.get(section=2)
    assert held.reference in item.title and not_yet.reference not in item.title
    page = client.get(new.get_absolute_url())
    assert [m.meeting for m in page.context["to_adopt"]] == [held]
    # The sidebar cannot adopt them at a meeting that has not taken place yet.
    assert (
        f'action="{reverse("meetings:minutes_adopt", args=[held.pk])}"' not in page.content.decode()
    )


def test_no_adoption_item_when_no_held_meeting_awaits_it(client_as, roster):
    today = timezone.localdate()
    MeetingFactory(team=roster, date=today + dt.timedelta(days=3), number=1)  # not yet held
    schedule(client_as("secretary"), roster, today + dt.timedelta(days=30))
    new = Meeting.objects.get(date=today + dt.timedelta(days=30))
    assert not new.agenda_items.filter(section=2).exists()


def test_minutes_are_not_adopted_at_a_meeting_that_has_not_taken_place(client_as, people, roster):
    today = timezone.localdate()
    first = MeetingFactory(team=roster, date=today - dt.timedelta(days=30))
    minutes = MinutesFactory(meeting=first)
    future = MeetingFactory(team=roster, date=today + dt.timedelta(days=5))
    with pytest.raises(ValidationError):
        services.minutes_adopt(minutes=minutes, at_meeting=future, by=people["secretary"])
    client = client_as("secretary")
    client.post(reverse("meetings:minutes_adopt", args=[first.pk]), {"at_meeting": future.pk})
    minutes.refresh_from_db()
    assert minutes.status == "draft"
    form = client.get(first.get_absolute_url()).context["adopt_form"]
    assert future not in form.fields["at_meeting"].queryset


# --- Links to meetings: only to those the viewer may open -----------------------------------------
def test_an_activity_page_shows_only_the_meetings_the_viewer_may_open(client_as, people, roster):
    """GIVEN an activity discussed at a KM-team meeting plain staff were not invited to WHEN
    plain staff open the activity THEN neither that meeting nor its action items show (the
    minutes are not theirs to read); KM members see both."""
    activity = ActivityFactory(plan=PlanFactory(approved=True))
    closed = MeetingFactory(team=roster, title="การประชุมภายในทีม KM")
    AgendaItemFactory(meeting=closed, activity=activity, title="วาระลับของทีม")
    ActionItemFactory(
        meeting=closed, activity=activity, owner=people["member"], description="งานของทีม"
    )
    invited = MeetingFactory(team=roster, title="การประชุมที่เชิญทุกคน")
    AttendanceFactory(meeting=invited, person=people["staff"])
    AgendaItemFactory(meeting=invited, activity=activity, title="วาระเปิด")

    html = client_as("staff").get(activity.get_absolute_url()).content.decode()
    assert closed.get_absolute_url() not in html
    assert "วาระลับของทีม" not in html and "งานของทีม" not in html
    assert invited.get_absolute_url() in html and "วาระเปิด" in html
    html = client_as("member").get(activity.get_absolute_url()).content.decode()
    assert closed.get_absolute_url() in html and "งานของทีม" in html


def test_the_owner_of_an_action_item_may_open_its_meeting(client_as, people, roster):
    """A person given an action item by a meeting they were not invited to still follows its
    link from their home page to the meeting's record."""
    meeting = MeetingFactory(team=roster, date=timezone.localdate() - dt.timedelta(days=1))
    action = ActionItemFactory(meeting=meeting, owner=people["staff"])
    client = client_as("staff")
    home = client.get("/").content.decode()
    assert action.get_absolute_url().split("#")[0] in home
    assert client.get(meeting.get_absolute_url()).status_code == 200
    assert meeting in Meeting.objects.visible_to(people["staff"])
    other = MeetingFactory(team=roster)
    assert client.get(other.get_absolute_url()).status_code == 404
