"""Demo knowledge sets: the four knowledge topics of the seed office's four KM groups (seed 003),
each at a different stage of the workflow, plus one set past its review date and one retired.

- กลุ่ม KM ที่ 1, การจัดตั้งสหกรณ์และกลุ่มเกษตรกร: a how-to guide, published in two versions, with
  readers' questions, answers and votes, linked documents and an attachment;
- กลุ่ม KM ที่ 2, การตรวจการสหกรณ์และการแก้ไขข้อบกพร่อง: lessons learned (After Action Review), in
  review, with the reviewers' comments;
- กลุ่ม KM ที่ 3, การพัฒนากลุ่มเกษตรกรที่ต่ำกว่าเกณฑ์มาตรฐาน: a good practice, sent back once for
  changes, then approved and waiting to be published;
- กลุ่ม KM ที่ 4, การออกเอกสารสิทธิ์ในการจัดที่ดินทำกิน: questions and answers, still a draft.

Everything goes through the services, as in the portal; no email is sent. The texts are sample
texts written for the demo.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import F
from django.utils import timezone

from apps.accounts.models import User
from apps.core.choices import KMStep
from apps.library.models import Category, Document
from apps.notifications import reminders
from apps.notifications import services as notification_services
from apps.notifications.kinds import Delivery
from apps.notifications.models import Notification
from apps.notifications.services import no_email
from apps.teams.models import Team

from . import services
from .models import Comment, CommentKind, KnowledgeSet, SetKind, Transition, Version

HOW_TO_V1 = """## ใช้เมื่อใด

เมื่อเกษตรกรหรือประชาชนในพื้นที่ต้องการรวมกลุ่มกันจัดตั้งสหกรณ์หรือกลุ่มเกษตรกร และขอคำแนะนำจากสำนักงานสหกรณ์จังหวัด

## สิ่งที่ต้องเตรียม

- รายชื่อผู้ซึ่งจะเป็นสมาชิก (สหกรณ์ไม่น้อยกว่า 10 คน กลุ่มเกษตรกรไม่น้อยกว่า 30 คน)
- ร่างข้อบังคับตามแบบที่นายทะเบียนสหกรณ์กำหนด
- แผนการดำเนินงานอย่างน้อย 3 ปี
- รายงานการประชุมผู้ซึ่งจะเป็นสมาชิก

## ขั้นตอน

1. เจ้าหน้าที่ส่งเสริมสหกรณ์ลงพื้นที่ศึกษาความเป็นไปได้และความต้องการของกลุ่ม
2. จัดประชุมชี้แจงผู้ซึ่งจะเป็นสมาชิกเรื่องหลักการ อุดมการณ์ และวิธีการสหกรณ์
3. ผู้ซึ่งจะเป็นสมาชิกประชุมกันเลือกคณะผู้จัดตั้งและพิจารณาร่างข้อบังคับ
4. ยื่นคำขอจดทะเบียนพร้อมเอกสารต่อนายทะเบียนสหกรณ์ผ่านสำนักงานสหกรณ์จังหวัด
5. นายทะเบียนสหกรณ์พิจารณารับจดทะเบียนและแจ้งผล

## ระยะเวลาที่ใช้

ประมาณ 60 วัน นับแต่วันที่ได้รับคำขอที่มีเอกสารครบถ้วน

## ข้อผิดพลาดที่พบบ่อยและวิธีแก้ไข

- **ร่างข้อบังคับไม่ตรงกับแบบ** ให้ใช้แบบข้อบังคับฉบับล่าสุดเสมอ
- **รายงานการประชุมไม่ระบุมติ** ให้บันทึกมติและจำนวนผู้เข้าประชุมทุกครั้ง

## แบบฟอร์มและเอกสารที่เกี่ยวข้อง

