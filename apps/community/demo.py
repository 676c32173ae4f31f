"""Demo community of practice of the seed office: the monthly inspection CoP of the demo KM
plan's activity of that name, three sessions with their BAR, AAR and stories and who came,
and the knowledge assets members wrote (one promoted to a knowledge-set draft).

Everything goes through the services, as the KM secretary, the facilitator and the members
would do it on the pages; the sessions fall in the weeks before the day the demo is loaded.
Running it again changes nothing. Notices are made, with no e-mail sent (``no_email``).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from apps.accounts.models import User
from apps.core.choices import KMStep
from apps.meetings import services as meetings
from apps.meetings.data import AttendanceRow
from apps.meetings.models import AttendanceStatus
from apps.notifications.services import no_email
from apps.plans.models import Activity

from . import services
from .data import AssetData, CommunityData, SessionData, SessionNotes
from .models import Access, Community, MemberRole

NAME = "ชุมชนนักปฏิบัติ (CoP) การตรวจการสหกรณ์"
ACTIVITY = "ชุมชนนักปฏิบัติ (CoP) การตรวจการสหกรณ์"
PLACE = "ห้องประชุมกลุ่มตรวจการสหกรณ์ สำนักงานสหกรณ์จังหวัดชุมพร"
NEEDED = ["pranee", "suwit", "thawatchai", "kannika", "jintana", "staff", "prasert"]

DESCRIPTION = (
    "พื้นที่แลกเปลี่ยนเรียนรู้ของผู้ปฏิบัติงานตรวจการสหกรณ์และผู้ตรวจสอบบัญชี "
    "พบกันเดือนละครั้งเพื่อเล่ากรณีที่พบจากการตรวจการสหกรณ์จริง "
    "วิธีที่ใช้แก้ไขข้อบกพร่อง และสิ่งที่ได้เรียนรู้ร่วมกัน\n\n"
    "- ใครก็ร่วมได้ ไม่จำเป็นต้องอยู่กลุ่มตรวจการสหกรณ์\n"
    "- สิ่งที่ได้จากวงจะบันทึกเป็นขุมความรู้ และกลั่นเป็นชุดความรู้ของสำนักงาน"
)

# title, days before today, BAR (goal, plan), AAR (expected, happened, why, keep, change),
# stories, who came (usernames), who could not (username, reason)
SESSIONS = [
    (
        "เปิดวง CoP: ข้อบกพร่องที่พบบ่อยจากการตรวจการสหกรณ์",
        70,
        (
            "รวบรวมข้อบกพร่องที่พบบ่อยที่สุดจากการตรวจการสหกรณ์ในปีที่ผ่านมา",
            "ให้สมาชิกแต่ละคนเล่ากรณีที่เจอ คนละไม่เกิน 5 นาที คุณลิขิตจดประเด็นบนกระดาน",
        ),
        (
            "ได้รายการข้อบกพร่องที่พบบ่อยไม่เกิน 10 เรื่อง",
            "ได้ 14 เรื่อง และหลายเรื่องเป็นเรื่องเดียวกันที่เกิดในหลายสหกรณ์",
            "สมาชิกเล่าเรื่องจากหลายพื้นที่ จึงมีรายละเอียดต่างกันแต่สาเหตุคล้ายกัน",
            "การเล่ากรณีจริงสั้น ๆ แล้วจดบนกระดานทันที",
            "ครั้งหน้าจัดกลุ่มเรื่องตามสาเหตุก่อนเริ่มคุย จะได้ไม่ซ้ำ",
        ),
        "คุณสุวิทย์เล่าเรื่องสหกรณ์แห่งหนึ่งที่ยอดเงินสดในมือไม่ตรงกับบัญชีติดต่อกันสามเดือน "
        "เมื่อลงไปตรวจนับพร้อมกรรมการจึงพบว่ามีการรับชำระหนี้โดยไม่ออกใบเสร็จ "
        "หลังวางระบบใบเสร็จเล่มเดียวและให้กรรมการตรวจนับเงินสดทุกสัปดาห์ ปัญหาก็หมดไป",
        ["suwit", "thawatchai", "kannika", "jintana", "staff"],
        [("prasert", "ติดราชการตรวจสหกรณ์นอกพื้นที่")],
    ),
    (
        "การติดตามแก้ไขข้อบกพร่องให้ได้ผลภายในกำหนด",
        40,
        (
            "หาวิธีติดตามให้สหกรณ์แก้ไขข้อบกพร่องได้ทันภายใน 30 วัน",
            "แลกเปลี่ยนวิธีติดตามของแต่ละคน แล้วเลือกวิธีที่ได้ผลมาทดลองใช้",
        ),
        (
            "ได้แนวทางติดตามที่ทุกคนใช้ร่วมกันได้",
            "ได้แบบฟอร์มติดตามผลหนึ่งหน้า และตกลงโทรติดตามเมื่อครบ 15 วัน",
            "ตรงตามที่คาดไว้ เพราะสมาชิกเตรียมตัวอย่างมาจากการทำงานจริง",
            "การเตรียมกรณีตัวอย่างมาก่อนเข้าวง",
            "เชิญผู้จัดการสหกรณ์ที่แก้ไขได้ดีมาร่วมเล่าในครั้งต่อไป",
        ),
        "คุณกรรณิกาเล่าว่าเคยส่งหนังสือแจ้งข้อบกพร่องแล้วรอเฉย ๆ จนเลยกำหนด "
        "ครั้งหลังจึงนัดประชุมคณะกรรมการสหกรณ์ภายในสัปดาห์แรก ช่วยวางแผนแก้ไขทีละข้อ "
        "ผลคือแก้ไขเสร็จภายใน 20 วัน",
        ["suwit", "thawatchai", "kannika", "prasert", "staff"],
        [("jintana", "ลาพักผ่อน")],
    ),
    (
        "ตรวจการสหกรณ์แบบมีส่วนร่วมกับคณะกรรมการ",
        12,
        (
            "เรียนรู้วิธีให้คณะกรรมการสหกรณ์มีส่วนร่วมในการตรวจตั้งแต่ต้น",
            "ชวนสมาชิกที่ลองใช้วิธีนี้มาเล่าขั้นตอน แล้วสรุปเป็นขั้นตอนกลาง",
        ),
        (
            "ได้ขั้นตอนการตรวจแบบมีส่วนร่วมที่ใช้ได้ทุกกลุ่มงาน",
            "ได้ขั้นตอน 5 ขั้น แต่ยังขาดแบบบันทึกที่ใช้กับสหกรณ์ขนาดเล็ก",
            "สหกรณ์ขนาดเล็กมีกรรมการน้อย ขั้นตอนเดียวกันจึงใช้เวลาไม่เท่ากัน",
            "การให้กรรมการตรวจเอกสารของตนเองก่อนวันตรวจจริง",
            "ทำแบบบันทึกฉบับย่อสำหรับสหกรณ์ขนาดเล็ก",
        ),
        "คุณจินตนาเล่าว่าเมื่อให้กรรมการสหกรณ์กลุ่มเกษตรกรลองตรวจเอกสารของตนเองก่อน "
        "กรรมการพบข้อผิดพลาดเองถึงครึ่งหนึ่ง และยินดีแก้ไขทันทีโดยไม่ต้องรอหนังสือแจ้ง",
        ["suwit", "thawatchai", "jintana", "prasert"],
        [("kannika", "ติดประชุมใหญ่สามัญประจำปีของสหกรณ์"), ("staff", "ลาป่วย")],
    ),
]

# title, session index, context, what we did, what we learned, tips, who to ask, writer
ASSETS = [
    (
        "ตรวจนับเงินสดร่วมกับกรรมการเมื่อยอดเงินสดไม่ตรงบัญชี",
        0,
        "ยอดเงินสดในมือของสหกรณ์ไม่ตรงกับบัญชีติดต่อกันหลายเดือน",
        "ลงตรวจนับเงินสดพร้อมกรรมการและเจ้าหน้าที่การเงิน เทียบกับใบเสร็จและสมุดเงินสดรายวัน",
        "สาเหตุมักมาจากการรับเงินโดยไม่ออกใบเสร็จ หรือใช้ใบเสร็จหลายเล่มพร้อมกัน",
        "- ให้ใช้ใบเสร็จเล่มเดียวต่อช่วงเวลา\n- ให้กรรมการตรวจนับเงินสดทุกสัปดาห์และลงนามกำกับ",
        ["suwit"],
        "thawatchai",
    ),
    (
        "ติดตามการแก้ไขข้อบกพร่องด้วยการประชุมคณะกรรมการในสัปดาห์แรก",
        1,
        "สหกรณ์ได้รับหนังสือแจ้งข้อบกพร่องแล้วแต่แก้ไขไม่ทันกำหนด",
        "นัดประชุมคณะกรรมการภายใน 7 วันหลังแจ้ง วางแผนแก้ไขทีละข้อ และโทรติดตามเมื่อครบ 15 วัน",
        "การช่วยวางแผนตั้งแต่ต้นทำให้สหกรณ์แก้ไขได้เร็วกว่าการรอผลจากหนังสือแจ้งอย่างเดียว",
        "ใช้แบบฟอร์มติดตามผลหนึ่งหน้า ระบุผู้รับผิดชอบและวันที่แล้วเสร็จของแต่ละข้อ",
        ["kannika", "suwit"],
        "kannika",
    ),
    (
        "ให้กรรมการสหกรณ์ตรวจเอกสารของตนเองก่อนวันตรวจ",
        2,
        "การตรวจการสหกรณ์กลุ่มเกษตรกรและสหกรณ์ขนาดเล็ก",
        "ส่งรายการเอกสารให้กรรมการตรวจเองล่วงหน้า 2 สัปดาห์ แล้วคุยผลร่วมกันในวันตรวจ",
        "กรรมการพบและแก้ข้อผิดพลาดได้เองราวครึ่งหนึ่ง และยอมรับข้อสังเกตได้ง่ายขึ้น",
        "สำหรับสหกรณ์ขนาดเล็ก ให้ใช้รายการตรวจฉบับย่อไม่เกิน 10 ข้อ",
        ["jintana"],
        "jintana",
    ),
]


def seed(stdout) -> None:
    if Community.objects.exists():
        stdout.write("Communities: communities already exist; nothing added.")
        return
    people = {user.username: user for user in User.objects.filter(username__in=NEEDED)}
    activity = (
        Activity.objects.filter(title__startswith=ACTIVITY).order_by("-plan__fiscal_year").first()
    )
    if len(people) < len(NEEDED):
        stdout.write("Communities: the demo people are missing; nothing loaded.")
        return
    with no_email():
        _seed(people, activity, timezone.localdate())
    stdout.write(
        "Communities: the inspection CoP, three sessions with BAR and AAR, three knowledge "
        "assets (one promoted to a knowledge-set draft)."
    )


def _seed(people: dict[str, User], activity: Activity | None, today: dt.date) -> None:
    community = services.community_create(
        by=people["pranee"],
        data=CommunityData(
            name=NAME,
            domain="การตรวจการสหกรณ์และการแก้ไขข้อบกพร่อง",
            km_step=KMStep.SHARE,
            description=DESCRIPTION,
            access=Access.OPEN,
            activity=activity,
        ),
        facilitators=[people["suwit"]],
    )
    facilitator = people["suwit"]
    services.members_add(
        by=facilitator,
        community=community,
        people=[people["thawatchai"]],
        role=MemberRole.NOTE_TAKER,
    )
    services.members_add(
        by=facilitator,
        community=community,
        people=[people["kannika"], people["prasert"]],
        role=MemberRole.PRACTITIONER,
    )
    for username in ("jintana", "staff"):
        services.community_join(by=people[username], community=community)
    sessions = []
    for title, days, bar, aar, stories, came, absent in SESSIONS:
        session = services.session_schedule(
            by=facilitator,
            community=community,
            data=SessionData(
                title=title,
                date=today - dt.timedelta(days=days),
                start_time=dt.time(13, 30),
                end_time=dt.time(16, 0),
                place=PLACE,
                bar_goal=bar[0],
                bar_plan=bar[1],
            ),
        )
        rows = []
        for order, attendance in enumerate(session.meeting.attendances.select_related("person")):
            reasons = dict(absent)
            username = attendance.person.username
            status = AttendanceStatus.PRESENT if username in came else AttendanceStatus.ABSENT
            rows.append(
                AttendanceRow(
                    pk=attendance.pk,
                    status=status,
                    reason=reasons.get(username, ""),
                    order=order,
                    meeting_role="คุณอำนวย" if username == "suwit" else "",
                )
            )
        meetings.attendance_save(meeting=session.meeting, by=facilitator, rows=rows)
        session = services.session_notes_save(
            by=people["thawatchai"],
            session=session,
            notes=SessionNotes(
                bar_goal=bar[0],
                bar_plan=bar[1],
                aar_expected=aar[0],
                aar_happened=aar[1],
                aar_difference=aar[2],
                aar_keep=aar[3],
                aar_change=aar[4],
                stories=stories,
            ),
        )
        sessions.append(session)
    assets = []
    for title, index, context, did, learned, tips, ask, writer in ASSETS:
        assets.append(
            services.asset_create(
                by=people[writer],
                community=community,
                session=sessions[index],
                data=AssetData(
                    title=title,
                    context=context,
                    what_we_did=did,
                    what_we_learned=learned,
                    tips=tips,
                    who_to_ask=[people[name] for name in ask],
                ),
            )
        )
    services.asset_promote(by=facilitator, asset=assets[0])
    _seed_questions(community, people)


# The community's own questions on the Q&A board (its "cop" space): one answered and accepted,
# one still open for the next session.
QUESTIONS = [
    (
        "kannika",
        "ตรวจสหกรณ์ที่ยังไม่ปิดบัญชี ควรขอเอกสารอะไรล่วงหน้าบ้าง",
        "สัปดาห์หน้าจะลงตรวจสหกรณ์ที่ยังปิดบัญชีไม่ได้ อยากทราบว่าควรขอเอกสารใดไว้ก่อนลงพื้นที่",
        (
            "suwit",
            "ขอสมุดบัญชีเงินสด รายงานการประชุมคณะกรรมการย้อนหลังสามเดือน และทะเบียนลูกหนี้"
            "เงินกู้ไว้ล่วงหน้า จะช่วยให้ตรวจนับและกระทบยอดได้เร็วขึ้นมาก",
        ),
    ),
    (
        "jintana",
        "ข้อบกพร่องที่แก้ไขแล้ว ต้องรายงานนายทะเบียนภายในกี่วัน",
        "สหกรณ์แจ้งว่าแก้ไขข้อบกพร่องตามคำแนะนำแล้ว ต้องรายงานผลภายในกำหนดเวลาใด",
        None,
    ),
]


def _seed_questions(community, people: dict[str, User]) -> None:
    from apps.board import services as board_services

    from .board import KIND

    for asker, title, body, answer in QUESTIONS:
        question = board_services.question_ask(
            by=people[asker], title=title, body=body, space_kind=KIND, space_id=community.pk
        )
        if answer:
            author, text = answer
            posted = board_services.answer_post(by=people[author], question=question, body=text)
            board_services.answer_accept(by=people[asker], question=question, answer=posted)
