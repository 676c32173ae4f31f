"""Two people keeping the same meeting: details, agenda, attendance, minutes and action items
saved from an out-of-date page are refused with what changed and keep what was typed; steps
taken from an out-of-date page (cancel, adopt, mark done) do nothing."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.meetings.models import ActionItem, AgendaItem, Attendance, Meeting, Minutes
from apps.teams.models import Role
from tests.factories import MembershipFactory
from tests.forms_html import STALE_TH, assert_refused, read_form, save_from_two_tabs, signed_in
from tests.meetings.factories import (
    ActionItemFactory,
    AgendaItemFactory,
    AttendanceFactory,
    MeetingFactory,
    MinutesFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(people, km_team):
    MembershipFactory(person=people["member"], team=km_team, role=Role.MEMBER)
    return MeetingFactory(
        team=km_team, date=timezone.localdate() - dt.timedelta(days=1), purpose="วาระเดิม"
    )


def test_the_meeting_details(people, meeting):
    response, _tab = save_from_two_tabs(
        reverse("meetings:update", args=[meeting.pk]),
        people["secretary"],
        people["admin"],
        first_changes={"place": "ห้องประชุมชั้น 3"},
        second_changes={"purpose": "ทบทวนแผนไตรมาสที่ 2"},
    )
    assert_refused(response, shows=["ห้องประชุมชั้น 3"], keeps=["ทบทวนแผนไตรมาสที่ 2"])
    meeting.refresh_from_db()
    assert (meeting.place, meeting.purpose) == ("ห้องประชุมชั้น 3", "วาระเดิม")


def test_the_agenda(people, meeting):
    item = AgendaItemFactory(meeting=meeting, title="หัวข้อเดิม", detail="")
    response, _tab = save_from_two_tabs(
        reverse("meetings:agenda", args=[meeting.pk]),
        people["secretary"],
        people["admin"],
        first_changes={"items-0-title": "หัวข้อที่เลขานุการแก้"},
        second_changes={"items-0-detail": "รายละเอียดที่ผู้ดูแลเพิ่ม"},
    )
    assert_refused(response, shows=["หัวข้อที่เลขานุการแก้"], keeps=["รายละเอียดที่ผู้ดูแลเพิ่ม"])
    item.refresh_from_db()
    assert (item.title, item.detail) == ("หัวข้อที่เลขานุการแก้", "")


def test_the_attendance(people, meeting):
    row = AttendanceFactory(meeting=meeting, person=people["member"])
    response, _tab = save_from_two_tabs(
        reverse("meetings:attendance", args=[meeting.pk]),
        people["secretary"],
        people["admin"],
        first_changes={"people-0-status": "absent", "people-0-reason": "ติดราชการ"},
        second_changes={"people-0-meeting_role": "กรรมการและเลขานุการ"},
    )
    assert_refused(response, shows=["ติดราชการ"], keeps=["กรรมการและเลขานุการ"])
    row = Attendance.objects.get(pk=row.pk)
    assert (row.status, row.reason, row.meeting_role) == ("absent", "ติดราชการ", "")


def test_the_minutes_header(people, meeting):
    MinutesFactory(meeting=meeting, guests="")
    item = AgendaItemFactory(meeting=meeting)
    response, _tab = save_from_two_tabs(
        reverse("meetings:minutes", args=[meeting.pk]),
        people["secretary"],
        people["admin"],
        first_changes={"guests": "ผู้แทนกรมส่งเสริมสหกรณ์"},
        second_changes={"items-0-discussion": "ที่ประชุมหารือเรื่องแบบฟอร์ม"},
    )
    assert_refused(response, shows=["ผู้แทนกรมส่งเสริมสหกรณ์"], keeps=["ที่ประชุมหารือเรื่องแบบฟอร์ม"])
    assert Minutes.objects.get(meeting=meeting).guests == "ผู้แทนกรมส่งเสริมสหกรณ์"
    assert AgendaItem.objects.get(pk=item.pk).discussion == ""


def test_what_an_agenda_item_discussed(people, meeting):
    MinutesFactory(meeting=meeting)
    item = AgendaItemFactory(meeting=meeting)
    response, _tab = save_from_two_tabs(
        reverse("meetings:minutes", args=[meeting.pk]),
        people["secretary"],
        people["admin"],
        first_changes={"items-0-discussion": "บันทึกของเลขานุการ"},
        second_changes={"items-0-resolution": "มติที่ผู้ดูแลพิมพ์"},
    )
    assert_refused(response, shows=["บันทึกของเลขานุการ"], keeps=["มติที่ผู้ดูแลพิมพ์"])
    item.refresh_from_db()
    assert (item.discussion, item.resolution) == ("บันทึกของเลขานุการ", "")


def test_the_first_minutes_written_in_two_tabs(people, meeting):
    """Neither tab saw minutes: the second no longer creates a second copy (an error page
    before) nor overwrites the first."""
    response, _tab = save_from_two_tabs(
        reverse("meetings:minutes", args=[meeting.pk]),
        people["secretary"],
        people["admin"],
        first_changes={"guests": "แขกจากแท็บแรก"},
        second_changes={"guests": "แขกจากแท็บที่สอง"},
    )
    assert_refused(response, shows=["แขกจากแท็บแรก"], keeps=["แขกจากแท็บที่สอง"])
    assert Minutes.objects.get(meeting=meeting).guests == "แขกจากแท็บแรก"


def test_an_action_item(people, meeting):
    action = ActionItemFactory(meeting=meeting, description="งานเดิม")
    due = action.due_date + dt.timedelta(days=7)
    response, _tab = save_from_two_tabs(
        reverse("meetings:action_update", args=[action.pk]),
        people["secretary"],
        people["admin"],
        first_changes={"description": "งานที่เลขานุการแก้"},
        second_changes={"due_date": f"{due.day:02d}/{due.month:02d}/{due.year + 543}"},
    )
    assert_refused(
        response,
        shows=["งานที่เลขานุการแก้"],
        keeps=[f"{due.day:02d}/{due.month:02d}/{due.year + 543}"],
    )
    action.refresh_from_db()
    assert action.description == "งานที่เลขานุการแก้"
    assert action.due_date != due


def _stale_step(person, page, action):
    """Read the step's form on ``page``, let someone change the record, then take the step."""
    tab = signed_in(person)
    return tab, read_form(tab.get(page), action=action)