- พระราชบัญญัติสหกรณ์ พ.ศ. 2542
- แผนผังขั้นตอนการจดทะเบียนจัดตั้งสหกรณ์
"""

HOW_TO_V2 = HOW_TO_V1.replace(
    "4. ยื่นคำขอจดทะเบียนพร้อมเอกสารต่อนายทะเบียนสหกรณ์ผ่านสำนักงานสหกรณ์จังหวัด\n"
    "5. นายทะเบียนสหกรณ์พิจารณารับจดทะเบียนและแจ้งผล",
    "4. เจ้าหน้าที่ตรวจสอบรายชื่อและคุณสมบัติของผู้ซึ่งจะเป็นสมาชิกก่อนยื่นคำขอ "
    "เพื่อไม่ให้ต้องแก้ไขเอกสารภายหลัง\n"
    "5. ยื่นคำขอจดทะเบียนพร้อมเอกสารต่อนายทะเบียนสหกรณ์ผ่านสำนักงานสหกรณ์จังหวัด\n"
    "6. นายทะเบียนสหกรณ์พิจารณารับจดทะเบียนและแจ้งผล",
).replace(
    "ประมาณ 60 วัน นับแต่วันที่ได้รับคำขอที่มีเอกสารครบถ้วน",
    "ไม่เกิน 30 วัน นับแต่วันที่ได้รับคำขอที่มีเอกสารครบถ้วน ตามแผนผังขั้นตอนที่ปรับปรุงเพื่อลดรอบระยะเวลา",
)

AAR = """## สิ่งที่คาดหวังไว้ (What was expected?)

ตรวจการสหกรณ์ในความรับผิดชอบให้ครบทุกแห่งภายในปีงบประมาณ 2551 และให้สหกรณ์ที่พบข้อบกพร่องแก้ไขได้เสร็จภายใน 90 วัน

## สิ่งที่เกิดขึ้นจริง (What actually happened?)

ตรวจการได้ครบทุกแห่ง แต่สหกรณ์ที่พบข้อบกพร่องแก้ไขเสร็จภายใน 90 วันเพียงร้อยละ 60

## ทำไมจึงแตกต่าง (Why was there a difference?)

### สิ่งที่ทำได้ดี

- วางแผนการตรวจการล่วงหน้าและแจ้งสหกรณ์ก่อนเข้าตรวจ
- ใช้แบบตรวจการมาตรฐานเดียวกันทุกแห่ง

### สิ่งที่ควรปรับปรุง

- ไม่มีการติดตามผลระหว่างทาง สหกรณ์จึงรอจนใกล้ครบกำหนด
- คณะกรรมการสหกรณ์บางแห่งไม่เข้าใจข้อบกพร่องที่ต้องแก้ไข

## บทเรียนและข้อเสนอแนะสำหรับครั้งต่อไป (What can we learn?)

1. ประชุมชี้แจงคณะกรรมการทันทีหลังตรวจพบข้อบกพร่อง
2. ติดตามผลทุก 30 วันและบันทึกความคืบหน้า
3. ให้ผู้ตรวจการที่มีประสบการณ์เป็นพี่เลี้ยงแก่ผู้ตรวจการใหม่

## ผู้ร่วมทบทวน

- สมาชิกกลุ่ม KM ที่ 2 และผู้ตรวจการสหกรณ์
"""

GOOD_PRACTICE_V1 = """## ชื่อแนวปฏิบัติที่ดี

การยกระดับกลุ่มเกษตรกรด้วยระบบพี่เลี้ยงและแผนพัฒนารายกลุ่ม

## สภาพปัญหาเดิม

กลุ่มเกษตรกรหลายกลุ่มไม่ผ่านเกณฑ์มาตรฐาน เพราะจัดทำบัญชีไม่เป็นปัจจุบันและไม่ได้ประชุมใหญ่ตามกำหนด

## วิธีปฏิบัติ

1. จัดชั้นกลุ่มเกษตรกรและเลือกกลุ่มที่ต่ำกว่าเกณฑ์มาตรฐาน
2. จัดทำแผนพัฒนารายกลุ่มร่วมกับคณะกรรมการกลุ่ม
3. จับคู่เจ้าหน้าที่พี่เลี้ยงหนึ่งคนต่อสองกลุ่ม
4. ติดตามผลทุกเดือน

