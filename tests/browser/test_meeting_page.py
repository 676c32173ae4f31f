"""Recording a whole meeting on one page (issue 16): the secretary adds agenda items, drags one
into place and moves another with the arrow button, takes one off, ticks the attendance from the
invitation answers, sets the chair, writes the minutes item by item (what is typed in another
item survives each save) and adds an action item under the decision. At 1440 and 390 px; the
meetings list does not scroll sideways on a phone."""

import datetime as dt
import re

from django.utils import timezone
from playwright.sync_api import expect

from apps.meetings.models import AgendaItem, Answer, Meeting, Minutes
from apps.teams.models import Role, TeamKind
from tests.browser.conftest import sign_in, write_markdown
from tests.conftest import PASSWORD
from tests.factories import MembershipFactory, TeamFactory, UserFactory
from tests.meetings.factories import AttendanceFactory, MeetingFactory

PHONE = {"width": 390, "height": 844}


def agenda(meeting, section=4):
    return list(
        AgendaItem.objects.filter(meeting=meeting, section=section)
        .order_by("order", "pk")
        .values_list("title", flat=True)
    )


def wait_for_agenda(page, count: int):
    expect(page.locator("#record-agenda .agenda-item")).to_have_count(count)
    expect(page.locator("#record-body")).not_to_have_attribute("aria-busy", "true")


