"""Demo KM plan of the seed office (seed 003) for the current fiscal year: its knowledge inventory,
focus areas and desired states, an action plan across the seven steps and the change-management
elements and some progress reports. The meetings are the ``meetings`` app's demo.

Dates are placed around the day the demo is loaded, so that some work is late and some reports
are due, whenever ``seed_demo`` runs. Running it again changes nothing.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from apps.accounts.models import User
from apps.core.choices import KMStep
from apps.core.thaidates import fiscal_year, fiscal_year_range
from apps.notifications import reminders
from apps.notifications.services import no_email
from apps.teams.models import Team, TeamKind

from .models import Activity, ActivityStatus, ChangeElement, KnowledgeForm, Plan, Priority
from .periods import period_of
from .services import plans, progress

FOCUS_AREAS = [
    "ฝึกอบรมเพื่อสร้างจิตสำนึกในการดำเนินกิจกรรม",
    "สร้างศูนย์เรียนรู้ด้านเกษตรและสหกรณ์ โครงการหุบกะพง (ศูนย์นำร่อง)",
    "แผนพัฒนากลุ่มเกษตรกรที่ต่ำกว่าเกณฑ์มาตรฐานให้ได้มาตรฐาน",
    "ออกเอกสารสิทธิ์ในการจัดที่ดินทำกิน",
]

DESIRED_STATES = [
    # title, focus area index, indicator, target, months after the start of the year
    ("องค์กรสามารถทำฐานข้อมูลด้านสหกรณ์สำหรับศูนย์การเรียนรู้ด้านเกษตรและสหกรณ์", 1,
     "มีฐานข้อมูลสหกรณ์พร้อมใช้งานที่ศูนย์เรียนรู้โครงการหุบกะพง", "1 ฐานข้อมูล", 8),
    ("องค์กรสามารถจัดทำฐานความรู้เกี่ยวกับวิทยากรเครือข่ายด้านสหกรณ์", 0,
     "ทำเนียบวิทยากรเครือข่ายด้านสหกรณ์เผยแพร่ในระบบ", "อย่างน้อย 20 คน", 10),
    ("องค์กรสามารถจัดทำระบบเทคโนโลยีสารสนเทศ", None,
     "บุคลากรใช้มุมความรู้ออนไลน์และระบบสืบค้นข้อมูลสารสนเทศ", "ร้อยละ 80 ของบุคลากร", 12),
]  # fmt: skip

KNOWLEDGE_NEEDS = [
    # topic, reason, form, holders, source, gap, priority
    ("การจัดตั้งสหกรณ์และกลุ่มเกษตรกร", "เป็นงานหลักของกลุ่มจัดตั้งและส่งเสริมสหกรณ์",
     KnowledgeForm.PERSON, ["anan", "kannika"], "",
     "ขั้นตอนอยู่ในตัวบุคคล ยังไม่มีคู่มือที่เป็นปัจจุบัน", Priority.HIGH),
    ("การตรวจการสหกรณ์และการแก้ไขข้อบกพร่อง", "ลดข้อบกพร่องของสหกรณ์ในความรับผิดชอบ",
     KnowledgeForm.DOCUMENT, ["suwit"], "คู่มือการตรวจการสหกรณ์ กรมส่งเสริมสหกรณ์",
     "คู่มือเดิมต้องปรับปรุงตามระเบียบนายทะเบียนสหกรณ์ฉบับใหม่", Priority.HIGH),
    ("การพัฒนากลุ่มเกษตรกรที่ต่ำกว่าเกณฑ์มาตรฐานให้ได้มาตรฐาน", "ตัวชี้วัดตามคำรับรองการปฏิบัติราชการ",
     KnowledgeForm.PERSON, ["malee", "prasert"], "",
     "ยังไม่ได้ถอดบทเรียนจากกลุ่มที่พัฒนาได้สำเร็จ", Priority.MEDIUM),
    ("การออกเอกสารสิทธิ์ในการจัดที่ดินทำกิน", "สนับสนุนสมาชิกสหกรณ์นิคม",
     KnowledgeForm.NONE, ["jintana"], "สำนักงานการปฏิรูปที่ดินจังหวัดชุมพร",
     "ขาดผู้รู้ในสำนักงาน ต้องแสวงหาความรู้จากภายนอก", Priority.MEDIUM),
    ("ข้อมูลสหกรณ์สำหรับศูนย์เรียนรู้ด้านเกษตรและสหกรณ์", "เป็นฐานของศูนย์เรียนรู้โครงการหุบกะพง",
     KnowledgeForm.DOCUMENT, ["malee"], "รายงานประจำปีของสหกรณ์",
     "ข้อมูลกระจัดกระจาย ยังไม่เป็นฐานข้อมูลเดียว", Priority.HIGH),
]  # fmt: skip


def _activities(first: dt.date, today: dt.date, last: dt.date) -> list[dict]:
    """The action plan; a few rows sit around today so that something is always late."""

    def clamp(day: dt.date) -> dt.date:
        return min(max(day, first), last)

    def month(n: int) -> dt.date:  # the first day of the n-th month of the year (0 = October)
        return dt.date(first.year + (first.month - 1 + n) // 12, (first.month - 1 + n) % 12 + 1, 1)

    kickoff_end = clamp(today - dt.timedelta(days=10))
    return [
        {"title": "สำรวจและจัดทำบัญชีความรู้ที่จำเป็นต่อภารกิจของสำนักงาน", "km_step": KMStep.IDENTIFY,
         "method": "ประชุมระดมความคิดแต่ละกลุ่มงาน ระบุความรู้ที่จำเป็น แหล่งความรู้ และช่องว่าง",
         "start": first, "end": clamp(today - dt.timedelta(days=3)),
         "indicator": "บัญชีความรู้ที่จำเป็นของสำนักงาน", "target": "1 ฉบับ",
         "budget": "0", "owners": ["wilai", "pranee"]},
        {"title": "จัดทำทำเนียบวิทยากรเครือข่ายด้านสหกรณ์", "km_step": KMStep.CREATE,
         "method": "รวบรวมรายชื่อวิทยากรภายในและภายนอก ตรวจสอบความเชี่ยวชาญ และเผยแพร่ในระบบ",
         "start": first, "end": month(10) - dt.timedelta(days=1), "state": 1,
         "indicator": "จำนวนวิทยากรในทำเนียบ", "target": "20 คน",
         "budget": "0", "owners": ["pranee"]},
        {"title": "เชิญวิทยากรภายนอกถ่ายทอดความรู้การออกเอกสารสิทธิ์ในการจัดที่ดินทำกิน",
         "km_step": KMStep.CREATE,
         "method": "จัดอบรมเชิงปฏิบัติการ 1 วัน โดยวิทยากรจากสำนักงานการปฏิรูปที่ดินจังหวัด",
         "start": month(3), "end": month(5) - dt.timedelta(days=1),
         "indicator": "ผู้เข้ารับการอบรมผ่านการทดสอบหลังอบรม", "target": "ร้อยละ 80",
         "budget": "15000", "owners": ["jintana"]},
        {"title": "จัดหมวดหมู่เอกสาร หนังสือเวียน และระเบียบในมุมความรู้ออนไลน์",
         "km_step": KMStep.ORGANIZE,
         "method": "กำหนดหมวดหมู่และคำสำคัญ แล้วนำเอกสารเข้าระบบให้ครบทุกกลุ่มงาน",
         "start": first, "end": month(6) - dt.timedelta(days=1),
         "indicator": "เอกสารที่จัดหมวดหมู่แล้วในระบบ", "target": "ร้อยละ 100 ของเอกสารที่ใช้ประจำ",
         "budget": "0", "owners": ["kannika", "thawatchai"]},
        {"title": "ถอดบทเรียนและจัดทำชุดความรู้ของกลุ่ม KM ทั้ง 4 กลุ่ม", "km_step": KMStep.CODIFY,
         "method": "แต่ละกลุ่มรวบรวมประเด็น เขียนชุดความรู้ ส่งคณะทำงานกระบวนการจัดการความรู้กลั่นกรอง",
         "start": month(1), "end": month(8) - dt.timedelta(days=1),
         "indicator": "ชุดความรู้ที่ผ่านการกลั่นกรองและเผยแพร่", "target": "4 ชุด",
         "budget": "20000", "owners": ["anan", "suwit", "malee", "jintana"]},
        {"title": "จัดทำฐานข้อมูลด้านสหกรณ์สำหรับศูนย์เรียนรู้ด้านเกษตรและสหกรณ์ โครงการหุบกะพง",
         "km_step": KMStep.ACCESS, "state": 0,
         "method": "รวบรวมข้อมูลสหกรณ์ในพื้นที่ นำเข้าระบบ และเปิดให้ผู้มาศึกษาดูงานสืบค้นได้",
         "start": first, "end": month(8) - dt.timedelta(days=1),
         "indicator": "ฐานข้อมูลสหกรณ์ที่ศูนย์เรียนรู้", "target": "1 ฐานข้อมูล",
         "budget": "30000", "owners": ["malee", "prasert"]},
        {"title": "ชุมชนนักปฏิบัติ (CoP) การตรวจการสหกรณ์ แลกเปลี่ยนเรียนรู้ทุกเดือน",
         "km_step": KMStep.SHARE,
         "method": "ประชุมแลกเปลี่ยนกรณีศึกษาข้อบกพร่องของสหกรณ์และแนวทางแก้ไข เดือนละครั้ง",
         "start": month(1), "end": last,
         "indicator": "จำนวนครั้งของการประชุม CoP", "target": "10 ครั้ง",
         "budget": "10000", "owners": ["suwit", "thawatchai"]},
        {"title": "ประกวดการนำความรู้ไปใช้ในการปฏิบัติงาน (KM Day)", "km_step": KMStep.LEARN,
         "method": "ให้แต่ละกลุ่มนำเสนอผลการนำความรู้ไปใช้และนวัตกรรมที่เกิดขึ้น",
         "start": month(9), "end": month(11) - dt.timedelta(days=1),
         "indicator": "ผลงานที่นำเสนอ", "target": "อย่างน้อย 4 ผลงาน",
         "budget": "25000", "owners": ["wilai", "anan"]},
        {"title": "ฝึกอบรมเพื่อสร้างจิตสำนึกในการดำเนินกิจกรรม KM แก่บุคลากร",
         "change_element": ChangeElement.PREPARATION,
         "method": "อบรมครึ่งวันให้บุคลากรทุกคน เรื่องความสำคัญของการจัดการความรู้",
         "start": first, "end": kickoff_end,
         "indicator": "บุคลากรที่เข้ารับการอบรม", "target": "ร้อยละ 90",
         "budget": "12000", "owners": ["pranee", "anan"]},
        {"title": "ประชาสัมพันธ์กิจกรรม KM ผ่านมุมความรู้ออนไลน์และบอร์ดประชาสัมพันธ์",
         "change_element": ChangeElement.COMMUNICATION,
         "method": "เผยแพร่ข่าวกิจกรรมและชุดความรู้ใหม่ทุกเดือน",
         "start": first, "end": last,
         "indicator": "จำนวนครั้งที่เผยแพร่", "target": "12 ครั้ง",
         "budget": "0", "owners": ["pranee"]},
        {"title": "ติดตามและประเมินผลการดำเนินงานตามแผนการจัดการความรู้รายไตรมาส",
         "change_element": ChangeElement.MEASUREMENT,
         "method": "เลขานุการรวบรวมรายงานความก้าวหน้า หัวหน้าทีมประเมินผล เสนอ CKO",
         "start": first, "end": last,
         "indicator": "รายงานความก้าวหน้ารายไตรมาส", "target": "4 ฉบับ",
         "budget": "0", "owners": ["pranee", "wilai"]},
        {"title": "มอบเกียรติบัตรแก่กลุ่ม KM ที่มีผลงานดีเด่น",
         "change_element": ChangeElement.RECOGNITION,
         "method": "คัดเลือกกลุ่มที่มีผลงานดีเด่นจากงาน KM Day",
         "start": month(10), "end": last,
         "indicator": "กลุ่มที่ได้รับเกียรติบัตร", "target": "1 กลุ่ม",
         "budget": "3000", "owners": ["somchai"]},
    ]  # fmt: skip


def seed(stdout) -> None:
    """Load the demo plan once (the head, the CKO and the secretary of seed 003 must exist)."""
    people = {user.username: user for user in User.objects.all()}
    if not {"pranee", "somchai", "wilai"} <= set(people):
        stdout.write("KM plan: the demo people are missing; nothing loaded.")
        return
    team = Team.objects.filter(kind=TeamKind.KM_TEAM).order_by("order").first()
    if team is None:
        stdout.write("KM plan: the demo KM team is missing; nothing loaded.")
        return
    today = timezone.localdate()
    plan = Plan.objects.order_by("-fiscal_year").first()
    if plan is None:
        # Notices as the work would leave them (the bell of each demo account), no e-mail.
        with no_email():
            plan = _seed_plan(people, today)
        stdout.write(f"KM plan: fiscal year {plan.fiscal_year} approved, with activities.")
    else:
        stdout.write("KM plan: a plan already exists; nothing added.")


def _seed_plan(people: dict[str, User], today: dt.date) -> Plan:
    """This year's plan, drafted by the head and approved by the CKO, through the services."""
    year = fiscal_year(today)
    first, last = fiscal_year_range(year)
    head = people["wilai"]
    plan = plans.plan_create(
        by=head,
        fiscal_year=year,
        data=plans.PlanData(
            title=f"แผนการจัดการความรู้ (KM Action Plan) ประจำปีงบประมาณ พ.ศ. {year}",
            description=(
                "สำนักงานสหกรณ์จังหวัดชุมพรจัดการความรู้เพื่อให้เป็นองค์กรแห่งการเรียนรู้ "
                "ตามพระราชกฤษฎีกาว่าด้วยหลักเกณฑ์และวิธีการบริหารกิจการบ้านเมืองที่ดี พ.ศ. 2546 มาตรา 11"
            ),
        ),
    )
    areas = [
        plans.part_save(by=head, plan=plan, data=plans.FocusAreaData(title=title, order=index))
        for index, title in enumerate(FOCUS_AREAS, 1)
    ]
    states = []
    for index, (title, area, indicator, target, months) in enumerate(DESIRED_STATES, 1):
        data = plans.DesiredStateData(
            title=title,
            focus_area=areas[area] if area is not None else None,
            indicator=indicator,
            target=target,
            deadline=min(last, first + dt.timedelta(days=30 * months)),
            order=index,
        )
        states.append(plans.part_save(by=head, plan=plan, data=data))
    for index, (topic, reason, form, holders, source, gap, priority) in enumerate(
        KNOWLEDGE_NEEDS, 1
    ):
        data = plans.KnowledgeNeedData(
            topic=topic,
            reason=reason,
            current_form=form,
            holders=[people[name] for name in holders if name in people],
            source=source,
            gap=gap,
            priority=priority,
            order=index,
        )
        plans.part_save(by=head, plan=plan, data=data)
    teams = {team.name: team for team in Team.objects.all()}
    activities = []
    for index, spec in enumerate(_activities(first, today, last), 1):
        data = plans.ActivityData(
            order=index,
            team=teams.get(_responsible_team(spec)),
            title=spec["title"],
            km_step=spec.get("km_step", ""),
            change_element=spec.get("change_element", ""),
            desired_state=states[spec["state"]] if "state" in spec else None,
            method=spec["method"],
            start_date=spec["start"],
            end_date=max(spec["end"], spec["start"]),
            indicator=spec["indicator"],
            target=spec["target"],
            budget=Decimal(spec["budget"]),
            owners=[people[name] for name in spec["owners"] if name in people],
        )
        activities.append(plans.part_save(by=head, plan=plan, data=data))
    cko = people["somchai"]
    plans.plan_submit(by=head, plan=plan)
    plans.plan_return(by=cko, plan=plan, note="ขอให้ระบุตัวชี้วัดของกิจกรรมประกวด KM Day ให้วัดผลได้ชัดเจน")
    plans.plan_submit(by=head, plan=plan)
    plan = plans.plan_approve(by=cko, plan=plan, note="อนุมัติตามที่เสนอ")
    _seed_progress(people, plan, activities, today, first)
    _seed_reminders(people, plan, today)
    return plan


