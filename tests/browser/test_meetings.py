"""The invitation journey (issue 14): the secretary calls a meeting → the invitee sees the bell,
opens the notice, lands on the meeting and answers → the secretary sees the answer on the
attendance form. On a desktop (1440 px) and a phone (390 px: the bell sits outside the
collapsed menu)."""

import datetime as dt

from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from apps.meetings.models import Meeting
from apps.teams.models import Role, TeamKind
from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD
from tests.factories import MembershipFactory, TeamFactory, UserFactory

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1440, "height": 900}


def be(day: dt.date) -> str:
    return f"{day.day:02d}/{day.month:02d}/{day.year + 543}"


def test_an_invitation_reaches_the_invitee_who_answers_and_the_secretary_sees_it(
    page, screenshot, settings
):
    settings.KM_SITE_URL = "https://km.example.go.th"
    km_team = TeamFactory(name="ทีมงาน KM สำนักงานสหกรณ์จังหวัดชุมพร", kind=TeamKind.KM_TEAM)
    pranee = UserFactory(username="pranee", title="นางสาว", first_name="ปราณี", last_name="ใจดี")
    anan = UserFactory(username="anan", title="นาย", first_name="อนันต์", last_name="มั่นคง")
    MembershipFactory(person=pranee, team=km_team, role=Role.SECRETARY)
    MembershipFactory(person=anan, team=km_team, role=Role.MEMBER)
    day = timezone.localdate() + dt.timedelta(days=7)

    # The secretary calls the meeting; the team (anan) is invited.
    sign_in(page, "pranee", PASSWORD)
    page.goto("/meetings/new/")
    page.locator("#id_title").fill("การประชุมคณะทำงานการจัดการความรู้")
    page.locator("#id_date").fill(be(day))
    page.locator("#id_start_time").fill("09.30")
    page.locator("#id_end_time").fill("12.00")
    page.locator("#id_place").fill("ห้องประชุมสำนักงานสหกรณ์จังหวัดชุมพร")
    expect(page.locator("#id_invitees option:checked")).to_have_count(2)
    page.get_by_role("button", name="บันทึก").click()
    meeting = Meeting.objects.get()
    expect(page).to_have_url(f"/meetings/{meeting.pk}/")
    # The invitation went by e-mail with its calendar file.
    (message,) = [m for m in mail.outbox if m.to == [anan.email]]
    assert any(name.endswith(".ics") for name, *_ in message.attachments)

    # The invitee, on a phone: the bell shows one unread notice beside the menu button.
    page.context.clear_cookies()
    page.set_viewport_size(PHONE)
    sign_in(page, "anan", PASSWORD)
    bell = page.locator(".notification-bell:visible")
    expect(bell).to_have_count(1)
    expect(bell.locator("[data-unread]")).to_have_text("1")
    expect(page.locator(".navbar-toggler")).to_be_visible()
    screenshot("meetings-invitee-bell-390")
    bell.click()
    notice = page.locator(".notice-unread").first
    expect(notice).to_contain_text("เชิญคุณเข้าร่วม")
    expect(notice).to_contain_text("09.30–12.00 น.")
    screenshot("meetings-invitee-notifications-390")
    notice.get_by_role("link").first.click()
    expect(page).to_have_url(f"/meetings/{meeting.pk}/")
    expect(page.locator(".notification-bell:visible [data-unread]")).to_have_count(0)
    answer = page.locator("#my-answer")
    expect(answer).to_contain_text("กรุณาตอบว่าจะเข้าร่วมประชุมหรือไม่")
    screenshot("meetings-invitee-answer-390")
    answer.get_by_role("button", name="เข้าร่วมประชุม", exact=True).click()
    expect(page.locator("#my-answer-now")).to_contain_text("เข้าร่วม")
    expect(page.locator("#answer-counts")).to_contain_text("เข้าร่วม 1 คน")
    screenshot("meetings-invitee-answered-390")
    page.set_viewport_size(DESKTOP)
    screenshot("meetings-invitee-answered")

    # The secretary sees the answer on the attendance form.
    page.context.clear_cookies()
    sign_in(page, "pranee", PASSWORD)
    page.goto(f"/meetings/{meeting.pk}/attendance/")
    row = page.locator("tr.attendance-form", has_text="อนันต์")
    expect(row.locator("td.answer")).to_contain_text("เข้าร่วม")
    expect(page.locator("#answer-counts")).to_contain_text("เข้าร่วม 1 คน")
    screenshot("meetings-attendance-answers")
    page.set_viewport_size(PHONE)
    screenshot("meetings-attendance-answers-390")
