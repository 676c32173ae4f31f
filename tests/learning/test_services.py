"""The write paths of learning and development: registration with a waiting list and its
promotions, attendance, evaluations, mentoring sign-off, rotations, and the notices they send."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from apps.learning import notices, services
from apps.learning.models import Evaluation, LearningEvent, RegStatus
from apps.notifications import reminders
from apps.notifications.models import Notification
from tests.factories import UserFactory

from .factories import make_event, make_pair, make_rotation, register

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def told(kind: str) -> set[str]:
    return set(Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True))


def statuses(event) -> dict[str, str]:
    return dict(event.registrations.values_list("person__username", "status"))


EVENT = {
    "title": "เวทีแลกเปลี่ยนเรียนรู้ การตรวจการสหกรณ์",
    "kind": "forum",
    "km_step": "share",
    "date": dt.date(2099, 1, 10),
    "start_time": dt.time(9, 0),
    "end_time": dt.time(12, 0),
    "place": "ห้องประชุม",
    "seats": 2,
    "registration_closes": dt.date(2099, 1, 5),
}


def test_the_secretary_announces_an_event_and_the_invitees_are_told(people):
    invitees = [UserFactory(username="inv1"), UserFactory(username="inv2")]
    event = services.event_create(
        by=people["secretary"], fields=EVENT, organisers=[people["member"]], invitees=invitees
    )
    assert set(event.organisers.all()) == {people["secretary"], people["member"]}
    assert told(notices.INVITED.code) == {"inv1", "inv2"}
    with pytest.raises(PermissionDenied):
        services.event_create(by=people["member"], fields=EVENT)
    assert LearningEvent.objects.count() == 1


def test_seats_go_first_come_then_the_waiting_list_in_order(people):
    event = make_event(by=people["secretary"], seats=2)
    a, b, c, d = (UserFactory(username=name) for name in ("a", "b", "c", "d"))
    for person in (a, b, c, d):
        services.event_register(by=person, event=event)
    assert statuses(event) == {"a": "confirmed", "b": "confirmed", "c": "waiting", "d": "waiting"}
    with pytest.raises(ValidationError):
        services.event_register(by=a, event=event)  # already registered


def test_a_cancellation_promotes_the_first_waiting_person_who_is_told(people):
    event = make_event(by=people["secretary"], seats=1, date=TODAY() + dt.timedelta(days=3))
    a, b, c = (UserFactory(username=name) for name in ("a", "b", "c"))
    for person in (a, b, c):
        services.event_register(by=person, event=event)
    services.registration_cancel(by=a, event=event)
    assert statuses(event) == {"a": "cancelled", "b": "confirmed", "c": "waiting"}
    assert told(notices.SEAT_FREE.code) == {"b"}
    # A waiting person who leaves frees no seat and promotes nobody.
    services.registration_cancel(by=c, event=event)
    assert told(notices.SEAT_FREE.code) == {"b"}
    # Registering again goes to the end of the line.
    services.event_register(by=a, event=event)
    assert statuses(event)["a"] == "waiting"


def test_more_seats_seat_the_waiting_list_and_fewer_than_taken_are_refused(people):
    event = make_event(by=people["secretary"], seats=1, date=TODAY() + dt.timedelta(days=3))
    for name in ("a", "b", "c"):
        services.event_register(by=UserFactory(username=name), event=event)
    services.event_update(by=people["secretary"], event=event, fields={"seats": 2})
    assert statuses(event) == {"a": "confirmed", "b": "confirmed", "c": "waiting"}
    assert told(notices.SEAT_FREE.code) == {"b"}
    with pytest.raises(ValidationError) as refused:
        services.event_update(by=people["secretary"], event=event, fields={"seats": 1})
    assert "seats" in refused.value.error_dict
    event.refresh_from_db()
    assert event.seats == 2


def test_registration_closes_and_a_started_event_cannot_be_cancelled(people):
    closed = make_event(
        by=people["secretary"],
        date=TODAY() + dt.timedelta(days=5),
        registration_closes=TODAY() - dt.timedelta(days=1),
    )
    with pytest.raises(ValidationError, match="ปิด"):
        services.event_register(by=people["staff"], event=closed)
    today = make_event(by=people["secretary"])
    services.event_register(by=people["staff"], event=today)
    with pytest.raises(ValidationError):
        services.registration_cancel(by=people["staff"], event=today)
    assert statuses(today) == {"r_staff": "confirmed"}


def test_attendance_evaluation_and_their_rules(people):
    event = make_event(by=people["secretary"])
    came = services.event_register(by=people["staff"], event=event)
    absent = services.event_register(by=people["member"], event=event)
    with pytest.raises(PermissionDenied):
        services.attendance_mark(by=people["staff"], event=event, attended=[came.pk])
    assert services.attendance_mark(by=people["secretary"], event=event, attended=[came.pk]) == 1
    came.refresh_from_db(), absent.refresh_from_db()
    assert (came.attended, absent.attended) == (True, False)
    ratings = {"content": 5, "speakers": 4, "usefulness": 5, "organisation": 3}
    services.evaluation_submit(by=people["staff"], event=event, ratings=ratings, comments="ดีมาก")
    with pytest.raises(ValidationError):
        services.evaluation_submit(by=people["staff"], event=event, ratings=ratings)  # twice
    with pytest.raises(ValidationError):
        services.evaluation_submit(by=people["member"], event=event, ratings=ratings)  # absent
    with pytest.raises(ValidationError):
        services.evaluation_submit(
            by=people["staff"], event=event, ratings={**ratings, "content": 6}
        )
    assert Evaluation.objects.count() == 1


def test_attendance_waits_for_the_day_and_takes_only_seated_people(people):
    later = make_event(by=people["secretary"], date=TODAY() + dt.timedelta(days=2))
    seated = services.event_register(by=people["staff"], event=later)
    with pytest.raises(ValidationError):
        services.attendance_mark(by=people["secretary"], event=later, attended=[seated.pk])
    today = make_event(by=people["secretary"], seats=1, title="วันนี้")
    services.event_register(by=people["staff"], event=today)
    waiting = services.event_register(by=people["member"], event=today)
    assert waiting.status == RegStatus.WAITING
    with pytest.raises(ValidationError):
        services.attendance_mark(by=people["secretary"], event=today, attended=[waiting.pk])


def test_the_reminder_the_day_before_goes_to_the_seated_only(people):
    event = make_event(by=people["secretary"], seats=1, date=TODAY() + dt.timedelta(days=1))
    register(event, people["staff"])
    register(event, people["member"], status=RegStatus.WAITING)
    report = reminders.run(today=TODAY(), only=["learning.tomorrow"])
    assert (report.sent, report.people) == (1, 1)
    assert told(notices.TOMORROW.code) == {"r_staff"}
    again = reminders.run(today=TODAY(), only=["learning.tomorrow"])
    assert (again.sent, again.already) == (0, 1)


def test_a_pair_tells_both_and_only_its_mentor_signs_skills_off(people):
    mentee = UserFactory(username="mentee")
    pair = services.pair_create(
        by=people["secretary"],
        fields={
            "mentor": people["member"],
            "mentee": mentee,
            "topic": "การจัดตั้งสหกรณ์",
            "starts_on": dt.date(2026, 6, 1),
        },
        skills=["ตรวจเอกสาร", "ตรวจเอกสาร", " ร่างข้อบังคับ "],
    )
    assert told(notices.PAIR_CREATED.code) == {"r_member", "mentee"}
    assert list(pair.skills.values_list("skill", flat=True)) == ["ตรวจเอกสาร", "ร่างข้อบังคับ"]
    skill = pair.skills.first()
    for outsider in ("secretary", "cko", "staff"):
        with pytest.raises(PermissionDenied):
            services.skill_sign_off(by=people[outsider], skill=skill)
    services.skill_sign_off(by=people["member"], skill=skill)
    with pytest.raises(ValidationError):
        services.skill_sign_off(by=people["member"], skill=skill)
    services.session_log(by=mentee, pair=pair, held_on=dt.date(2026, 6, 8), learned="อ่านระเบียบ")
    with pytest.raises(ValidationError):
        services.session_log(by=mentee, pair=pair, held_on=dt.date(2026, 5, 1), learned="ก่อนเริ่ม")
    with pytest.raises(PermissionDenied):
        services.pair_create(
            by=people["member"],
            fields={"mentor": people["member"], "mentee": mentee, "topic": "x"},
        )
    with pytest.raises(ValidationError):
        services.pair_create(
            by=people["secretary"],
            fields={
                "mentor": mentee,
                "mentee": mentee,
                "topic": "ตัวเอง",
                "starts_on": dt.date(2026, 6, 1),
            },
        )


def test_the_rotated_person_writes_the_aar_but_cannot_change_the_record(people):
    rotation = make_rotation(person=people["staff"])
    services.rotation_review(
        by=people["staff"],
        rotation=rotation,
        fields={"learned": "ขั้นตอนการตรวจ", "aar_keep": "พี่เลี้ยง"},
    )
    rotation.refresh_from_db()
    assert rotation.has_aar and rotation.learned == "ขั้นตอนการตรวจ"
    with pytest.raises(PermissionDenied):
        services.rotation_update(by=people["staff"], rotation=rotation, fields={"to_unit": "อื่น"})
    with pytest.raises(PermissionDenied):
        services.rotation_review(by=people["member"], rotation=rotation, fields={"learned": "x"})


def test_the_person_panel_and_overview_show_only_pairs_the_viewer_may_open(rf, people):
    from apps.learning import selectors

    pair = make_pair(mentor=people["head"], mentee=people["member"])
    request = rf.get("/")
    request.user = people["staff"]
    assert selectors.person_mentoring(request, people["head"]) is None
    request.user = people["member"]
    assert selectors.person_mentoring(request, people["head"])["given"] == [pair]
    assert selectors.overview(people["member"])["pairs"] == [pair]


def test_calling_an_event_off_tells_everyone_registered_and_freezes_it(people):
    """GIVEN an event with a seated person, one waiting and one who gave up WHEN an organiser
    calls it off with a reason THEN the seated and the waiting hear why (not the one who gave
    up, nor the organiser), nobody can register, change it or mark attendance any more, and the
    reminder of the day before is not sent."""
    from apps.core.concurrency import StaleEditError

    event = make_event(by=people["secretary"], seats=1, date=TODAY() + dt.timedelta(days=1))
    register(event, people["staff"])
    register(event, people["member"], status=RegStatus.WAITING)
    register(event, UserFactory(username="gave_up"), status=RegStatus.CANCELLED)
    version = event.lock_version
    for outsider in ("staff", "member"):
        with pytest.raises(PermissionDenied):
            services.event_cancel(by=people[outsider], event=event, reason="ติดภารกิจ")
    with pytest.raises(ValidationError) as refused:
        services.event_cancel(by=people["secretary"], event=event, reason="  ")
    assert "reason" in refused.value.message_dict
    with pytest.raises(ValidationError):
        services.event_cancel(by=people["secretary"], event=event, reason="ก" * 1001)
    with pytest.raises(StaleEditError):
        services.event_cancel(
            by=people["secretary"], event=event, reason="ติดภารกิจ", expected_version=version - 1
        )
    assert not Notification.objects.filter(kind=notices.CANCELLED.code).exists()

    services.event_cancel(
        by=people["secretary"],
        event=event,
        reason="วิทยากรติดภารกิจเร่งด่วน จะแจ้งวันใหม่ภายหลัง",
        expected_version=version,
    )
    event.refresh_from_db()
    assert event.is_cancelled and event.cancel_reason.startswith("วิทยากรติดภารกิจ")
    assert told(notices.CANCELLED.code) == {"r_staff", "r_member"}
    assert "วิทยากรติดภารกิจ" in Notification.objects.filter(kind=notices.CANCELLED.code)[0].note
    assert statuses(event) == {
        "r_staff": "confirmed",
        "r_member": "waiting",
        "gave_up": "cancelled",
    }

    late = UserFactory(username="late")
    refusals = [
        lambda: services.event_register(by=late, event=event),
        lambda: services.registration_cancel(by=people["staff"], event=event),
        lambda: services.event_update(by=people["secretary"], event=event, fields={"seats": 5}),
        lambda: services.event_cancel(by=people["secretary"], event=event, reason="อีกครั้ง"),
    ]
    for refused_step in refusals:
        with pytest.raises(ValidationError):
            refused_step()
    assert statuses(event) == {
        "r_staff": "confirmed",
        "r_member": "waiting",
        "gave_up": "cancelled",
    }
    assert LearningEvent.objects.get(pk=event.pk).seats == 1
    report = reminders.run(today=TODAY(), only=["learning.tomorrow"])
    assert report.sent == 0


def test_an_event_that_has_taken_place_cannot_be_called_off(people):
    held = make_event(
        by=people["secretary"], date=TODAY() - dt.timedelta(days=1), registration_closes=None
    )
    with pytest.raises(ValidationError):
        services.event_cancel(by=people["secretary"], event=held, reason="ไม่มีผู้เข้าร่วม")
    assert not LearningEvent.objects.get(pk=held.pk).is_cancelled
    today = make_event(by=people["secretary"])  # its day is not over: it can still be called off
    services.event_cancel(by=people["secretary"], event=today, reason="ฝนตกหนัก น้ำท่วมถนน")
    assert LearningEvent.objects.get(pk=today.pk).is_cancelled
    with pytest.raises(ValidationError):
        services.attendance_mark(by=people["secretary"], event=today, attended=[])