def _seed_reminders(people: dict[str, User], plan: Plan, today: dt.date) -> None:
    """The secretary has reminded those who have not reported this quarter, and the daily
    reminders due today (in a quarter's last days or just after) have gone."""
    period = period_of(today)
    if period.fiscal_year == plan.fiscal_year:
        progress.progress_remind(by=people["pranee"], plan=plan, quarter=period.quarter)
    reminders.run(today=today, only=["plans.progress"])


# Who carries out each kind of work in the seed office (seed 003): the KM-process working group
# runs steps 1, 3 and 5, the knowledge-set working group steps 2 and 4, the KM team the rest.
_STEP_TEAMS = {
    KMStep.IDENTIFY: "คณะทำงานกระบวนการจัดการความรู้",
    KMStep.ORGANIZE: "คณะทำงานกระบวนการจัดการความรู้",
    KMStep.ACCESS: "คณะทำงานกระบวนการจัดการความรู้",
    KMStep.CREATE: "คณะทำงานสร้างชุดความรู้",
    KMStep.CODIFY: "คณะทำงานสร้างชุดความรู้",
}


def _responsible_team(spec: dict) -> str:
    return _STEP_TEAMS.get(spec.get("km_step"), "ทีมงาน KM สำนักงานสหกรณ์จังหวัดชุมพร")