## ปัจจัยแห่งความสำเร็จ

- คณะกรรมการกลุ่มมีส่วนร่วมในการวางแผน
- พี่เลี้ยงลงพื้นที่สม่ำเสมอ
"""

GOOD_PRACTICE_V2 = (
    GOOD_PRACTICE_V1
    + """
## ผลลัพธ์ที่เกิดขึ้น (ตัวชี้วัด)

| ตัวชี้วัด | ก่อนดำเนินการ | หลังดำเนินการ |
|---|---|---|
| กลุ่มที่ผ่านเกณฑ์มาตรฐาน | 4 กลุ่ม | 9 กลุ่ม |
| กลุ่มที่จัดทำบัญชีเป็นปัจจุบัน | ร้อยละ 40 | ร้อยละ 85 |

## การนำไปประยุกต์ใช้กับหน่วยงานอื่น

ใช้ได้กับการพัฒนาสหกรณ์ขนาดเล็ก โดยปรับแผนพัฒนาให้ตรงกับข้อบกพร่องของแต่ละแห่ง
"""
)

FAQ = """## คำถามที่ 1 ใครมีสิทธิ์ขอรับการจัดที่ดินทำกิน

**คำตอบ** เกษตรกรที่ไม่มีที่ดินทำกินหรือมีไม่เพียงพอ และเป็นสมาชิกสหกรณ์ในนิคมหรือโครงการ

## คำถามที่ 2 ต้องใช้เอกสารอะไรบ้าง

**คำตอบ** สำเนาบัตรประจำตัวประชาชน สำเนาทะเบียนบ้าน และหนังสือรับรองการเป็นสมาชิกสหกรณ์

## คำถามที่ 3 ใช้เวลานานเท่าใด

**คำตอบ** (กำลังรวบรวมข้อมูลจากเจ้าหน้าที่ผู้ปฏิบัติงาน)
"""

CORNER = """## สิ่งที่คาดหวังไว้ (What was expected?)

มีมุมความรู้ส่วนกลางที่ทุกคนในสำนักงานใช้ค้นหาระเบียบ หนังสือเวียน และคู่มือได้เอง

## สิ่งที่เกิดขึ้นจริง (What actually happened?)

จัดคอมพิวเตอร์ 1 เครื่องพร้อมระบบ LAN ชั้นเอกสาร และแผนผังกระบวนงาน เจ้าหน้าที่ใช้ค้นหาเอกสารได้เร็วขึ้น

## บทเรียนและข้อเสนอแนะสำหรับครั้งต่อไป (What can we learn?)

1. ต้องมีผู้รับผิดชอบปรับปรุงเอกสารให้เป็นปัจจุบัน
2. ควรเปิดให้ค้นหาผ่านระบบเครือข่ายได้จากทุกโต๊ะทำงาน
"""

FILING = """## วิธีเดิม

