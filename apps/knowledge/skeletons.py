"""A starting Markdown skeleton for each kind of set: seed 003's step 4 (codification) asks for
standard forms, one style and one terminology, so every new set starts from the office's form.

Like the default duties of the teams app, these are the office's own Thai documents, not interface
text: they are content the authors overwrite, so they are not translated.
"""

from django.utils.translation import gettext_lazy as _

from .models import SetKind

SKELETONS: dict[str, str] = {
    SetKind.KNOWLEDGE_SET: """## ความเป็นมาและความสำคัญ

เหตุใดความรู้นี้จึงจำเป็นต่อการปฏิบัติงาน และใช้ในงานใด

## วัตถุประสงค์

- …

## เนื้อหาความรู้

### ประเด็นที่ 1

### ประเด็นที่ 2

## ขั้นตอนการนำไปใช้

1. …
2. …

## ข้อควรระวัง

- …

## ผู้รู้และแหล่งอ้างอิง

- ผู้ถ่ายทอดความรู้: …
- เอกสารอ้างอิง: …
""",
    SetKind.LESSONS_LEARNED: """## สิ่งที่คาดหวังไว้ (What was expected?)

เป้าหมายของงานหรือกิจกรรมนี้คืออะไร

## สิ่งที่เกิดขึ้นจริง (What actually happened?)

## ทำไมจึงแตกต่าง (Why was there a difference?)

### สิ่งที่ทำได้ดี

- …

### สิ่งที่ควรปรับปรุง

- …

## บทเรียนและข้อเสนอแนะสำหรับครั้งต่อไป (What can we learn?)

1. …

## ผู้ร่วมทบทวน

- …
""",
    SetKind.GOOD_PRACTICE: """## ชื่อแนวปฏิบัติที่ดี

## สภาพปัญหาเดิม

## วิธีปฏิบัติ

1. …
2. …

## ปัจจัยแห่งความสำเร็จ

- …

## ผลลัพธ์ที่เกิดขึ้น (ตัวชี้วัด)

| ตัวชี้วัด | ก่อนดำเนินการ | หลังดำเนินการ |
|---|---|---|
|  |  |  |

## การนำไปประยุกต์ใช้กับหน่วยงานอื่น

""",
    SetKind.FAQ: """## คำถามที่ 1

**คำตอบ** …

## คำถามที่ 2

**คำตอบ** …

## คำถามที่ 3

**คำตอบ** …

## ติดต่อสอบถามเพิ่มเติม

- …
""",
    SetKind.HOW_TO: """## ใช้เมื่อใด

## สิ่งที่ต้องเตรียม

- …

## ขั้นตอน

1. …
2. …
3. …

## ระยะเวลาที่ใช้

## ข้อผิดพลาดที่พบบ่อยและวิธีแก้ไข

- …

## แบบฟอร์มและเอกสารที่เกี่ยวข้อง

- …
""",
}

DESCRIPTIONS = {
    SetKind.KNOWLEDGE_SET: _(
        "Knowledge a KM group has gathered on its topic, in the office's standard form."
    ),
    SetKind.LESSONS_LEARNED: _(
        "An After Action Review: what was expected, what happened, why, and what to do next time."
    ),
    SetKind.GOOD_PRACTICE: _("A way of working that gave good results, and how others can use it."),
    SetKind.FAQ: _("Questions colleagues and cooperatives often ask, with their answers."),
    SetKind.HOW_TO: _("A task step by step: what to prepare, the steps, and common mistakes."),
}

ICONS = {
    SetKind.KNOWLEDGE_SET: "journal-richtext",
    SetKind.LESSONS_LEARNED: "arrow-repeat",
    SetKind.GOOD_PRACTICE: "award",
    SetKind.FAQ: "question-circle",
    SetKind.HOW_TO: "list-ol",
}


def skeleton(kind: str) -> str:
    return SKELETONS.get(kind, SKELETONS[SetKind.KNOWLEDGE_SET])
