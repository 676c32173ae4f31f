"""The secretary's one meeting page (issue 16): agenda items added, moved and taken off; the
attendance ticked from the invitation answers; the chair carried into the minutes; minutes item
by item; action items under the decision they come from. Each step is a service call, safe
against a concurrent edit, answering with the part of the page (script) or a redirect."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from apps.core.concurrency import StaleEditError
from apps.meetings import services, services_page
from apps.meetings.models import (
    AgendaItem,
    AgendaSection,
    Answer,
    AttendanceStatus,
    Minutes,
    MinutesStatus,
)
from apps.meetings.selectors import CHAIR_ROLE
from tests.meetings.factories import (
    AgendaItemFactory,
    AttendanceFactory,
    MeetingFactory,
    MinutesFactory,
)

pytestmark = pytest.mark.django_db

FRAGMENT = {"HTTP_X_KM_FRAGMENT": "1"}


@pytest.fixture
def meeting(km_team):
    """A meeting that began an hour ago (minutes may be written)."""
    now = timezone.localtime() - dt.timedelta(hours=1)
    return MeetingFactory(
        team=km_team, date=now.date(), start_time=dt.time(now.hour, 0), end_time=None
    )


def titles(meeting, section=AgendaSection.CONSIDERATION):
    return list(
        meeting.agenda_items.filter(section=section)
        .order_by("order", "pk")
        .values_list("title", flat=True)
    )


# --- Services ------------------------------------------------------------------------------------
def test_items_are_added_at_the_end_of_their_section(meeting, people):
    secretary = people["secretary"]
    for title in ("ก", "ข"):
        services_page.agenda_add(meeting=meeting, by=secretary, title=f"  {title}  ")
    services_page.agenda_add(
        meeting=meeting, by=secretary, title="แจ้งเพื่อทราบ", section=AgendaSection.CHAIR
    )
    assert titles(meeting) == ["ก", "ข"]
    assert titles(meeting, AgendaSection.CHAIR) == ["แจ้งเพื่อทราบ"]


def test_only_the_keeper_adds_items(meeting, people):
    for role in ("staff", "member", "head", "cko"):
        with pytest.raises(PermissionDenied):
            services_page.agenda_add(meeting=meeting, by=people[role], title="x")
    assert not meeting.agenda_items.exists()


def test_a_cancelled_meeting_takes_no_new_items(meeting, people):
    services.meeting_cancel(meeting=MeetingFactory(team=meeting.team), by=people["secretary"])
    cancelled = MeetingFactory(team=meeting.team, status="cancelled")
    with pytest.raises(ValidationError):
        services_page.agenda_add(meeting=cancelled, by=people["secretary"], title="x")
    assert not cancelled.agenda_items.exists()


def test_an_item_moves_within_and_across_sections(meeting, people):
    a, _b, c = (AgendaItemFactory(meeting=meeting, title=t, order=i) for i, t in enumerate("กขค"))
    services_page.agenda_move(
        item=c, by=people["secretary"], section=AgendaSection.CONSIDERATION, index=0
    )
    assert titles(meeting) == ["ค", "ก", "ข"]
    services_page.agenda_move(item=a, by=people["secretary"], section=AgendaSection.OTHER, index=5)
    assert titles(meeting) == ["ค", "ข"]
    assert titles(meeting, AgendaSection.OTHER) == ["ก"]
    # The orders stay 0..n-1 in both sections.
    orders = list(meeting.agenda_items.order_by("section", "order").values_list("order", flat=True))
    assert orders == [0, 1, 0]


def test_moving_an_item_does_not_make_its_neighbours_stale(meeting, people):
    """Someone writing the minutes of item ก while the secretary moves ข keeps their save."""
    a, b = (AgendaItemFactory(meeting=meeting, title=t, order=i) for i, t in enumerate("กข"))
    shown = a.lock_version
    services_page.agenda_move(
        item=b, by=people["secretary"], section=b.section, index=0, expected_version=b.lock_version
    )
    services_page.item_minutes_save(
        item=a, by=people["secretary"], discussion="หารือ", resolution="รับทราบ",
        expected_version=shown,
    )  # fmt: skip
    assert AgendaItem.objects.get(pk=a.pk).resolution == "รับทราบ"


def test_a_stale_move_or_removal_is_refused(meeting, people):
    item = AgendaItemFactory(meeting=meeting)
    shown = item.lock_version
    services_page.item_minutes_save(
        item=item, by=people["secretary"], discussion="ก", resolution="", expected_version=shown
    )
    with pytest.raises(StaleEditError):
        services_page.agenda_move(
            item=item, by=people["secretary"], section=1, index=0, expected_version=shown
        )
    with pytest.raises(StaleEditError):
        services_page.agenda_remove(item=item, by=people["secretary"], expected_version=shown)
    assert AgendaItem.objects.filter(pk=item.pk, section=AgendaSection.CONSIDERATION).exists()


def test_the_first_item_written_starts_the_minutes_with_the_chair(meeting, people):
    chair = AttendanceFactory(meeting=meeting, person=people["head"])
    member = AttendanceFactory(meeting=meeting, person=people["member"], answer=Answer.DECLINE)
    services_page.chair_set(attendance=chair, by=people["secretary"])
    item = AgendaItemFactory(meeting=meeting)
    services_page.item_minutes_save(
        item=item, by=people["secretary"], discussion="หารือแนวทาง", resolution="เห็นชอบ"
    )
    minutes = Minutes.objects.get(meeting=meeting)
    assert minutes.chair == people["head"]
    assert minutes.recorder == people["secretary"]
    assert minutes.opened_at == meeting.start_time
    meeting.refresh_from_db()
    assert meeting.status == "held"
    member.refresh_from_db()
    assert member.status == AttendanceStatus.ABSENT
    item.refresh_from_db()
    assert (item.discussion, item.resolution) == ("หารือแนวทาง", "เห็นชอบ")


def test_minutes_wait_for_the_meeting_to_begin(km_team, people):
    later = MeetingFactory(team=km_team)
    item = AgendaItemFactory(meeting=later)
    with pytest.raises(ValidationError):
        services_page.item_minutes_save(
            item=item, by=people["secretary"], discussion="x", resolution=""
        )
    assert not Minutes.objects.filter(meeting=later).exists()


def test_a_new_chair_replaces_the_old_one_in_attendance_and_minutes(meeting, people):
    first = AttendanceFactory(meeting=meeting, person=people["head"])
    second = AttendanceFactory(meeting=meeting, person=people["cko"])
    MinutesFactory(meeting=meeting, chair=people["head"])
    services_page.chair_set(attendance=first, by=people["secretary"])
    services_page.chair_set(attendance=second, by=people["secretary"])
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.meeting_role, second.meeting_role) == ("", CHAIR_ROLE)
    assert second.status == AttendanceStatus.PRESENT
    assert Minutes.objects.get(meeting=meeting).chair == people["cko"]


def test_minutes_written_on_the_old_form_take_the_chair_from_attendance(meeting, people):
    chair = AttendanceFactory(meeting=meeting, person=people["cko"], meeting_role="ประธาน")
    services.minutes_save(
        meeting=meeting,
        by=people["secretary"],
        details=services.MinutesDetails(opened_at=dt.time(9, 0)),
    )
    assert Minutes.objects.get(meeting=meeting).chair == chair.person


def test_attendance_is_ticked_from_the_answers(meeting, people):
    coming = AttendanceFactory(meeting=meeting, person=people["member"], answer=Answer.ATTEND)
    away = AttendanceFactory(
        meeting=meeting, person=people["head"], answer=Answer.DECLINE, answer_reason="ติดราชการ"
    )
    silent = AttendanceFactory(meeting=meeting, person=people["cko"])
    ticked = AttendanceFactory(
        meeting=meeting, person=people["staff"], answer=Answer.ATTEND, status="absent"
    )
    count = services_page.attendance_from_answers(meeting=meeting, by=people["secretary"])
    assert count == 2
    for row in (coming, away, silent, ticked):
        row.refresh_from_db()
    assert coming.status == AttendanceStatus.PRESENT
    assert (away.status, away.reason) == (AttendanceStatus.ABSENT, "ติดราชการ")
    assert silent.status == AttendanceStatus.INVITED
    assert ticked.status == AttendanceStatus.ABSENT  # what the secretary ticked stays


def test_marking_absent_keeps_the_reason_and_present_drops_it(meeting, people):
    row = AttendanceFactory(meeting=meeting, person=people["member"])
    services_page.attendance_mark(
        attendance=row, by=people["secretary"], status="absent", reason=" ลาป่วย "
    )
    row.refresh_from_db()
    assert (row.status, row.reason) == ("absent", "ลาป่วย")
    shown = row.lock_version
    services_page.attendance_mark(
        attendance=row, by=people["secretary"], status="present", reason="x",
        expected_version=shown,
    )  # fmt: skip
    row.refresh_from_db()
    assert (row.status, row.reason) == ("present", "")
    with pytest.raises(StaleEditError):
        services_page.attendance_mark(
            attendance=row, by=people["secretary"], status="absent", expected_version=shown
        )


def test_adopted_minutes_refuse_every_step(meeting, people):
    item = AgendaItemFactory(meeting=meeting)
    row = AttendanceFactory(meeting=meeting, person=people["member"])
    MinutesFactory(meeting=meeting, status=MinutesStatus.ADOPTED, adopted_at=meeting)
    steps = [
        lambda: services_page.agenda_add(meeting=meeting, by=people["secretary"], title="x"),
        lambda: services_page.agenda_remove(item=item, by=people["secretary"]),
        lambda: services_page.agenda_move(item=item, by=people["secretary"], section=1, index=0),
        lambda: services_page.attendance_mark(
            attendance=row, by=people["secretary"], status="present"
        ),
        lambda: services_page.chair_set(attendance=row, by=people["secretary"]),
        lambda: services_page.attendance_from_answers(meeting=meeting, by=people["secretary"]),
    ]
    for step in steps:
        with pytest.raises(ValidationError):
            step()
    assert AgendaItem.objects.filter(pk=item.pk, section=AgendaSection.CONSIDERATION).exists()


def test_a_row_of_another_meeting_is_refused(meeting, people, km_team):
    other = AgendaItemFactory(meeting=MeetingFactory(team=km_team))
    other.meeting = meeting  # a forged pairing
    with pytest.raises(PermissionDenied):
        services_page.agenda_remove(item=other, by=people["secretary"])
    assert AgendaItem.objects.filter(pk=other.pk).exists()


# --- Views ---------------------------------------------------------------------------------------
def test_the_page_shows_agenda_attendance_and_no_order_numbers(client_as, meeting, people):
    AgendaItemFactory(meeting=meeting, title="พิจารณาแผนการจัดการความรู้")
    AttendanceFactory(meeting=meeting, person=people["member"], answer=Answer.ATTEND)
    response = client_as("secretary").get(reverse("meetings:record", args=[meeting.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "พิจารณาแผนการจัดการความรู้" in html
    assert 'id="tick-from-answers"' in html
    assert "display order" not in html and "ลำดับการแสดง" not in html
    assert 'name="order"' not in html


def test_a_step_answers_with_the_part_of_the_page_for_the_script(client_as, meeting, people):
    client = client_as("secretary")
    response = client.post(
        reverse("meetings:record_agenda_add", args=[meeting.pk]),
        {"title": "รับรองรายงานการประชุม", "section": "2"},
        **FRAGMENT,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="record-body"')
    assert "รับรองรายงานการประชุม" in html and "alert-success" in html
    assert titles(meeting, AgendaSection.PREVIOUS_MINUTES) == ["รับรองรายงานการประชุม"]


def test_without_script_a_step_redirects_back_to_the_page(client_as, meeting):
    response = client_as("secretary").post(
        reverse("meetings:record_agenda_add", args=[meeting.pk]), {"title": "ก", "section": "4"}
    )
    assert response.status_code == 302
    assert response.url == reverse("meetings:record", args=[meeting.pk]) + "#record-agenda"


def test_bad_input_says_why_and_changes_nothing(client_as, meeting):
    client = client_as("secretary")
    response = client.post(
        reverse("meetings:record_agenda_add", args=[meeting.pk]),
        {"title": "", "section": "9"},
        **FRAGMENT,
    )
    assert response.status_code == 400
    assert "alert-danger" in response.content.decode()
    assert not meeting.agenda_items.exists()
    item = AgendaItemFactory(meeting=meeting)
    response = client.post(
        reverse("meetings:item_move", args=[item.pk]), {"index": "abc"}, **FRAGMENT
    )
    assert response.status_code == 400
    response = client.post(
        reverse("meetings:item_action", args=[item.pk]),
        {"description": "ส่งรายงาน", "owner": "", "due_date": "31/02/2569"},
        **FRAGMENT,
    )
    assert response.status_code == 400
    assert not item.action_items.exists()


def test_up_and_down_buttons_reorder_without_script(client_as, meeting):
    a, b = (AgendaItemFactory(meeting=meeting, title=t, order=i) for i, t in enumerate("กข"))
    client = client_as("secretary")
    client.post(
        reverse("meetings:item_move", args=[b.pk]),
        {"direction": "up", "lock_version": b.lock_version},
    )
    assert titles(meeting) == ["ข", "ก"]
    a.refresh_from_db()
    client.post(
        reverse("meetings:item_move", args=[a.pk]),
        {"direction": "up", "lock_version": a.lock_version + 5},
    )
    assert titles(meeting) == ["ข", "ก"]  # stale: refused


def test_an_action_item_lands_under_its_decision(client_as, meeting, people):
    item = AgendaItemFactory(meeting=meeting)
    due = meeting.date + dt.timedelta(days=14)
    response = client_as("secretary").post(
        reverse("meetings:item_action", args=[item.pk]),
        {
            "description": "ส่งร่างชุดความรู้",
            "owner": people["member"].pk,
            "due_date": f"{due.day:02d}/{due.month:02d}/{due.year + 543}",
        },
        **FRAGMENT,
    )
    assert response.status_code == 200
    action = item.action_items.get()
    assert (action.owner, action.due_date, action.meeting) == (people["member"], due, meeting)
    assert f'id="action-{action.pk}"' in response.content.decode()


def test_the_header_saves_times_and_keeps_the_attendance_chair(client_as, meeting, people):
    AttendanceFactory(meeting=meeting, person=people["cko"], meeting_role=CHAIR_ROLE)
    minutes = MinutesFactory(meeting=meeting, recorder=people["secretary"])
    response = client_as("secretary").post(
        reverse("meetings:record_header", args=[meeting.pk]),
        {
            "opened_at": "09.00 น.",
            "closed_at": "08:00",
            "recorder": people["secretary"].pk,
            "lock_version": minutes.lock_version,
        },
        **FRAGMENT,
    )
    assert response.status_code == 400
    assert "invalid-feedback" in response.content.decode()
    response = client_as("secretary").post(
        reverse("meetings:record_header", args=[meeting.pk]),
        {
            "opened_at": "09.00 น.",
            "closed_at": "11:30",
            "recorder": people["secretary"].pk,
            "lock_version": minutes.lock_version,
        },
        **FRAGMENT,
    )
    assert response.status_code == 200
    minutes.refresh_from_db()
    assert (minutes.closed_at, minutes.chair) == (dt.time(11, 30), people["cko"])


def test_others_cannot_take_steps(client_as, meeting, people):
    item = AgendaItemFactory(meeting=meeting, title="ก")
    row = AttendanceFactory(meeting=meeting, person=people["staff"])
    for role in ("staff", "member", "head", "cko"):
        client = client_as(role)
        expected = 403
        assert client.get(reverse("meetings:record", args=[meeting.pk])).status_code == expected
        for url in (
            reverse("meetings:item_remove", args=[item.pk]),
            reverse("meetings:attendance_mark", args=[row.pk]),
            reverse("meetings:record_agenda_add", args=[meeting.pk]),
        ):
            data = {"status": "present", "title": "x", "section": "4"}
            assert client.post(url, data, **FRAGMENT).status_code == expected
    row.refresh_from_db()
    assert row.status == AttendanceStatus.INVITED
    assert titles(meeting) == ["ก"]


def test_the_meeting_page_links_the_one_page_and_not_the_old_forms(client_as, meeting):
    html = client_as("secretary").get(meeting.get_absolute_url()).content.decode()
    assert reverse("meetings:record", args=[meeting.pk]) in html
    assert reverse("meetings:agenda", args=[meeting.pk]) not in html
    assert reverse("meetings:attendance", args=[meeting.pk]) not in html


def test_meetings_have_their_own_navigation_entry(client_as):
    html = client_as("staff").get(reverse("core:home")).content.decode()
    assert f'href="{reverse("meetings:list")}"' in html
