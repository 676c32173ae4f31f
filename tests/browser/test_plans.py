import datetime as dt

from django.utils import timezone
from playwright.sync_api import expect

from apps.core.thaidates import format_date_short
from apps.meetings.models import ActionItem, Meeting
from apps.teams.models import Role, TeamKind
from tests.browser.conftest import sign_in, write_markdown
from tests.conftest import PASSWORD
from tests.factories import MembershipFactory, TeamFactory, UserFactory
from tests.plans.factories import ActivityFactory, PlanFactory


def be(day: dt.date) -> str:
    return f"{day.day:02d}/{day.month:02d}/{day.year + 543}"


def test_secretary_records_a_meeting_and_the_owner_sees_the_action_item(page, screenshot):
    """GIVEN the KM team WHEN the secretary schedules a meeting, sets its agenda, writes the
    minutes and gives an action item to a member THEN the member finds it on their page and
    their home page, and on the plan activity it serves."""
    km_team = TeamFactory(name="ทีมงาน KM สำนักงานสหกรณ์จังหวัดชุมพร", kind=TeamKind.KM_TEAM)
    pranee = UserFactory(username="pranee", title="นางสาว", first_name="ปราณี", last_name="ใจดี")
    anan = UserFactory(username="anan", title="นาย", first_name="อนันต์", last_name="มั่นคง")
    MembershipFactory(person=pranee, team=km_team, role=Role.SECRETARY)
    MembershipFactory(person=anan, team=km_team, role=Role.MEMBER)
    activity = ActivityFactory(
        plan=PlanFactory(approved=True),
        title="ถอดบทเรียนและจัดทำชุดความรู้ของกลุ่ม KM",
        owners=[anan],
    )
    today = timezone.localdate()
    due = today + dt.timedelta(days=14)

    sign_in(page, "pranee", PASSWORD)
    page.goto("/meetings/new/")
    page.locator("#id_title").fill("การประชุมคณะทำงานการจัดการความรู้")
    # Yesterday's meeting: minutes can be written once a meeting has begun.
    page.locator("#id_date").fill(be(today - dt.timedelta(days=1)))
    page.locator("#id_start_time").fill("09.30")
    page.locator("#id_end_time").fill("12.00")
    page.locator("#id_place").fill("ห้องประชุมสำนักงานสหกรณ์จังหวัดชุมพร")
    expect(page.locator("#id_invitees option:checked")).to_have_count(2)  # the team
    screenshot("plans-meeting-schedule")
    page.get_by_role("button", name="บันทึก").click()
    meeting = Meeting.objects.get()
    expect(page).to_have_url(f"/meetings/{meeting.pk}/")

    page.goto(f"/meetings/{meeting.pk}/agenda/")
    page.locator("#id_items-0-title").fill("แนวทางการจัดทำชุดความรู้ของกลุ่ม KM")
    page.locator("#id_items-0-activity").select_option(str(activity.pk))
    page.get_by_role("button", name="บันทึก").click()
    expect(page.locator(".agenda-item")).to_contain_text("แนวทางการจัดทำชุดความรู้")

    page.goto(f"/meetings/{meeting.pk}/minutes/")
    page.locator("#id_opened_at").fill("09.35")
    page.locator("#id_closed_at").fill("11.50")
    write_markdown(page, "id_items-0-discussion", "ที่ประชุมหารือแบบฟอร์มชุดความรู้มาตรฐาน")
    write_markdown(page, "id_items-0-resolution", "เห็นชอบแบบฟอร์มชุดความรู้")
    screenshot("plans-minutes-form")
    page.get_by_role("button", name="บันทึก").click()
    expect(page.locator(".agenda-item .resolution")).to_contain_text("เห็นชอบแบบฟอร์มชุดความรู้")

    page.goto(f"/meetings/{meeting.pk}/actions/new/")
    page.locator("#id_agenda_item").select_option(index=1)
    page.locator("#id_description").fill("ส่งร่างชุดความรู้การจัดตั้งสหกรณ์ให้คณะทำงาน")
    page.locator("#id_owner").select_option(str(anan.pk))
    page.locator("#id_due_date").fill(be(due))
    page.locator("#id_activity").select_option(str(activity.pk))
    page.get_by_role("button", name="บันทึก").click()
    action = ActionItem.objects.get()
    expect(page.locator(f"#action-{action.pk}")).to_contain_text("ส่งร่างชุดความรู้")
    screenshot("plans-meeting")

    page.goto(f"/meetings/{meeting.pk}/minutes/print/")
    expect(page.locator("article.minutes")).to_contain_text("09.35 น.")
    screenshot("plans-minutes-print")

    # The owner signs in: the action item waits on the home page and on their own page.
    page.context.clear_cookies()
    sign_in(page, "anan", PASSWORD)
    expect(page.locator("#my-km-work")).to_contain_text("ส่งร่างชุดความรู้")
    page.goto("/profile/")
    panel = page.locator("#km-work")
    expect(panel.locator(f"#action-{action.pk}")).to_contain_text(format_date_short(due))
    expect(panel).to_contain_text("ส่งร่างชุดความรู้การจัดตั้งสหกรณ์ให้คณะทำงาน")
    screenshot("plans-owner-page")
    page.goto(activity.get_absolute_url())
    expect(page.locator(f"#action-{action.pk}")).to_be_visible()

    # ... and marks it done.
    page.goto("/profile/")
    panel.locator(f"#action-{action.pk} button[type=submit]").click()
    expect(page.locator(f"#action-{action.pk} .bi-check-circle-fill")).to_be_visible()
    action.refresh_from_db()
    assert action.status == "done" and action.done_on == today