def _seed_progress(
    people: dict[str, User],
    plan: Plan,
    activities: list[Activity],
    today: dt.date,
    first: dt.date,
) -> None:
    """Reports on some activities, by their owners (or the secretary), and the secretary's
    summary of the quarter; other activities are left for the "not reported" list."""
    reports = [
        # activity index, who, percent, status, narrative, problems
        (0, "pranee", 100, ActivityStatus.DONE,
         "ประชุมระดมความคิดครบทุกกลุ่มงาน ได้บัญชีความรู้ที่จำเป็น 5 เรื่อง บันทึกไว้ในแผนแล้ว", ""),
        (1, "pranee", 30, ActivityStatus.IN_PROGRESS,
         "รวบรวมรายชื่อวิทยากรได้ 8 คน อยู่ระหว่างขอข้อมูลความเชี่ยวชาญเพิ่มเติม", ""),
        (3, "kannika", 45, ActivityStatus.IN_PROGRESS,
         "นำหนังสือเวียนและระเบียบเข้ามุมความรู้ออนไลน์แล้ว จัดหมวดหมู่ครบ 3 หมวด",
         "เอกสารเก่าบางส่วนเป็นไฟล์สแกน ต้องพิมพ์ข้อความเพิ่ม"),
        (5, "malee", 20, ActivityStatus.IN_PROGRESS,
         "ออกแบบโครงสร้างฐานข้อมูลและเริ่มรวบรวมข้อมูลสหกรณ์ในพื้นที่โครงการหุบกะพง",
         "ข้อมูลบางสหกรณ์ยังไม่ได้ส่ง"),
        (8, "anan", 60, ActivityStatus.IN_PROGRESS,
         "อบรมไปแล้ว 2 รุ่น มีผู้เข้าอบรม 28 คน", "รุ่นที่ 3 เลื่อนเพราะติดภารกิจตรวจสหกรณ์"),
    ]  # fmt: skip
    for index, who, percent, status, narrative, problems in reports:
        activity, reporter = activities[index], people.get(who)
        if reporter is None:
            continue
        as_of = min(today, max(activity.start_date, today - dt.timedelta(days=4)))
        progress.progress_report_create(
            by=reporter,
            activity=activity,
            data=progress.ReportData(
                as_of=as_of,
                percent=percent,
                status=status,
                narrative=narrative,
                problems=problems,
            ),
        )
    progress.summary_save(
        by=people["pranee"],
        plan=plan,
        quarter=period_of(today).quarter if today >= first else 1,
        summary="ดำเนินการตามแผนได้ตามกำหนดเป็นส่วนใหญ่ การจัดทำบัญชีความรู้เสร็จแล้ว "
        "ฐานข้อมูลศูนย์เรียนรู้และการจัดหมวดหมู่เอกสารอยู่ระหว่างดำเนินการ",
        issues="การอบรมสร้างจิตสำนึกล่าช้ากว่ากำหนด เสนอให้จัดรุ่นสุดท้ายภายในเดือนหน้า",
    )