def test_a_meeting_changed_after_the_page_was_read_is_not_cancelled(people, km_team):
    meeting = MeetingFactory(team=km_team)
    cancel = reverse("meetings:cancel", args=[meeting.pk])
    tab, data = _stale_step(people["secretary"], meeting.get_absolute_url(), cancel)
    Meeting.objects.get(pk=meeting.pk).save()
    assert STALE_TH in tab.post(cancel, data, follow=True).content.decode()
    assert Meeting.objects.get(pk=meeting.pk).status == "scheduled"


def test_minutes_corrected_after_the_page_was_read_are_not_adopted(people, meeting, km_team):
    minutes = MinutesFactory(meeting=meeting)
    # Later the same day (yesterday): a meeting that has started at whatever hour this runs.
    later = MeetingFactory(
        team=km_team, date=meeting.date, start_time=dt.time(14, 0), end_time=dt.time(16, 0)
    )
    adopt = reverse("meetings:minutes_adopt", args=[meeting.pk])
    tab, data = _stale_step(people["secretary"], meeting.get_absolute_url(), adopt)
    data["at_meeting"] = str(later.pk)
    Minutes.objects.get(pk=minutes.pk).save()
    assert STALE_TH in tab.post(adopt, data, follow=True).content.decode()
    assert not Minutes.objects.get(pk=minutes.pk).is_adopted


def test_an_action_item_changed_after_the_page_was_read_is_not_marked_done(people, meeting):
    action = ActionItemFactory(meeting=meeting, owner=people["member"])
    done = reverse("meetings:action_done", args=[action.pk])
    tab, data = _stale_step(people["member"], people["member"].get_absolute_url(), done)
    ActionItem.objects.get(pk=action.pk).save()
    assert STALE_TH in tab.post(done, data, follow=True).content.decode()
    assert not ActionItem.objects.get(pk=action.pk).is_done


def test_minutes_typed_while_they_were_adopted_come_back_with_the_reason(people, meeting, km_team):
    minutes = MinutesFactory(meeting=meeting)
    later = MeetingFactory(team=km_team, date=timezone.localdate())
    url = reverse("meetings:minutes", args=[meeting.pk])
    tab = signed_in(people["secretary"])
    data = read_form(tab.get(url))
    Minutes.objects.filter(pk=minutes.pk).update(status="adopted", adopted_at=later)
    data["guests"] = "รายชื่อที่พิมพ์ไว้"
    response = tab.post(url, data)
    assert response.status_code == 200
    assert "รายชื่อที่พิมพ์ไว้" in response.content.decode()
    assert Minutes.objects.get(pk=minutes.pk).guests != "รายชื่อที่พิมพ์ไว้"
