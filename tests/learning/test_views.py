"""Pages of learning and development: bad input is refused with a Thai message and changes
nothing; good input goes through the services; a stale edit is refused."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.learning.models import Evaluation, LearningEvent, MentoringPair, SkillItem
from apps.notifications.models import Notification

from .factories import make_event, make_pair, register

pytestmark = pytest.mark.django_db


def be(day: dt.date) -> str:
    return f"{day.day:02d}/{day.month:02d}/{day.year + 543}"


def event_data(**changes) -> dict:
    day = timezone.localdate() + dt.timedelta(days=10)
    return {
        "title": "อบรมการตรวจการสหกรณ์",
        "kind": "training",
        "km_step": "share",
        "date": be(day),
        "start_time": "09.00",
        "end_time": "12.00 น.",
        "place": "ห้องประชุม",
        "seats": "20",
        "registration_closes": be(day - dt.timedelta(days=2)),
        "description": "## หัวข้อ\n\n- การตรวจเอกสาร",
        **changes,
    }


def test_the_secretary_announces_an_event_and_invites(client_as, people):
    client = client_as("secretary")
    data = event_data(invitees=[people["staff"].pk, people["member"].pk])
    response = client.post(reverse("learning:event_create"), data)
    event = LearningEvent.objects.get()
    assert response.status_code == 302 and response["Location"] == event.get_absolute_url()
    assert event.start_time == dt.time(9, 0) and event.end_time == dt.time(12, 0)
    assert set(Notification.objects.values_list("recipient__username", flat=True)) == {
        "r_staff",
        "r_member",
    }
    page = client.get(event.get_absolute_url()).content.decode()
    assert "<h2>หัวข้อ</h2>" in page or 'id="sec-1"' in page  # the description as Markdown


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"seats": "0"}, "ค่านี้ต้องมากกว่าหรือเท่ากับ 1"),
        ({"registration_closes": be(timezone.localdate() + dt.timedelta(days=30))}, "ปิดรับ"),
        ({"end_time": "08.00"}, "เวลาสิ้นสุดต้องหลังเวลาเริ่ม"),
        ({"date": "31/02/2569"}, "วัน/เดือน/ปี"),
        ({"start_time": "25.00"}, ""),
        ({"title": "ก" * 300}, ""),
    ],
)
def test_bad_event_input_is_refused_in_thai_and_saves_nothing(client_as, changes, message):
    client = client_as("secretary")
    response = client.post(reverse("learning:event_create"), event_data(**changes))
    page = response.content.decode()
    assert response.status_code == 200
    assert "alert-danger" in page and "invalid-feedback" in page
    assert message in page
    assert not LearningEvent.objects.exists()


def test_too_many_skills_and_a_bad_rating_are_refused(client_as, people):
    pair = make_pair(mentor=people["member"])
    client = client_as("member")
    skills = "\n".join(f"ทักษะ {n}" for n in range(40))
    response = client.post(reverse("learning:skills_add", args=[pair.pk]), {"skills": skills})
    assert response.status_code == 200 and "ไม่เกิน 30" in response.content.decode()
    assert not SkillItem.objects.exists()

    event = make_event(by=people["secretary"])
    register(event, people["staff"], attended=True)
    client = client_as("staff")
    url = reverse("learning:event_evaluate", args=[event.pk])
    bad = {"content": "9", "speakers": "5", "usefulness": "5", "organisation": "5"}
    response = client.post(url, bad)
    assert response.status_code == 200 and "invalid-feedback" in response.content.decode()
    assert not Evaluation.objects.exists()
    good = {**bad, "content": "4", "comments": "ได้ความรู้มาก"}
    assert client.post(url, good).status_code == 302
    assert Evaluation.objects.get().content == 4
    # Not an attendee: the service refuses with the reason, on the form.
    client = client_as("member")
    response = client.post(url, good)
    assert "เฉพาะผู้ที่เข้าร่วมกิจกรรม" in response.content.decode()
    assert Evaluation.objects.count() == 1


def test_a_stale_pair_edit_is_refused_and_keeps_the_other_change(client_as, people):
    pair = make_pair(mentor=people["member"], topic="หัวข้อเดิม")
    client = client_as("member")
    url = reverse("learning:pair_update", args=[pair.pk])
    data = {
        "topic": "หัวข้อใหม่",
        "job": "",
        "starts_on": be(pair.starts_on),
        "ends_on": "",
        "goals": "",
        "status": "active",
        "lock_version": pair.lock_version,
    }
    MentoringPair.objects.filter(pk=pair.pk).update(
        topic="คนอื่นแก้", lock_version=pair.lock_version + 1
    )
    response = client.post(url, data)
    assert response.status_code == 200
    pair.refresh_from_db()
    assert pair.topic == "คนอื่นแก้"


def test_edit_pages_post_back_what_they_show(client_as, people):
    """The event, pair and rotation edit forms, sent back as shown with one change, save it
    (dates in B.E., times as 09:00, organisers and the version carried along)."""
    from tests.forms_html import read_form

    from .factories import make_rotation

    event = make_event(by=people["secretary"], date=timezone.localdate() + dt.timedelta(days=5))
    client = client_as("secretary")
    url = reverse("learning:event_update", args=[event.pk])
    data = read_form(client.get(url))
    data["seats"] = "25"
    assert client.post(url, data).status_code == 302
    event.refresh_from_db()
    assert event.seats == 25 and event.start_time == dt.time(9, 0)
    assert list(event.organisers.all()) == [people["secretary"]]

    pair = make_pair(mentor=people["member"])
    url = reverse("learning:pair_update", args=[pair.pk])
    data = read_form(client.get(url))
    data["status"] = "completed"
    assert client.post(url, data).status_code == 302
    pair.refresh_from_db()
    assert pair.status == "completed"

    rotation = make_rotation(person=people["staff"])
    client = client_as("staff")
    url = reverse("learning:rotation_review", args=[rotation.pk])
    data = read_form(client.get(url))
    data["aar_keep"] = "ให้มีพี่เลี้ยงประจำตัว"
    assert client.post(url, data).status_code == 302
    rotation.refresh_from_db()
    assert rotation.aar_keep == "ให้มีพี่เลี้ยงประจำตัว"


def test_an_organiser_calls_an_event_off_from_its_page(client_as, people):
    """GIVEN an event with a seated person WHEN a staff member posts the call-off THEN 403 and
    nothing changes; WHEN the organiser posts it without a reason THEN a Thai message and
    nothing changes; with a reason THEN the page says it is cancelled and why, offers no
    registration, and the list marks it."""
    event = make_event(by=people["secretary"], date=timezone.localdate() + dt.timedelta(days=5))
    register(event, people["staff"])
    url = reverse("learning:event_call_off", args=[event.pk])
    page = client_as("secretary").get(event.get_absolute_url())
    assert url in page.content.decode()

    staff = client_as("staff")
    assert (
        staff.post(url, {"reason": "ไม่สะดวก", "lock_version": event.lock_version}).status_code
        == 403
    )
    assert url not in staff.get(event.get_absolute_url()).content.decode()

    secretary = client_as("secretary")
    answer = secretary.post(url, {"reason": "", "lock_version": event.lock_version}, follow=True)
    assert "บอกเหตุผลที่ยกเลิก" in answer.content.decode()
    assert not LearningEvent.objects.get(pk=event.pk).is_cancelled

    answer = secretary.post(
        url, {"reason": "วิทยากรติดภารกิจ", "lock_version": event.lock_version}, follow=True
    )
    html = answer.content.decode()
    assert "ยกเลิกกิจกรรมและแจ้งผู้ลงทะเบียนแล้ว" in html
    assert 'id="event-cancelled"' in html and "วิทยากรติดภารกิจ" in html
    assert url not in html
    assert Notification.objects.filter(
        kind="learning.cancelled", recipient=people["staff"]
    ).exists()
    other = make_event(title="กิจกรรมอื่น", date=timezone.localdate() + dt.timedelta(days=6))
    listing = client_as("member").get(reverse("learning:event_list")).content.decode()
    assert listing.count("ยกเลิกแล้ว") == 1 and other.title in listing
    detail = client_as("member").get(event.get_absolute_url()).content.decode()
    assert 'id="register"' not in detail and "ไม่มีการลงทะเบียน" in detail


def test_the_home_page_lists_coming_events_not_the_called_off_or_past(client_as, people):
    soon = make_event(title="อบรมการตรวจการสหกรณ์", date=timezone.localdate() + dt.timedelta(days=3))
    make_event(
        title="เวทีที่ยกเลิกแล้ว",
        date=timezone.localdate() + dt.timedelta(days=4),
        cancelled_at=timezone.now(),
        cancel_reason="วิทยากรติดภารกิจ",
    )
    make_event(
        title="อบรมที่จัดไปแล้ว",
        date=timezone.localdate() - dt.timedelta(days=4),
        registration_closes=None,
    )
    register(soon, people["member"])
    html = client_as("staff").get(reverse("core:home")).content.decode()
    section = html.split('id="home-learning-events"')[1].split("</section>")[0]
    assert soon.title in section and "1/10" in section
    assert "ยกเลิกแล้ว" not in section and "จัดไปแล้ว" not in section