จัดเก็บหนังสือเวียนในแฟ้มกระดาษแยกตามปี และให้ผู้ต้องการใช้ยืมจากฝ่ายบริหารทั่วไป
"""

CHECKLIST = """แบบตรวจสอบเอกสารประกอบคำขอจดทะเบียนสหกรณ์
[ ] คำขอจดทะเบียนสหกรณ์
[ ] รายชื่อผู้ซึ่งจะเป็นสมาชิก ไม่น้อยกว่า 10 คน
[ ] ข้อบังคับ 4 ชุด
[ ] รายงานการประชุมผู้ซึ่งจะเป็นสมาชิก
[ ] แผนการดำเนินงาน 3 ปี
"""


def _ago(days: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=days)


def _set_data(spec: dict, people: dict[str, User]) -> services.SetData:
    """A spec of ``SETS`` as the services take it."""
    return services.SetData(
        title=spec["title"],
        kind=spec["kind"],
        summary=spec["summary"],
        body=spec["body"],
        group=Team.objects.filter(name=spec["group"]).first() if spec.get("group") else None,
        km_step=spec.get("step", ""),
        category=Category.objects.filter(name=spec.get("category", "")).first(),
        tag_names=spec.get("tags", []),
        authors=[people[name] for name in spec["authors"] if name in people],
        holders=[people[name] for name in spec.get("holders", []) if name in people],
        documents=list(Document.objects.filter(title__in=spec.get("documents", []))),
    )


def _when(knowledge_set: KnowledgeSet, days: int, since: dt.datetime) -> None:
    """Date what the last step wrote to ``days`` ago, so the demo has a believable history."""
    moment = _ago(days)
    Transition.objects.filter(knowledge_set=knowledge_set, at__gte=since).update(at=moment)
    Version.objects.filter(knowledge_set=knowledge_set, published_at__gte=since).update(
        published_at=moment
    )
    Comment.objects.filter(knowledge_set=knowledge_set, created_at__gte=since).update(
        created_at=moment, updated_at=moment
    )
    _notices().filter(target_id=knowledge_set.pk, created_at__gte=since).update(created_at=moment)


def _notices():
    return Notification.objects.filter(target_type=ContentType.objects.get_for_model(KnowledgeSet))


class Story:
    """Replays one set's history through the services, dating each step."""

    def __init__(self, spec: dict, people: dict[str, User]):
        self.spec, self.people = spec, people
        self.knowledge_set: KnowledgeSet | None = None

    def person(self, name: str) -> User:
        return self.people[name]

    def create(self, by: str, days: int) -> Story:
        since = timezone.now()
        data = _set_data(self.spec, self.people)
        self.knowledge_set = services.set_create(by=self.person(by), data=data)
        _when(self.knowledge_set, days, since)
        return self

    def edit(self, by: str, days: int, **changes) -> Story:
        since = timezone.now()
        data = _set_data({**self.spec, **changes}, self.people)
        self.knowledge_set = services.set_update(
            by=self.person(by), knowledge_set=self.knowledge_set, data=data
        )
        _when(self.knowledge_set, days, since)
        return self

    def reviewers(self, by: str, names: list[str], days: int) -> Story:
        since = timezone.now()
        chosen = [self.person(name) for name in names if name in self.people]
        services.reviewers_assign(by=self.person(by), knowledge_set=self.knowledge_set,
                                  reviewers=chosen)  # fmt: skip
        _when(self.knowledge_set, days, since)
        return self

    def step(self, by: str, action: str, days: int, note: str = "") -> Story:
        since = timezone.now()
        self.knowledge_set = services.set_transition(
            by=self.person(by), knowledge_set=self.knowledge_set, action=action, note=note
        )
        _when(self.knowledge_set, days, since)
        return self

    def comment(
        self, by: str, text: str, days: int, kind=CommentKind.REVIEW, section="", reply=False
    ) -> Story:
        since = timezone.now()
        parent = self.knowledge_set.comments.order_by("-pk").first() if reply else None
        services.comment_add(
            by=self.person(by),
            knowledge_set=self.knowledge_set,
            kind=kind,
            body=text,
            section=section,
            parent=parent,
        )
        _when(self.knowledge_set, days, since)
        return self

    def readers(self, votes: dict[str, bool]) -> Story:
        for name, useful in votes.items():
            if name in self.people:
                reader = self.person(name)
                services.reading_record(by=reader, knowledge_set=self.knowledge_set)
                services.vote_cast(by=reader, knowledge_set=self.knowledge_set, useful=useful)
        return self

    def attach(self, by: str, name: str, content: str) -> Story:
        services.attachments_add(
            by=self.person(by),
            knowledge_set=self.knowledge_set,
            files=[SimpleUploadedFile(name, content.encode())],
        )
        return self


