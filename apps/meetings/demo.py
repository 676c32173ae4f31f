"""Demo meetings of the KM team of the seed office: two meetings with minutes and action items
(the first adopted at the second), plus the next meeting with its invitations, on the demo KM
plan's activities (``apps.plans.demo``, loaded before).

Everything is written through the services, as the secretary would on the pages. Dates are
placed around the day the demo is loaded, so that some action items are late and an invitation
is waiting, whenever ``seed_demo`` runs. Running it again changes nothing.

The services tell people as they would (invitations, a change of time, minutes ready, action
items given) and today's reminders run, with no e-mail sent (``no_email``). Notices about the
held meetings are dated on their day, those of the first read, the second's minutes not yet;
of the coming meeting's invitation, those who answered have read it and the others have not:
each demo account has a list with some read and some unread.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from apps.accounts.models import User
from apps.core.choices import KMStep
from apps.notifications import reminders
from apps.notifications.models import Notification
from apps.notifications.services import mark_read, no_email
from apps.plans.models import Plan
from apps.teams.models import Team, TeamKind

from . import services, services_answers
from .models import ActionItem, AgendaSection, AttendanceStatus, Meeting

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
    today = timezone.localdate()
    with no_email():
        _seed_meetings(people, team, plan, today)
        reminders.run(today=today, only=["meetings.action_due", "meetings.action_late"])
    stdout.write(
        "Meetings: three meetings, two with minutes and action items; their notices (no e-mail)."
    )


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


# Who has answered the coming meeting's invitation (the others have not opened it yet).
ANSWERS = [
    ("somchai", True, ""),
    ("wilai", True, ""),
    ("suwit", False, "ติดราชการตรวจสหกรณ์ต่างอำเภอ"),
]


def _settle_notices(meeting: Meeting, people, *, read: bool) -> None:
    """Notices about a held meeting (and its action items) dated on its day, and read (if
    ``read``)."""
    when = timezone.make_aware(dt.datetime.combine(meeting.date, dt.time(16, 0)))
    notices = Notification.objects.filter(
        target_type=ContentType.objects.get_for_model(Meeting), target_id=meeting.pk
    ) | Notification.objects.filter(
        target_type=ContentType.objects.get_for_model(ActionItem),
        target_id__in=meeting.action_items.values("pk"),
    )
    notices.update(created_at=when)
    if read:
        for person in people:
            mark_read(by=person, target=meeting)
            for action in meeting.action_items.filter(owner=person):
                mark_read(by=person, target=action)


def _meeting(team, date, title, purpose, people, invited) -> Meeting:
    return services.meeting_schedule(
        by=people["pranee"],
        details=services.MeetingDetails(
            team=team,
            title=title,
            date=date,
            start_time=dt.time(9, 30),
            end_time=dt.time(12, 0),
            place=PLACE,
            purpose=purpose,
        ),
        invitees=invited,
    )


def _seed_meetings(people, team: Team, plan: Plan, today: dt.date) -> None:
    """Through the services, as the secretary (pranee) would on the pages."""
    secretary = people["pranee"]
    activities = list(plan.activities.order_by("order"))
    title = "การประชุมคณะทำงานการจัดการความรู้ (KM Team)"
    roster = [people[username] for username, *_rest in ROSTER]
    held = []
    for number, days_ago in ((1, 45), (2, 14)):
        day = today - dt.timedelta(days=days_ago)
        meeting = _meeting(team, day, title, "", people, roster)
        invitations = {a.person.username: a for a in meeting.attendances.select_related("person")}
        services.attendance_save(
            meeting=meeting,
            by=secretary,
            rows=[
                services.AttendanceRow(
                    pk=invitations[username].pk,
                    meeting_role=role,
                    status=AttendanceStatus.PRESENT if present else AttendanceStatus.ABSENT,
                    reason="" if present else reason,
                    order=order,
                )
                for order, (username, role, first, second, reason) in enumerate(ROSTER)
                for present in [first if number == 1 else second]
            ],
        )
        rows = []
        previous = meeting.agenda_items.filter(section=AgendaSection.PREVIOUS_MINUTES).first()
        if previous is not None:  # proposed by the scheduling: the last meeting's minutes
            rows.append(
                services.AgendaRow(
                    pk=previous.pk,
                    section=AgendaSection.PREVIOUS_MINUTES,
                    title=f"รับรองรายงานการประชุม ครั้งที่ {held[-1][0].reference}",
                )
            )
        rows += [
            services.AgendaRow(
                section=section,
                order=order,
                title=subject,
                km_step=step,
                activity=activities[activity] if activity is not None else None,
            )
            for order, (section, subject, step, activity, _d, _r) in enumerate(MINUTES[number])
        ]
        items = services.agenda_save(meeting=meeting, by=secretary, rows=rows)
        said = [(d, r) for *_head, d, r in MINUTES[number]]
        if previous is not None:
            said.insert(0, ("ที่ประชุมพิจารณารายงานการประชุมครั้งที่แล้ว ไม่มีการแก้ไข", "รับรองรายงานการประชุม"))
        minutes = services.minutes_save(
            meeting=meeting,
            by=secretary,
            details=services.MinutesDetails(
                opened_at=dt.time(9, 30),
                closed_at=dt.time(11, 45),
                chair=people["somchai"],
                recorder=secretary,
                checker=people["wilai"],
            ),
            items=[
                services.ItemMinutes(pk=item.pk, discussion=discussion, resolution=resolution)
                for item, (discussion, resolution) in zip(items, said, strict=True)
            ],
        )
        for index, description, owner, due_in, done_ago in ACTIONS[number]:
            item = items[index + (1 if previous is not None else 0)]
            action = services.action_save(
                meeting=meeting,
                by=secretary,
                agenda_item=item,
                description=description,
                owner=people[owner],
                due_date=today + dt.timedelta(days=due_in),
                activity=item.activity,
            )
            if done_ago:
                services.action_complete(
                    action=action, by=secretary, done_on=today - dt.timedelta(days=done_ago)
                )
        held.append((meeting, minutes))
        # The first meeting's notices have been read; the second's minutes still wait.
        _settle_notices(meeting, people.values(), read=number == 1)
    (_first, first_minutes), (second, _second_minutes) = held
    services.minutes_adopt(minutes=first_minutes, at_meeting=second, by=secretary)
    upcoming = _meeting(
        team,
        today + dt.timedelta(days=10),
        title,
        "ติดตามความก้าวหน้าตามแผนและพิจารณาร่างชุดความรู้",
        people,
        roster,
    )
    services.attendance_save(
        meeting=upcoming,
        by=secretary,
        rows=[
            services.AttendanceRow(pk=attendance.pk, meeting_role=role, order=order)
            for order, ((_username, role, *_rest), attendance) in enumerate(
                zip(ROSTER, upcoming.attendances.order_by("order"), strict=True)
            )
        ],
    )
    # The afternoon suits the chair better: the invitees are told of the change.
    services.meeting_update(
        meeting=upcoming,
        by=secretary,
        details=services.MeetingDetails(
            team=team,
            title=upcoming.title,
            date=upcoming.date,
            start_time=dt.time(13, 30),
            end_time=dt.time(16, 0),
            place=PLACE,
            purpose=upcoming.purpose,
        ),
    )
    for username, attend, reason in ANSWERS:
        services_answers.invitation_answer(
            meeting=upcoming, by=people[username], attend=attend, reason=reason
        )
        mark_read(by=people[username], target=upcoming)
    proposed = upcoming.agenda_items.get(section=AgendaSection.PREVIOUS_MINUTES)
    services.agenda_save(
        meeting=upcoming,
        by=secretary,
        rows=[
            services.AgendaRow(
                pk=proposed.pk,
                section=AgendaSection.PREVIOUS_MINUTES,
                title=f"รับรองรายงานการประชุม ครั้งที่ {second.reference}",
            ),
            services.AgendaRow(
                section=AgendaSection.CONSIDERATION,
                title="พิจารณาร่างชุดความรู้ของกลุ่ม KM",
                km_step=KMStep.CODIFY,
                activity=activities[4],
            ),
        ],
    )
