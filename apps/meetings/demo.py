"""Demo meetings of the KM team of the seed office: two meetings with minutes and action items
(the first adopted at the second), plus the next meeting with its invitations, on the demo KM
plan's activities (``apps.plans.demo``, loaded before).

Dates are placed around the day the demo is loaded, so that some action items are late and an
invitation is waiting, whenever ``seed_demo`` runs. Running it again changes nothing.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from apps.accounts.models import User
from apps.core.choices import KMStep
from apps.core.thaidates import fiscal_year
from apps.plans.models import Plan
from apps.teams.models import Team, TeamKind

from .models import (
    ActionItem,
    ActionStatus,
    AgendaItem,
    AgendaSection,
    Attendance,
    AttendanceStatus,
    Meeting,
    MeetingStatus,
    Minutes,
    MinutesStatus,
)
from .services import next_number

PLACE = "ห้องประชุมสำนักงานสหกรณ์จังหวัดชุมพร"


def seed(stdout) -> None:
    if Meeting.objects.exists():
        stdout.write("Meetings: meetings already exist; nothing added.")
        return
    people = {user.username: user for user in User.objects.all()}
    team = Team.objects.filter(kind=TeamKind.KM_TEAM).order_by("order").first()
    plan = Plan.objects.order_by("-fiscal_year").first()
    if "pranee" not in people or "somchai" not in people or team is None or plan is None:
        stdout.write("Meetings: the demo people, KM team or plan are missing; nothing loaded.")
        return
    _seed_meetings(people, team, plan, timezone.localdate())
    stdout.write("Meetings: three meetings, two with minutes and action items.")


MINUTES = {
    # agenda: (section, title, km step, activity index, discussion, resolution)
    1: [
        (
            AgendaSection.CHAIR,
            "นโยบายการจัดการความรู้ของสำนักงาน ปีงบประมาณใหม่",
            "",
            None,
            "ประธานแจ้งว่าให้ทุกกลุ่มงานนำความรู้ที่ได้ไปใช้ในการปฏิบัติงานจริง และรายงานผลทุกไตรมาส",
            "รับทราบ",
        ),
        (
            AgendaSection.CONSIDERATION,
            "บัญชีความรู้ที่จำเป็นต่อภารกิจของสำนักงาน",
            KMStep.IDENTIFY,
            0,
            "เลขานุการนำเสนอผลการระดมความคิดของแต่ละกลุ่มงาน ที่ประชุมเห็นว่าควรเพิ่มเรื่องการออกเอกสารสิทธิ์",
            "เห็นชอบบัญชีความรู้ 5 เรื่อง ตามที่เสนอ",
        ),
        (
            AgendaSection.CONSIDERATION,
            "การจัดทำฐานข้อมูลสหกรณ์สำหรับศูนย์เรียนรู้โครงการหุบกะพง",
            KMStep.ACCESS,
            5,
            "หัวหน้าทีมเสนอให้เริ่มจากข้อมูลพื้นฐานของสหกรณ์ในพื้นที่ก่อน",
            "มอบหมายกลุ่ม KM ที่ 3 รวบรวมข้อมูล",
        ),
        (AgendaSection.OTHER, "กำหนดการประชุมครั้งต่อไป", "", None, "", "ประชุมทุกเดือน"),
    ],
    2: [
        (
            AgendaSection.ARISING,
            "ความก้าวหน้าการอบรมสร้างจิตสำนึก",
            "",
            8,
            "อบรมไปแล้ว 2 รุ่น รุ่นที่ 3 เลื่อนออกไป",
            "ให้จัดรุ่นที่ 3 ให้เสร็จโดยเร็ว",
        ),
        (
            AgendaSection.CONSIDERATION,
            "แนวทางการจัดทำชุดความรู้ของกลุ่ม KM",
            KMStep.CODIFY,
            4,
            "คณะทำงานกระบวนการจัดการความรู้เสนอแบบฟอร์มชุดความรู้มาตรฐาน",
            "เห็นชอบแบบฟอร์มชุดความรู้ และให้แต่ละกลุ่มส่งร่างภายในกำหนด",
        ),
        (
            AgendaSection.CONSIDERATION,
            "การจัดตั้งชุมชนนักปฏิบัติ (CoP) การตรวจการสหกรณ์",
            KMStep.SHARE,
            6,
            "กลุ่มตรวจการสหกรณ์พร้อมเป็นแกนนำ",
            "เห็นชอบ",
        ),
    ],
}

ACTIONS = {
    # meeting: (agenda item index, description, owner, days from today due, done days ago)
    1: [
        (1, "เผยแพร่แผนการจัดการความรู้ที่ได้รับอนุมัติในมุมความรู้ออนไลน์", "pranee", -30, 32),
        (2, "รวบรวมข้อมูลพื้นฐานของสหกรณ์ในพื้นที่โครงการหุบกะพง", "malee", -5, None),
        (3, "จัดทำกำหนดการประชุมประจำเดือนของปีงบประมาณ", "pranee", -35, 36),
    ],
    2: [
        (0, "จัดอบรมสร้างจิตสำนึกรุ่นที่ 3 ให้แล้วเสร็จ", "anan", -2, None),
        (1, "ส่งร่างชุดความรู้การจัดตั้งสหกรณ์ให้คณะทำงานกระบวนการจัดการความรู้", "anan", 20, None),
        (2, "จัดประชุม CoP การตรวจการสหกรณ์ครั้งแรก", "suwit", 12, None),
    ],
}

ROSTER = [
    # username, role in the meeting, present at meeting 1, present at meeting 2, reason
    ("somchai", "ประธาน", True, True, ""),
    ("wilai", "รองประธาน", True, True, ""),
    ("anan", "คณะทำงาน", True, True, ""),
    ("suwit", "คณะทำงาน", False, True, "ติดราชการตรวจสหกรณ์"),
    ("malee", "คณะทำงาน", True, False, "ลาป่วย"),
    ("pranee", "คณะทำงานและเลขานุการ", True, True, ""),
]


def _meeting(team, date, title, purpose, by) -> Meeting:
    year = fiscal_year(date)
    return Meeting.objects.create(
        team=team,
        fiscal_year=year,
        number=next_number(team.pk, year),
        title=title,
        date=date,
        start_time=dt.time(9, 30),
        end_time=dt.time(12, 0),
        place=PLACE,
        purpose=purpose,
        called_by=by,
    )


def _seed_meetings(people, team: Team, plan: Plan, today: dt.date) -> None:
    activities = list(plan.activities.order_by("order"))
    title = "การประชุมคณะทำงานการจัดการความรู้ (KM Team)"
    held = []
    for number, days_ago in ((1, 45), (2, 14)):
        meeting = _meeting(team, today - dt.timedelta(days=days_ago), title, "", people["pranee"])
        meeting.status = MeetingStatus.HELD
        meeting.save(update_fields=["status"])
        for order, (username, role, first, second, reason) in enumerate(ROSTER):
            present = first if number == 1 else second
            Attendance.objects.create(
                meeting=meeting,
                person=people[username],
                meeting_role=role,
                status=AttendanceStatus.PRESENT if present else AttendanceStatus.ABSENT,
                reason="" if present else reason,
                order=order,
            )
        items = []
        if held:
            previous = held[-1]
            items.append(
                AgendaItem.objects.create(
                    meeting=meeting,
                    section=AgendaSection.PREVIOUS_MINUTES,
                    title=f"รับรองรายงานการประชุม ครั้งที่ {previous.reference}",
                    discussion="ที่ประชุมพิจารณารายงานการประชุมครั้งที่แล้ว ไม่มีการแก้ไข",
                    resolution="รับรองรายงานการประชุม",
                )
            )
        for order, (section, subject, step, activity, discussion, resolution) in enumerate(
            MINUTES[number]
        ):
            items.append(
                AgendaItem.objects.create(
                    meeting=meeting,
                    section=section,
                    order=order,
                    title=subject,
                    km_step=step,
                    activity=activities[activity] if activity is not None else None,
                    discussion=discussion,
                    resolution=resolution,
                )
            )
        offset = 1 if held else 0
        Minutes.objects.create(
            meeting=meeting,
            opened_at=dt.time(9, 30),
            closed_at=dt.time(11, 45),
            chair=people["somchai"],
            recorder=people["pranee"],
            checker=people["wilai"],
        )
        for index, description, owner, due_in, done_ago in ACTIONS[number]:
            item = items[index + offset]
            done_on = today - dt.timedelta(days=done_ago) if done_ago else None
            ActionItem.objects.create(
                meeting=meeting,
                agenda_item=item,
                description=description,
                owner=people[owner],
                due_date=today + dt.timedelta(days=due_in),
                activity=item.activity,
                status=ActionStatus.DONE if done_on else ActionStatus.OPEN,
                done_on=done_on,
            )
        held.append(meeting)
    first, second = held
    Minutes.objects.filter(meeting=first).update(
        status=MinutesStatus.ADOPTED, adopted_at=second, adopted_by=people["pranee"]
    )
    upcoming = _meeting(
        team,
        today + dt.timedelta(days=10),
        title,
        "ติดตามความก้าวหน้าตามแผนและพิจารณาร่างชุดความรู้",
        people["pranee"],
    )
    for order, (username, role, *_rest) in enumerate(ROSTER):
        Attendance.objects.create(
            meeting=upcoming, person=people[username], meeting_role=role, order=order
        )
    AgendaItem.objects.create(
        meeting=upcoming,
        section=AgendaSection.PREVIOUS_MINUTES,
        title=f"รับรองรายงานการประชุม ครั้งที่ {second.reference}",
    )
    AgendaItem.objects.create(
        meeting=upcoming,
        section=AgendaSection.CONSIDERATION,
        title="พิจารณาร่างชุดความรู้ของกลุ่ม KM",
        km_step=KMStep.CODIFY,
        activity=activities[4],
    )