SETS = [
    {
        "title": "ขั้นตอนการจัดตั้งสหกรณ์และกลุ่มเกษตรกร",
        "kind": SetKind.HOW_TO,
        "group": "กลุ่ม KM ที่ 1",
        "summary": "ขั้นตอนการให้คำแนะนำและจดทะเบียนจัดตั้งสหกรณ์และกลุ่มเกษตรกร ตั้งแต่ศึกษาความเป็นไปได้จนนายทะเบียนรับจดทะเบียน "  # noqa: E501
        "จากประสบการณ์ของเจ้าหน้าที่กลุ่มจัดตั้งและส่งเสริมสหกรณ์",
        "body": HOW_TO_V1,
        "step": KMStep.CODIFY,
        "category": "คู่มือและแนวทางปฏิบัติ",
        "tags": ["การจัดตั้งสหกรณ์", "กลุ่มเกษตรกร"],
        "authors": ["anan", "kannika"],
        "holders": ["kannika"],
        "documents": [
            "แผนผังขั้นตอนการจดทะเบียนจัดตั้งสหกรณ์ (ลดรอบระยะเวลา)",
            "พระราชบัญญัติสหกรณ์ พ.ศ. 2542 (ฉบับรวบรวมเพื่อการศึกษา)",
        ],
    },
    {
        "title": "บทเรียนจากการตรวจการสหกรณ์และการติดตามแก้ไขข้อบกพร่อง ปีงบประมาณ 2551",
        "kind": SetKind.LESSONS_LEARNED,
        "group": "กลุ่ม KM ที่ 2",
        "summary": "ทบทวนหลังการปฏิบัติงาน (AAR) ของการตรวจการสหกรณ์ ทำไมสหกรณ์จึงแก้ไขข้อบกพร่องไม่ทันกำหนด และจะทำอย่างไรในปีต่อไป",  # noqa: E501
        "body": AAR,
        "step": KMStep.LEARN,
        "category": "การจัดการความรู้",
        "tags": ["การตรวจการสหกรณ์", "AAR"],
        "authors": ["suwit", "thawatchai"],
        "holders": ["suwit"],
        "documents": [
            "คู่มือการตรวจการสหกรณ์สำหรับเจ้าหน้าที่",
            "บันทึกแนวคิดกลุ่ม KM ที่ 2 เรื่อง การแก้ไขข้อบกพร่องของสหกรณ์ (ฉบับร่างภายในกลุ่ม)",
        ],
    },
    {
        "title": "แนวปฏิบัติที่ดี: การยกระดับกลุ่มเกษตรกรที่ต่ำกว่าเกณฑ์มาตรฐานให้ได้มาตรฐาน",
        "kind": SetKind.GOOD_PRACTICE,
        "group": "กลุ่ม KM ที่ 3",
        "summary": "ระบบพี่เลี้ยงและแผนพัฒนารายกลุ่มที่ช่วยให้กลุ่มเกษตรกรผ่านเกณฑ์มาตรฐานเพิ่มขึ้นจาก 4 เป็น 9 กลุ่ม",
        "body": GOOD_PRACTICE_V1,
        "step": KMStep.SHARE,
        "category": "คู่มือและแนวทางปฏิบัติ",
        "tags": ["กลุ่มเกษตรกร", "ระบบพี่เลี้ยง"],
        "authors": ["malee", "prasert"],
        "holders": ["prasert"],
    },
    {
        "title": "ถาม–ตอบ การออกเอกสารสิทธิ์ในการจัดที่ดินทำกิน",
        "kind": SetKind.FAQ,
        "group": "กลุ่ม KM ที่ 4",
        "summary": "คำถามที่เกษตรกรถามบ่อยเรื่องการขอรับการจัดที่ดินทำกินและเอกสารสิทธิ์",
        "body": FAQ,
        "step": KMStep.ACCESS,
        "tags": ["ที่ดินทำกิน", "เอกสารสิทธิ์"],
        "authors": ["jintana"],
    },
    {
        "title": "บทเรียนการจัดทำมุมความรู้ส่วนกลางของสำนักงาน",
        "kind": SetKind.LESSONS_LEARNED,
        "summary": "จากงานที่ 7 ของสำนักงาน: จัดมุมความรู้ส่วนกลางพร้อมคอมพิวเตอร์ ชั้นเอกสาร และระบบสืบค้น",
        "body": CORNER,
        "step": KMStep.ACCESS,
        "category": "การจัดการความรู้",
        "tags": ["มุมความรู้"],
        "authors": ["pranee"],
    },
    {
        "title": "แนวทางการจัดเก็บหนังสือเวียนในแฟ้มกระดาษ (ฉบับเดิม)",
        "kind": SetKind.HOW_TO,
        "summary": "วิธีจัดเก็บและยืมหนังสือเวียนแบบเดิม ก่อนมีมุมความรู้และระบบสืบค้น",
        "body": FILING,
        "step": KMStep.ORGANIZE,
        "tags": ["หนังสือเวียน"],
        "authors": ["pranee"],
    },
]


