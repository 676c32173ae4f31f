"""Demo data for learning and development, written through the services: two mentoring pairs
with sessions and signed-off skills, a job rotation with its AAR, the KM Day (held on the day
the demo is loaded: registrations, attendance, evaluations) and a forum with a waiting list."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from apps.accounts.models import User
from apps.library.models import Document
from apps.notifications.services import no_email

from . import services
from .models import EventKind, LearningEvent, MentoringPair, Rotation, RotationKind

PAIRS = [
    {
        "mentor": "anan",
        "mentee": "kannika",
        "topic": "การจัดตั้งสหกรณ์และกลุ่มเกษตรกร",
        "job": "นักวิชาการสหกรณ์ กลุ่มจัดตั้งและส่งเสริมสหกรณ์",
        "starts_on": dt.date(2026, 6, 1),
        "ends_on": dt.date(2026, 11, 30),
        "goals": (
            "- ตรวจคำขอจดทะเบียนจัดตั้งสหกรณ์ได้ครบถ้วนตามระเบียบนายทะเบียน\n"
            "- ให้คำแนะนำผู้ซื้อหุ้นและคณะผู้จัดตั้งได้ด้วยตนเอง\n"
            "- เขียนรายงานความเห็นประกอบการรับจดทะเบียนได้"
        ),
        "skills": [
            "ตรวจเอกสารคำขอจดทะเบียนจัดตั้งสหกรณ์",
            "ชี้แจงหลักการสหกรณ์แก่ผู้ซื้อหุ้น",
            "ร่างข้อบังคับสหกรณ์ตามแบบของนายทะเบียน",
            "เขียนรายงานความเห็นประกอบการรับจดทะเบียน",
        ],
        "signed": 2,
        "sessions": [
            (
                dt.date(2026, 6, 8),
                "พี่เลี้ยงพาอ่านระเบียบนายทะเบียนว่าด้วยการจดทะเบียนสหกรณ์ทีละข้อ "
                "และดูตัวอย่างคำขอที่เคยตีกลับ เพราะเอกสารไม่ครบ",
            ),
            (
                dt.date(2026, 7, 6),
                "ลงพื้นที่ประชุมผู้ซื้อหุ้นกลุ่มผู้ปลูกทุเรียนอำเภอหลังสวน ฝึกอธิบายหลักการสหกรณ์เป็นภาษาง่าย ๆ",
            ),
            (
                dt.date(2026, 8, 3),
                "ร่างข้อบังคับร่วมกัน พี่เลี้ยงชี้จุดที่มักเขียนผิด เช่น การถือหุ้นขั้นต่ำและการเลือกตั้งกรรมการ",
            ),
        ],
    },
    {
        "mentor": "malee",
        "mentee": "prasert",
        "topic": "การแนะนำส่งเสริมสหกรณ์ภาคการเกษตร",
        "job": "เจ้าพนักงานส่งเสริมสหกรณ์ กลุ่มส่งเสริมสหกรณ์ 1",
        "starts_on": dt.date(2026, 7, 1),
        "ends_on": None,
        "goals": "- "
        "วางแผนแนะนำส่งเสริมสหกรณ์ในความรับผิดชอบได้ทั้งปี\n- ติดตามผลการดำเนินงานของสหกรณ์จากงบการเงินเบื้องต้นได้",
        "skills": [
            "จัดทำแผนการแนะนำส่งเสริมรายสหกรณ์",
            "อ่านงบการเงินสหกรณ์เบื้องต้น",
            "ติดตามการแก้ไขข้อบกพร่องของสหกรณ์",
        ],
        "signed": 1,
        "sessions": [
            (dt.date(2026, 7, 15), "ทบทวนแผนแนะนำส่งเสริมปีที่แล้ว และเลือกสหกรณ์ที่ต้องเข้าแนะนำเป็นพิเศษ"),
            (
                dt.date(2026, 8, 19),
                "ฝึกอ่านงบดุลและงบกำไรขาดทุนของสหกรณ์การเกษตรตัวอย่าง ดูอัตราส่วนหนี้สินต่อทุน",
            ),
        ],
    },
]

ROTATION = {
    "person": "jintana",
    "kind": RotationKind.ROTATION,
    "from_unit": "กลุ่มส่งเสริมสหกรณ์ 2",
    "from_job": "นักวิชาการสหกรณ์ ผู้แนะนำส่งเสริมสหกรณ์",
    "to_unit": "กลุ่มตรวจการสหกรณ์",
    "to_job": "ผู้ช่วยผู้ตรวจการสหกรณ์",
    "starts_on": dt.date(2026, 4, 1),
    "ends_on": dt.date(2026, 6, 30),
}
ROTATION_REVIEW = {
    "learned": "ได้เห็นขั้นตอนการตรวจการสหกรณ์ตั้งแต่การวางแผนตรวจ การสุ่มเอกสาร "
    "จนถึงการรายงานผลต่อนายทะเบียน และรู้ว่าข้อบกพร่องที่พบบ่อยเกิดจากการแนะนำที่ไม่ทั่วถึง",
    "aar_expected": "เข้าใจขั้นตอนการตรวจการสหกรณ์และนำกลับไปใช้ในการแนะนำส่งเสริม",
    "aar_happened": "ได้ร่วมตรวจสหกรณ์ 4 แห่ง และเขียนบันทึกผลการตรวจ 2 ฉบับ",
    "aar_why": "ช่วงเวลาสามเดือนตรงกับฤดูประชุมใหญ่ จึงได้ตรวจน้อยกว่าที่วางไว้",
    "aar_keep": "ให้ผู้ตรวจการเป็นพี่เลี้ยงประจำตัวตลอดช่วงหมุนเวียนงาน",
    "aar_change": "เลือกช่วงเวลาที่ไม่ตรงกับฤดูประชุมใหญ่ และให้ได้ตรวจเองอย่างน้อยหนึ่งแห่ง",
}

KM_DAY = "มหกรรมการจัดการความรู้ (KM Day) สำนักงานสหกรณ์จังหวัดชุมพร"
KM_DAY_PEOPLE = ["wilai", "anan", "kannika", "suwit", "malee", "prasert", "jintana", "thawatchai"]
KM_DAY_ABSENT = {"thawatchai"}
EVALUATIONS = {
    "anan": (5, 5, 5, 4, "อยากให้จัดบ่อยขึ้น ได้ฟังประสบการณ์จริงจากเพื่อนร่วมงาน"),
    "kannika": (5, 4, 5, 4, "เรื่องเล่าการแก้ปัญหาสหกรณ์ขาดทุนเป็นประโยชน์มาก"),
    "suwit": (4, 4, 4, 3, "ห้องประชุมแคบไปเล็กน้อย"),
    "malee": (5, 5, 4, 5, ""),
    "prasert": (4, 5, 5, 4, "ขอเอกสารประกอบการนำเสนอทุกเรื่อง"),
}
FORUM = "เวทีแลกเปลี่ยนเรียนรู้ การตรวจสอบกิจการสหกรณ์ขนาดเล็ก"
FORUM_PEOPLE = ["kannika", "prasert", "jintana", "staff"]


def seed(stdout) -> None:
    """Create what is missing through the services; run again, it changes nothing."""
    with no_email():
        _seed(stdout)


def _seed(stdout) -> None:
    people = {user.username: user for user in User.objects.all()}
    keeper = people.get("pranee") or people["admin"]
    created = 0
    for entry in PAIRS:
        if MentoringPair.objects.filter(topic=entry["topic"]).exists():
            continue
        fields = {name: entry[name] for name in ("topic", "job", "starts_on", "ends_on", "goals")}
        fields |= {"mentor": people[entry["mentor"]], "mentee": people[entry["mentee"]]}
        pair = services.pair_create(by=keeper, fields=fields, skills=entry["skills"])
        for held_on, learned in entry["sessions"]:
            services.session_log(by=pair.mentee, pair=pair, held_on=held_on, learned=learned)
        for skill in list(pair.skills.order_by("order"))[: entry["signed"]]:
            services.skill_sign_off(by=pair.mentor, skill=skill)
        created += 1
    if not Rotation.objects.filter(person__username=ROTATION["person"]).exists():
        fields = {**ROTATION, "person": people[ROTATION["person"]]}
        rotation = services.rotation_create(by=keeper, fields=fields)
        services.rotation_review(by=rotation.person, rotation=rotation, fields=ROTATION_REVIEW)
        created += 1
    created += _seed_events(people, keeper)
    stdout.write(f"Learning: {created} records created.")


def _seed_events(people: dict[str, User], keeper: User) -> int:
    created = 0
    today = timezone.localdate()
    materials = list(Document.objects.visible_to(keeper).order_by("pk")[:2])
    if not LearningEvent.objects.filter(title=KM_DAY).exists():
        event = services.event_create(
            by=keeper,
            fields={
                "title": KM_DAY,
                "kind": EventKind.KM_DAY,
                "km_step": "share",
                "description": (
                    "เวทีประจำปีให้ทุกกลุ่มงานนำเสนอแนวปฏิบัติที่ดี (Best Practice) "
                    "และเรื่องเล่าเร้าพลังจากการทำงานกับสหกรณ์\n\n"
                    "- ภาคเช้า: นำเสนอชุดความรู้ของกลุ่ม KM ทั้ง 4 กลุ่ม\n"
                    "- ภาคบ่าย: ตลาดนัดความรู้และการมอบรางวัล"
                ),
                "date": today,
                "start_time": dt.time(8, 30),
                "end_time": dt.time(16, 30),
                "place": "ห้องประชุมสำนักงานสหกรณ์จังหวัดชุมพร",
                "seats": 40,
                "registration_closes": today,
            },
            organisers=[people["wilai"]],
            materials=materials,
        )
        registrations = {}
        for username in KM_DAY_PEOPLE:
            registrations[username] = services.event_register(by=people[username], event=event)
        services.attendance_mark(
            by=keeper,
            event=event,
            attended=[r.pk for name, r in registrations.items() if name not in KM_DAY_ABSENT],
        )
        for username, (
            content,
            speakers,
            usefulness,
            organisation,
            comments,
        ) in EVALUATIONS.items():
            services.evaluation_submit(
                by=people[username],
                event=event,
                ratings={
                    "content": content,
                    "speakers": speakers,
                    "usefulness": usefulness,
                    "organisation": organisation,
                },
                comments=comments,
            )
        services.event_aar_save(
            by=keeper,
            event=event,
            fields={
                "aar_expected": "ผู้เข้าร่วม 40 คน ทุกกลุ่มงานนำเสนอ",
                "aar_happened": "ผู้ลงทะเบียน 8 คน มาร่วม 7 คน นำเสนอครบ 4 กลุ่ม",
                "aar_why": "ตรงกับช่วงประชุมใหญ่สามัญประจำปีของสหกรณ์หลายแห่ง",
                "aar_keep": "เรื่องเล่าเร้าพลังจากงานจริง และตลาดนัดความรู้",
                "aar_change": "กำหนดวันให้พ้นฤดูประชุมใหญ่ และแจ้งล่วงหน้าอย่างน้อยหนึ่งเดือน",
            },
        )
        created += 1
    if not LearningEvent.objects.filter(title=FORUM).exists():
        event = services.event_create(
            by=keeper,
            fields={
                "title": FORUM,
                "kind": EventKind.FORUM,
                "km_step": "share",
                "description": (
                    "แลกเปลี่ยนวิธีตรวจสอบกิจการสหกรณ์ขนาดเล็กที่ได้ผล ระหว่างผู้ตรวจการและผู้แนะนำส่งเสริม"
                ),
                "date": today + dt.timedelta(days=14),
                "start_time": dt.time(13, 30),
                "end_time": dt.time(16, 0),
                "place": "ห้องประชุมกลุ่มตรวจการสหกรณ์",
                "seats": 3,
                "registration_closes": today + dt.timedelta(days=10),
            },
            organisers=[people["suwit"]],
            invitees=[people[name] for name in FORUM_PEOPLE],
        )
        for username in FORUM_PEOPLE:  # the fourth joins the waiting list
            services.event_register(by=people[username], event=event)
        created += 1
    return created