def test_the_secretary_records_a_whole_meeting_on_one_page(page, screenshot):
    km_team = TeamFactory(name="ทีมงาน KM สำนักงานสหกรณ์จังหวัดชุมพร", kind=TeamKind.KM_TEAM)
    pranee = UserFactory(username="pranee", title="นางสาว", first_name="ปราณี", last_name="ใจดี")
    chair = UserFactory(username="somsak", title="นาย", first_name="สมศักดิ์", last_name="รักงาน")
    anan = UserFactory(username="anan", title="นาย", first_name="อนันต์", last_name="มั่นคง")
    mali = UserFactory(username="mali", title="นาง", first_name="มาลี", last_name="ศรีสุข")
    MembershipFactory(person=pranee, team=km_team, role=Role.SECRETARY)
    now = timezone.localtime() - dt.timedelta(hours=1)
    meeting = MeetingFactory(
        team=km_team,
        title="การประชุมคณะทำงานการจัดการความรู้",
        date=now.date(),
        start_time=dt.time(now.hour, 0),
        end_time=None,
    )
    AttendanceFactory(meeting=meeting, person=chair, answer=Answer.ATTEND, order=0)
    AttendanceFactory(meeting=meeting, person=anan, answer=Answer.ATTEND, order=1)
    AttendanceFactory(
        meeting=meeting, person=mali, answer=Answer.DECLINE, answer_reason="ติดราชการ", order=2
    )
    page.on("dialog", lambda dialog: dialog.accept())

    sign_in(page, "pranee", PASSWORD)
    page.goto(f"/meetings/{meeting.pk}/")
    page.locator("#record-meeting").click()
    expect(page).to_have_url(f"/meetings/{meeting.pk}/record/")
    # Meetings have their own entry in the navigation.
    expect(page.locator("nav a[href='/meetings/']").first).to_be_attached()

    # Agenda: three items added, no blank rows and no order numbers to type.
    for title in ("พิจารณาแผนการจัดการความรู้", "รายงานผลการดำเนินงาน", "กำหนดการประชุมครั้งต่อไป"):
        page.locator("#add_title").fill(title)
        page.locator("#agenda-add button[type=submit]").click()
        expect(page.locator("#record-agenda .agenda-item", has_text=title)).to_have_count(1)
    page.locator("#add_title").fill("ประธานแจ้งเพื่อทราบ")
    page.locator("#add_section").select_option("1")
    page.locator("#agenda-add button[type=submit]").click()
    wait_for_agenda(page, 4)
    assert page.locator("input[name$=order]").count() == 0
    assert agenda(meeting, 1) == ["ประธานแจ้งเพื่อทราบ"]

    # Reorder: drag the third item to the top by its handle; then the arrow moves one down.
    third = page.locator("#record-agenda .agenda-item", has_text="กำหนดการประชุมครั้งต่อไป")
    first = page.locator("#record-agenda .agenda-item", has_text="พิจารณาแผนการจัดการความรู้")
    expect(third.locator(".drag-handle")).to_be_visible()
    page.set_viewport_size({"width": 1440, "height": 2400})  # both items on the screen
    page.evaluate("window.scrollTo(0, 0)")
    third.locator(".drag-handle").hover()
    page.mouse.down()
    box = first.bounding_box()
    for y in (box["y"] + box["height"] / 2, box["y"] + 20, box["y"] + 8):
        page.mouse.move(box["x"] + 200, y, steps=5)
        page.wait_for_timeout(200)
    page.mouse.up()
    page.wait_for_function(
        "() => document.querySelector("
        "'#record-agenda .agenda-list[data-section=\"4\"] .item-title'"
        ").textContent.includes('กำหนดการประชุมครั้งต่อไป')"
    )
    wait_for_agenda(page, 4)
    expect(page.locator("#record-agenda .agenda-item").nth(1)).to_contain_text("4.1")
    page.set_viewport_size({"width": 1440, "height": 900})
    assert agenda(meeting) == [
        "กำหนดการประชุมครั้งต่อไป",
        "พิจารณาแผนการจัดการความรู้",
        "รายงานผลการดำเนินงาน",
    ]
    moved = AgendaItem.objects.get(title="กำหนดการประชุมครั้งต่อไป")
    page.locator(f"#down-{moved.pk}").click()
    expect(page.locator("#record-agenda .agenda-item").nth(2)).to_contain_text("4.2 กำหนด")
    page.wait_for_function(
        f"() => document.activeElement && document.activeElement.id === 'down-{moved.pk}'"
    )
    assert agenda(meeting) == [
        "พิจารณาแผนการจัดการความรู้",
        "กำหนดการประชุมครั้งต่อไป",
        "รายงานผลการดำเนินงาน",
    ]
    # ... and taken off (the confirmation is accepted).
    page.locator(f"#remove-{moved.pk}").click()
    wait_for_agenda(page, 3)
    assert agenda(meeting) == ["พิจารณาแผนการจัดการความรู้", "รายงานผลการดำเนินงาน"]

    # Attendance: ticked from the answers, the chair set, one more absent with a reason.
    page.locator("#tick-from-answers").click()
    expect(page.locator(".attendance-row[data-person=anan]")).to_have_attribute(
        "data-status", "present"
    )
    expect(page.locator(".attendance-row[data-person=mali]")).to_have_attribute(
        "data-status", "absent"
    )
    expect(page.locator("#reason-" + str(meeting.attendances.get(person=mali).pk))).to_have_value(
        "ติดราชการ"
    )
    chair_row = meeting.attendances.get(person=chair)
    page.locator(f"#chair-{chair_row.pk}").click()
    expect(page.locator(".attendance-row[data-person=somsak] .chair-badge")).to_be_visible()
    anan_row = meeting.attendances.get(person=anan)
    page.locator(f"#reason-{anan_row.pk}").fill("ลาป่วย")
    page.locator(f"#absent-{anan_row.pk}").click()
    expect(page.locator(".attendance-row[data-person=anan]")).to_have_attribute(
        "data-status", "absent"
    )

    # Minutes item by item: text typed under the second item survives saving the first.
    plan, report = (AgendaItem.objects.get(title=t) for t in agenda(meeting))
    # They are written in the same WYSIWYG editor as knowledge sets (issue 16).
    write_markdown(page, f"discussion-{report.pk}", "ฝ่ายเลขานุการรายงานความก้าวหน้า")
    write_markdown(page, f"discussion-{plan.pk}", "ที่ประชุมหารือแนวทาง\n\n- จัดทำแผน\n- ทบทวน")
    write_markdown(page, f"resolution-{plan.pk}", "ที่ประชุมมีมติเห็นชอบ")
    page.locator(f"#save-{plan.pk}").click()
    expect(page.locator("#record-body .alert-success")).to_be_visible()
    expect(page.locator(f"#discussion-{report.pk}")).to_have_value("ฝ่ายเลขานุการรายงานความก้าวหน้า")
    # The part of the page put back has its editors again, the other item's text in its own.
    expect(
        page.locator(f"#discussion-{report.pk} + .km-editor-host .toastui-editor-ww-container")
    ).to_contain_text("ฝ่ายเลขานุการรายงานความก้าวหน้า")
    expect(
        page.locator(f"#discussion-{plan.pk} + .km-editor-host .toastui-editor-ww-container li")
    ).to_have_count(2)
    minutes = Minutes.objects.get(meeting=meeting)
    assert minutes.chair == chair and minutes.recorder == pranee
    plan.refresh_from_db()
    assert plan.resolution == "ที่ประชุมมีมติเห็นชอบ"
    assert re.findall(r"^[-*] (\S+)", plan.discussion, re.M) == ["จัดทำแผน", "ทบทวน"]
    # The header now shows, with the chair from the attendance.
    expect(page.locator("#record-header #record-chair")).to_contain_text("สมศักดิ์")
    expect(page.locator("#record-header form")).to_be_visible()

    # An action item under the decision it comes from.
    item = page.locator(f"#item-{plan.pk}")
    item.locator("summary").click()
    item.locator(f"#action-text-{plan.pk}").fill("จัดทำร่างแผนการจัดการความรู้เสนอ CKO")
    expect(item.locator(f"#action-due-{plan.pk} ~ .km-picker-button")).to_be_visible()
    item.locator(f"#action-owner-{plan.pk}").select_option(str(anan.pk))
    item.locator(f"#action-save-{plan.pk}").click()
    expect(page.locator(f"#item-{plan.pk} .record-action")).to_contain_text("จัดทำร่างแผน")
    action = plan.action_items.get()
    assert action.owner == anan and action.meeting == meeting
    assert Meeting.objects.get(pk=meeting.pk).status == "held"
    screenshot("meeting-record")

    page.set_viewport_size(PHONE)
    page.reload()
    expect(page.locator("#record-agenda")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot("meeting-record-390")

    # The meetings list on a phone fits the screen: nothing scrolls sideways.
    for n in range(3):
        MeetingFactory(team=km_team, title=f"การประชุมคณะทำงานการจัดการความรู้ ครั้งที่ {n}")
    page.goto("/meetings/")
    expect(page.locator(".meeting-row")).to_have_count(4)
    overflowing = page.evaluate(
        "[...document.querySelectorAll('.table-responsive')]"
        ".filter(box => box.scrollWidth > box.clientWidth + 1).length"
    )
    assert overflowing == 0
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot("meetings-list-390")