def _story(index: int, story: Story) -> None:
    if index == 0:  # published twice, read, asked about and voted on
        story.create("anan", 150)
        story.attach("anan", "แบบตรวจสอบเอกสารประกอบคำขอจดทะเบียน.txt", CHECKLIST)
        (story.reviewers("wilai", ["pranee"], 149)
         .step("anan", "submit", 148).step("pranee", "start_review", 147)
         .comment("pranee", "ควรระบุจำนวนสมาชิกขั้นต่ำของกลุ่มเกษตรกรให้ชัดเจน", 146,
                  section="สิ่งที่ต้องเตรียม")
         .comment("anan", "ระบุไว้แล้วในหัวข้อสิ่งที่ต้องเตรียมครับ", 145, reply=True)
         .step("wilai", "approve", 144)
         .step("wilai", "publish", 143, note="ฉบับแรก"))  # fmt: skip
        story.comment("staff", "ถ้าผู้ซึ่งจะเป็นสมาชิกยังไม่ครบ 10 คน ควรทำอย่างไร", 120,
                      kind=CommentKind.QUESTION, section="สิ่งที่ต้องเตรียม")  # fmt: skip
        story.comment("anan", "ให้รวบรวมสมาชิกให้ครบก่อนยื่นคำขอ หรือพิจารณาจัดตั้งเป็นกลุ่มเกษตรกรแทน",
                      119, kind=CommentKind.COMMENT, reply=True)  # fmt: skip
        (story.step("anan", "revise", 40)
         .edit("anan", 39, body=HOW_TO_V2)
         .step("anan", "submit", 38).step("pranee", "start_review", 37)
         .step("somchai", "approve", 35)
         .step("somchai", "publish", 34,
               note="เพิ่มขั้นตอนตรวจสอบคุณสมบัติสมาชิก และลดระยะเวลาเหลือไม่เกิน 30 วัน"))  # fmt: skip
        story.comment("malee", "ขั้นตอนใหม่ช่วยลดการแก้ไขเอกสารได้มาก ขอบคุณค่ะ", 20,
                      kind=CommentKind.COMMENT)  # fmt: skip
        story.readers({"staff": True, "malee": True, "suwit": True, "jintana": True,
                       "thawatchai": False})  # fmt: skip
    elif index == 1:  # in review, with the reviewers' comments
        (story.create("suwit", 30).reviewers("wilai", ["pranee", "kannika"], 28)
         .step("suwit", "submit", 27).step("pranee", "start_review", 25)
         .comment("pranee", "ควรเพิ่มตัวเลขจำนวนสหกรณ์ที่ตรวจการและที่พบข้อบกพร่อง เพื่อให้เห็นภาพชัดขึ้น",
                  24, section="สิ่งที่เกิดขึ้นจริง (What actually happened?)")
         .comment("suwit", "จะเพิ่มตารางสรุปจากรายงานผลการตรวจการครับ", 23, reply=True)
         .comment("kannika", "ข้อเสนอเรื่องระบบพี่เลี้ยงน่าจะเชื่อมกับแนวปฏิบัติของกลุ่ม KM ที่ 3 ได้",
                  22, section="บทเรียนและข้อเสนอแนะสำหรับครั้งต่อไป (What can we learn?)"))  # fmt: skip
    elif index == 2:  # sent back once, then approved
        (story.create("malee", 60).reviewers("wilai", ["kannika"], 58)
         .step("malee", "submit", 57).step("kannika", "start_review", 55)
         .step("kannika", "request_changes", 54,
               note="ขอให้เพิ่มตัวชี้วัดก่อนและหลังดำเนินการ เพื่อแสดงผลลัพธ์ให้ชัดเจน")
         .edit("malee", 50, body=GOOD_PRACTICE_V2)
         .step("malee", "submit", 49)  # straight back in review (issue 16)
         .comment("kannika", "ตัวชี้วัดชัดเจนดีแล้ว", 46, section="ผลลัพธ์ที่เกิดขึ้น (ตัวชี้วัด)")
         .step("wilai", "approve", 45, note="เห็นชอบ รอเผยแพร่พร้อมชุดความรู้ของกลุ่มอื่น"))  # fmt: skip
    elif index == 3:  # still a draft
        story.create("jintana", 7)
    elif index == 4:  # published long ago; its review date has passed
        (story.create("pranee", 420).step("pranee", "submit", 418)
         .step("wilai", "start_review", 417).step("wilai", "approve", 416)
         .step("wilai", "publish", 415))  # fmt: skip
        KnowledgeSet.objects.filter(pk=story.knowledge_set.pk).update(
            review_due=timezone.localdate() - dt.timedelta(days=50)
        )
    elif index == 5:  # retired: the knowledge corner replaced it
        (story.create("pranee", 400).step("pranee", "submit", 399)
         .step("wilai", "start_review", 398).step("wilai", "approve", 397)
         .step("wilai", "publish", 396)
         .step("wilai", "archive", 90,
               note="ใช้มุมความรู้ส่วนกลางและระบบสืบค้นแทนการยืมแฟ้มกระดาษแล้ว"))  # fmt: skip


