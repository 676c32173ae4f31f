"""The learning-event journey (issue 15): the secretary announces a training with one seat →
a staff member registers and gets it, a colleague joins the waiting list → the organiser marks
attendance → the attendee downloads the certificate. Screenshots at 1440 px and 390 px."""

import datetime as dt

from django.utils import timezone
from playwright.sync_api import expect

from apps.learning.models import LearningEvent, Registration
from apps.teams.models import Role, TeamKind
from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD
from tests.factories import MembershipFactory, TeamFactory, UserFactory
from tests.learning.factories import make_pair

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1440, "height": 900}


def be(day: dt.date) -> str:
    return f"{day.day:02d}/{day.month:02d}/{day.year + 543}"


def test_register_mark_attendance_and_download_the_certificate(page, screenshot):
    km_team = TeamFactory(name="ทีมงาน KM", kind=TeamKind.KM_TEAM)
    pranee = UserFactory(username="pranee", title="นางสาว", first_name="ปราณี", last_name="ใจดี")
    MembershipFactory(person=pranee, team=km_team, role=Role.SECRETARY)
    kannika = UserFactory(
        username="kannika", title="นางสาว", first_name="กรรณิกา", last_name="แก้วมณี"
    )
    UserFactory(username="prasert", title="นาย", first_name="ประเสริฐ", last_name="พูลผล")
    make_pair(
        mentor=pranee, mentee=kannika, skills=["ตรวจเอกสารคำขอจดทะเบียน"], goals="- อ่านระเบียบได้"
    )
    today = timezone.localdate()

    # The secretary announces a training today with one seat.
    sign_in(page, "pranee", PASSWORD)
    page.goto("/learning/events/new/")
    page.locator("#id_title").fill("อบรมการตรวจการสหกรณ์เบื้องต้น")
    page.locator("#id_date").fill(be(today))
    page.locator("#id_start_time").fill("09.00")
    page.locator("#id_end_time").fill("12.00")
    page.locator("#id_place").fill("ห้องประชุมสำนักงานสหกรณ์จังหวัดชุมพร")
    page.locator("#id_seats").fill("1")
    page.locator("#id_registration_closes").fill(be(today))
    screenshot("learning-event-form-1440")
    page.get_by_role("button", name="บันทึก").click()
    event = LearningEvent.objects.get()
    expect(page).to_have_url(f"/learning/events/{event.pk}/")

    # A staff member registers and gets the seat; a colleague, on a phone, joins the waiting list.
    page.context.clear_cookies()
    sign_in(page, "kannika", PASSWORD)
    page.goto(f"/learning/events/{event.pk}/")
    page.locator("#register").click()
    expect(page.locator("#registration-card")).to_contain_text("ท่านได้ที่นั่งแล้ว")
    page.context.clear_cookies()
    page.set_viewport_size(PHONE)
    sign_in(page, "prasert", PASSWORD)
    page.goto(f"/learning/events/{event.pk}/")
    expect(page.locator("#register")).to_have_text("ลงชื่อสำรอง")
    page.locator("#register").click()
    expect(page.locator("#registration-card")).to_contain_text("ลำดับที่ 1")
    screenshot("learning-event-waiting-390")
    assert sorted(Registration.objects.values_list("status", flat=True)) == [
        "confirmed",
        "waiting",
    ]

    # The organiser ticks who came.
    page.context.clear_cookies()
    page.set_viewport_size(DESKTOP)
    sign_in(page, "pranee", PASSWORD)
    page.goto(f"/learning/events/{event.pk}/attendance/")
    page.get_by_label("กรรณิกา แก้วมณี").check()
    screenshot("learning-attendance-1440")
    page.get_by_role("button", name="บันทึกการเข้าร่วม").click()
    expect(page).to_have_url(f"/learning/events/{event.pk}/")
    expect(page.locator("#registrations")).to_contain_text("เกียรติบัตร")
    screenshot("learning-event-organiser-1440")

    # The attendee downloads the certificate.
    page.context.clear_cookies()
    sign_in(page, "kannika", PASSWORD)
    page.goto(f"/learning/events/{event.pk}/")
    with page.expect_download() as download:
        page.locator("#my-certificate").click()
    path = download.value.path()
    with open(path, "rb") as handle:
        assert handle.read(4) == b"%PDF"
    screenshot("learning-event-attendee-1440")
    page.goto("/learning/")
    screenshot("learning-home-1440")
    page.goto("/learning/mentoring/")
    page.locator("#pairs a").first.click()
    screenshot("learning-pair-1440")
    page.set_viewport_size(PHONE)
    screenshot("learning-pair-390")
    page.goto(f"/learning/events/{event.pk}/")
    screenshot("learning-event-attendee-390")


def test_the_organiser_calls_an_event_off_and_the_registered_hear_why(page, screenshot):
    """GIVEN a forum with one person registered WHEN the secretary cancels it from its page,
    saying why, and confirms THEN the page says it is cancelled and why, registration is gone,
    and the registered person's bell has the notice."""
    from tests.learning.factories import make_event, register

    km_team = TeamFactory(name="ทีมงาน KM", kind=TeamKind.KM_TEAM)
    pranee = UserFactory(username="pranee", title="นางสาว", first_name="ปราณี", last_name="ใจดี")
    MembershipFactory(person=pranee, team=km_team, role=Role.SECRETARY)
    kannika = UserFactory(username="kannika", first_name="กรรณิกา", last_name="แก้วมณี")
    day = timezone.localdate() + dt.timedelta(days=7)
    event = make_event(
        by=pranee, title="เวทีแลกเปลี่ยนเรียนรู้ การตรวจการสหกรณ์", date=day, registration_closes=day
    )
    register(event, kannika)

    sign_in(page, "pranee", PASSWORD)
    page.goto(event.get_absolute_url())
    page.locator("#call-off summary").click()
    page.locator("#cancel-reason").fill("วิทยากรติดภารกิจเร่งด่วน จะแจ้งวันจัดใหม่ภายหลัง")
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("#call-off-button").click()
    expect(page.locator("#event-cancelled")).to_contain_text("วิทยากรติดภารกิจเร่งด่วน")
    expect(page.locator("#registration-card")).to_contain_text("ไม่มีการลงทะเบียน")
    expect(page.locator("#call-off")).to_have_count(0)
    screenshot("learning-event-cancelled-1440")
    page.set_viewport_size(PHONE)
    screenshot("learning-event-cancelled-390")
    page.set_viewport_size(DESKTOP)
    assert LearningEvent.objects.get(pk=event.pk).is_cancelled

    page.context.clear_cookies()
    sign_in(page, "kannika", PASSWORD)
    page.goto("/notifications/")
    expect(page.locator("main")).to_contain_text("วิทยากรติดภารกิจเร่งด่วน")
