"""A starting Markdown skeleton for each kind of set: seed 003's step 4 (codification) asks for
standard forms, one style and one terminology, so every new set starts from the office's form.

Like the default duties of the teams app, these are the office's own Thai documents, not interface
text: they are content the authors overwrite, so they are not translated.
"""

import re

from django.utils.translation import gettext_lazy as _

from .models import SetKind

#: A placeholder the author replaces: ``[ระบุ: what to write]``. The editor may write the brackets
#: escaped (``\[ระบุ: …\]``), which reads the same.
PLACEHOLDER = re.compile(r"\\?\[\s*ระบุ\s*:[^\]\n]*\\?\]")


def hole(what: str) -> str:
    return f"[ระบุ: {what}]"


SKELETONS: dict[str, str] = {
    SetKind.KNOWLEDGE_SET: f"""## ความเป็นมาและความสำคัญ

{hole("เหตุใดความรู้นี้จึงจำเป็นต่อการปฏิบัติงาน และใช้ในงานใด")}

## วัตถุประสงค์

- {hole("สิ่งที่ผู้อ่านจะทำได้เมื่ออ่านจบ")}

## เนื้อหาความรู้

### ประเด็นที่ 1

{hole("สาระสำคัญของประเด็นแรก")}

### ประเด็นที่ 2

## ขั้นตอนการนำไปใช้

1. {hole("ขั้นตอนแรก")}
2. {hole("ขั้นตอนถัดไป")}

## ข้อควรระวัง

- {hole("สิ่งที่มักผิดพลาด")}

## ผู้รู้และแหล่งอ้างอิง

- ผู้ถ่ายทอดความรู้: {hole("ชื่อและตำแหน่ง")}
- เอกสารอ้างอิง: {hole("ระเบียบ หนังสือเวียน หรือคู่มือ")}
""",
    SetKind.LESSONS_LEARNED: f"""## สิ่งที่คาดหวังไว้

{hole("เป้าหมายของงานหรือกิจกรรมนี้")}

## สิ่งที่เกิดขึ้นจริง

{hole("ผลที่เกิดขึ้นจริง")}

## สาเหตุที่แตกต่างจากที่คาดหวัง

### สิ่งที่ทำได้ดี

- {hole("สิ่งที่ควรทำต่อไป")}

### สิ่งที่ควรปรับปรุง

- {hole("สิ่งที่ควรเปลี่ยน")}

## บทเรียนและข้อเสนอแนะสำหรับครั้งต่อไป

1. {hole("บทเรียนข้อแรก")}

## ผู้ร่วมทบทวน

- {hole("ชื่อผู้ร่วมทบทวน")}
""",
    SetKind.GOOD_PRACTICE: f"""## ชื่อแนวปฏิบัติที่ดี

{hole("ชื่อสั้น ๆ ที่บอกว่าทำอะไร")}

## สภาพปัญหาเดิม

{hole("ปัญหาก่อนมีแนวปฏิบัตินี้")}

## วิธีปฏิบัติ

1. {hole("ขั้นตอนแรก")}
2. {hole("ขั้นตอนถัดไป")}

## ปัจจัยแห่งความสำเร็จ

- {hole("สิ่งที่ทำให้ได้ผล")}

## ผลลัพธ์ที่เกิดขึ้น (ตัวชี้วัด)

| ตัวชี้วัด | ก่อนดำเนินการ | หลังดำเนินการ |
|---|---|---|
|  |  |  |

## การนำไปประยุกต์ใช้กับหน่วยงานอื่น

""",
    SetKind.FAQ: f"""## คำถามที่ 1

{hole("คำถามที่พบบ่อย")}

**คำตอบ** {hole("คำตอบ")}

## คำถามที่ 2

**คำตอบ**

## คำถามที่ 3

**คำตอบ**

## ติดต่อสอบถามเพิ่มเติม

- {hole("ผู้ตอบและช่องทางติดต่อ")}
""",
    SetKind.HOW_TO: f"""## ใช้เมื่อใด

{hole("งานหรือสถานการณ์ที่ใช้คู่มือนี้")}

## สิ่งที่ต้องเตรียม

- {hole("เอกสารหรือข้อมูลที่ต้องมี")}

## ขั้นตอน

1. {hole("ขั้นตอนแรก")}
2. {hole("ขั้นตอนถัดไป")}
3. {hole("ขั้นตอนสุดท้าย")}

## ระยะเวลาที่ใช้

## ข้อผิดพลาดที่พบบ่อยและวิธีแก้ไข

- {hole("ข้อผิดพลาดและวิธีแก้")}

## แบบฟอร์มและเอกสารที่เกี่ยวข้อง

- {hole("ชื่อแบบฟอร์มหรือเอกสาร")}
""",
}

#: The sections a set of each kind cannot be submitted with while they still hold a placeholder
#: (the others may stay as they are, or be deleted).
REQUIRED: dict[str, tuple[str, ...]] = {
    SetKind.KNOWLEDGE_SET: (
        "ความเป็นมาและความสำคัญ",
        "วัตถุประสงค์",
        "ประเด็นที่ 1",
        "ขั้นตอนการนำไปใช้",
    ),
    SetKind.LESSONS_LEARNED: (
        "สิ่งที่คาดหวังไว้",
        "สิ่งที่เกิดขึ้นจริง",
        "บทเรียนและข้อเสนอแนะสำหรับครั้งต่อไป",
    ),
    SetKind.GOOD_PRACTICE: ("ชื่อแนวปฏิบัติที่ดี", "สภาพปัญหาเดิม", "วิธีปฏิบัติ"),
    SetKind.FAQ: ("คำถามที่ 1",),
    SetKind.HOW_TO: ("ใช้เมื่อใด", "ขั้นตอน"),
}

_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")


def sections(body: str) -> list[tuple[str, str]]:
    """The body's sections: each heading's text (``**`` and escapes dropped) with the text
    under it up to the next heading; text before the first heading has the heading ``""``."""
    found: list[tuple[str, list[str]]] = [("", [])]
    for line in body.splitlines():
        match = _HEADING.match(line)
        if match:
            title = match.group(1).replace("\\", "").replace("**", "").strip()
            found.append((title, []))
        else:
            found[-1][1].append(line)
    return [(title, "\n".join(lines)) for title, lines in found]


def unfilled_sections(body: str, kind: str) -> list[str]:
    """The required sections of the kind's template (``REQUIRED``) that still hold a
    placeholder, in the order of the body."""
    required = set(REQUIRED.get(kind, REQUIRED[SetKind.KNOWLEDGE_SET]))
    return [
        title for title, text in sections(body) if title in required and PLACEHOLDER.search(text)
    ]


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