def seed(stdout) -> None:
    people = {user.username: user for user in User.objects.all()}
    needed = {"anan", "kannika", "suwit", "malee", "jintana", "pranee", "wilai", "somchai"}
    if not needed <= set(people):
        stdout.write("Knowledge sets: the demo people are missing; nothing created.")
        return
    created = 0
    with no_email():
        for index, spec in enumerate(SETS):
            if KnowledgeSet.objects.filter(title=spec["title"]).exists():
                continue
            story = Story(spec, people)
            _story(index, story)
            steps = story.knowledge_set.transitions.order_by("at")
            KnowledgeSet.objects.filter(pk=story.knowledge_set.pk).update(
                created_at=steps.first().at, updated_at=steps.last().at
            )
            created += 1
    if created:
        # People have read the older notices; the home page shows what came in the last weeks.
        _notices().filter(read_at__isnull=True, created_at__lt=_ago(36)).update(
            read_at=F("created_at")
        )
        # Today's reminders (the set past its review date, the review waiting for weeks), as
        # the morning's run would send them; recorded as sent, so no run mails them again.
        with no_email():
            reminders.run(only=["knowledge.review_due", "knowledge.review_waiting"])
    # A reviewer who reads the review comments in the portal and wants no e-mail about them.
    notification_services.set_preferences(
        by=people["kannika"],
        person=people["kannika"],
        choices={"knowledge.review_comment": Delivery.OFF},
    )
    stdout.write(f"Knowledge sets: {created} created, {len(SETS) - created} already there.")


# Shown by ``make run``: the authors and reviewers of the demo sets.
LOGINS = [
    ("kannika", "reviewer, KM-process working group / ผู้ตรวจทานชุดความรู้"),
    ("suwit", "author, KM group 2 / ผู้เขียนชุดความรู้ กลุ่ม KM ที่ 2"),
]
