"""A demo shelf for the knowledge corner: circulars, regulations, a law, a manual, a textbook, a
form, a process flowchart and a report, each with a small real file made here (no binary files
in the repository). The texts are short sample texts written for the demo."""

from __future__ import annotations

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from apps.accounts.models import User
from apps.core.choices import KMStep
from apps.teams.models import Team, TeamKind

from . import ocr, services
from .models import AccessLevel, Document, DocumentType, TextStatus

SEVEN_STEPS = [
    "การบ่งชี้ความรู้ คือ การค้นหาและระบุให้ได้ว่าองค์กรจำเป็นต้องรู้อะไร ขณะนี้มีความรู้อะไร อยู่ในรูปแบบใด และอยู่ที่ใคร",
    "การสร้างและแสวงหาความรู้ โดยการสร้างความรู้ใหม่ แสวงหาความรู้จากภายนอก รักษาความรู้เก่า และกำจัดความรู้ที่ใช้ไม่ได้แล้ว",  # noqa: E501
    "การจัดความรู้ให้เป็นระบบ คือ การวางโครงสร้างความรู้เพื่อเตรียมพร้อมสำหรับการเก็บความรู้อย่างเป็นระบบ",
    "การประมวลและกลั่นกรองความรู้ คือ การปรับปรุงเอกสารให้เป็นมาตรฐาน ใช้รูปแบบและเนื้อหาเดียวกัน",
    "การเข้าถึงความรู้ คือ การทำให้คนในองค์กรเข้าถึงความรู้ได้ เช่น การฝึกอบรม หนังสือเวียน เว็บไซต์ เว็บบอร์ด",
    "การแบ่งปันแลกเปลี่ยนเรียนรู้ เช่น ชุมชนนักปฏิบัติ ระบบพี่เลี้ยง การสับเปลี่ยนงาน และเวทีแลกเปลี่ยนความคิดเห็น",
    "การเรียนรู้ คือ การนำความรู้ไปใช้ในการปฏิบัติงาน สร้างนวัตกรรม และสร้างองค์ความรู้ใหม่อย่างต่อเนื่อง",
]  # fmt: skip

CATEGORIES = [
    ("กฎหมายและระเบียบ", None),
    ("พระราชบัญญัติ", "กฎหมายและระเบียบ"),
    ("ระเบียบนายทะเบียนสหกรณ์", "กฎหมายและระเบียบ"),
    ("หนังสือเวียน", None),
    ("คู่มือและแนวทางปฏิบัติ", None),
    ("การจัดการความรู้", None),
    ("แบบฟอร์ม", None),
]


def _text(name: str, body: str, encoding: str = "utf-8") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, body.encode(encoding))


def _docx(name: str, heading: str, paragraphs: list[str]) -> SimpleUploadedFile:
    import docx

    document = docx.Document()
    document.add_heading(heading, level=1)
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def _xlsx(name: str) -> SimpleUploadedFile:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "รายงานความก้าวหน้า"
    sheet.append(["ลำดับ", "กิจกรรม", "ขั้นตอน KM", "ร้อยละความก้าวหน้า", "หมายเหตุ"])
    sheet.append([1, "จัดทำแผนการจัดการความรู้", "การบ่งชี้ความรู้", 100, ""])
    sheet.append([2, "รวบรวมองค์ความรู้จากกลุ่ม KM", "การสร้างและแสวงหาความรู้", 60, ""])
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def _flowchart(name: str) -> SimpleUploadedFile:
    """A simple process flowchart as a PNG: five boxes joined by arrows."""
    image = Image.new("RGB", (900, 520), "white")
    draw = ImageDraw.Draw(image)
    steps = ["1 Request", "2 Check documents", "3 Meeting", "4 Register", "5 Notify"]
    for index, label in enumerate(steps):
        x = 40 + index * 170
        draw.rounded_rectangle((x, 200, x + 140, 290), radius=14, outline=(31, 95, 139), width=4)
        draw.text((x + 16, 236), label, fill=(20, 20, 20))
        if index < len(steps) - 1:
            draw.line((x + 140, 245, x + 170, 245), fill=(242, 177, 52), width=5)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue())


def _pptx(name: str, title: str, bullets: list[str]) -> SimpleUploadedFile:
    from pptx import Presentation

    presentation = Presentation()
    slide = presentation.slides.add_slide(presentation.slide_layouts[1])
    slide.shapes.title.text = title
    body = slide.placeholders[1].text_frame
    body.text = bullets[0]
    for bullet in bullets[1:]:
        body.add_paragraph().text = bullet
    buffer = io.BytesIO()
    presentation.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def _documents() -> list[dict]:
    return [
        {
            "title": "หนังสือเวียน เรื่อง แนวทางการจัดทำบัญชีของสหกรณ์ขนาดเล็ก",
            "doc_type": DocumentType.CIRCULAR, "number": "กษ 1108/ว 123",
            "agency": "กรมตรวจบัญชีสหกรณ์", "issued_on": dt.date(2008, 6, 5),
            "category": "หนังสือเวียน", "tags": ["บัญชีสหกรณ์", "หนังสือเวียน"],
            "km_step": KMStep.ACCESS,
            "file": lambda: _text("หนังสือเวียน ว123.txt", "ด้วยกรมตรวจบัญชีสหกรณ์ได้กำหนดแนวทางการจัดทำบัญชีของสหกรณ์ขนาดเล็ก เพื่อให้สหกรณ์จัดทำบัญชีได้ถูกต้องตามระเบียบนายทะเบียนสหกรณ์ จึงขอให้สำนักงานสหกรณ์จังหวัดแจ้งสหกรณ์ในพื้นที่ทราบและถือปฏิบัติต่อไป"),  # noqa: E501
        },
        {
            "title": "หนังสือเวียน เรื่อง การประชุมใหญ่สามัญประจำปีของสหกรณ์ (ฉบับเดิม)",
            "doc_type": DocumentType.CIRCULAR, "number": "กษ 1104/ว 45",
            "agency": "กรมส่งเสริมสหกรณ์", "issued_on": dt.date(2007, 2, 14),
            "category": "หนังสือเวียน", "tags": ["การประชุมใหญ่"], "replaced_by": "new-meeting",
            "file": lambda: _text("ว45 การประชุมใหญ่.txt", "สหกรณ์ต้องจัดให้มีการประชุมใหญ่สามัญประจำปีภายในหนึ่งร้อยห้าสิบวันนับแต่วันสิ้นปีทางบัญชี"),  # noqa: E501
        },
        {
            "key": "new-meeting",
            "title": "หนังสือเวียน เรื่อง การประชุมใหญ่สามัญประจำปีของสหกรณ์ (ฉบับปรับปรุง)",
            "doc_type": DocumentType.CIRCULAR, "number": "กษ 1104/ว 210",
            "agency": "กรมส่งเสริมสหกรณ์", "issued_on": dt.date(2009, 3, 2),
            "category": "หนังสือเวียน", "tags": ["การประชุมใหญ่"],
            "file": lambda: _text("ว210 การประชุมใหญ่ ฉบับปรับปรุง.txt", "ให้สหกรณ์จัดประชุมใหญ่สามัญประจำปีภายในหนึ่งร้อยห้าสิบวัน และรายงานผลการประชุมต่อนายทะเบียนสหกรณ์ภายในสามสิบวันนับแต่วันประชุม"),  # noqa: E501
        },
        {
            "title": "พระราชบัญญัติสหกรณ์ พ.ศ. 2542 (ฉบับรวบรวมเพื่อการศึกษา)",
            "doc_type": DocumentType.LAW, "agency": "สำนักงานคณะกรรมการกฤษฎีกา",
            "issued_on": dt.date(1999, 4, 13), "effective_on": dt.date(1999, 4, 14),
            "category": "กฎหมายและระเบียบ > พระราชบัญญัติ", "tags": ["กฎหมายสหกรณ์"],
            # Saved in TIS-620, as many older government text files are.
            "file": lambda: _text("พรบ สหกรณ์ 2542.txt", "พระราชบัญญัติสหกรณ์ พ.ศ. ๒๕๔๒\nมาตรา ๓๓ สหกรณ์ต้องมีข้อบังคับ\nมาตรา ๔๓ ให้สหกรณ์จัดทำบัญชีตามแบบและรายการที่นายทะเบียนสหกรณ์กำหนด", "tis-620"),  # noqa: E501
        },
        {
            "title": "ระเบียบนายทะเบียนสหกรณ์ ว่าด้วยการจัดทำบัญชีของสหกรณ์",
            "doc_type": DocumentType.REGULATION, "agency": "นายทะเบียนสหกรณ์",
            "issued_on": dt.date(2005, 9, 1), "category": "กฎหมายและระเบียบ > ระเบียบนายทะเบียนสหกรณ์",
            "tags": ["บัญชีสหกรณ์", "ระเบียบ"],
            "file": lambda: _docx("ระเบียบการจัดทำบัญชี.docx", "ระเบียบนายทะเบียนสหกรณ์ ว่าด้วยการจัดทำบัญชีของสหกรณ์", ["ข้อ 1 ระเบียบนี้เรียกว่า ระเบียบนายทะเบียนสหกรณ์ว่าด้วยการจัดทำบัญชีของสหกรณ์", "ข้อ 2 ให้สหกรณ์บันทึกรายการบัญชีเป็นประจำทุกวัน"]),  # noqa: E501
        },
        {
            "title": "คู่มือการตรวจการสหกรณ์สำหรับเจ้าหน้าที่",
            "doc_type": DocumentType.MANUAL, "agency": "กรมส่งเสริมสหกรณ์",
            "issued_on": dt.date(2010, 1, 15), "category": "คู่มือและแนวทางปฏิบัติ",
            "tags": ["การตรวจการสหกรณ์", "คู่มือ"], "km_step": KMStep.CODIFY,
            "file": lambda: _text("คู่มือการตรวจการสหกรณ์.html", "<html><head><title>คู่มือ</title><style>p{color:red}</style></head><body><h1>คู่มือการตรวจการสหกรณ์</h1><p>ผู้ตรวจการสหกรณ์ต้องตรวจสอบการดำเนินงานของสหกรณ์ให้เป็นไปตามกฎหมาย ข้อบังคับ และระเบียบ</p><script>alert(1)</script></body></html>"),  # noqa: E501
        },
        {
            "title": "ตำราการจัดการความรู้เบื้องต้นสำหรับส่วนราชการ",
            "doc_type": DocumentType.TEXTBOOK, "agency": "สำนักงานสหกรณ์จังหวัดชุมพร",
            "issued_on": dt.date(2008, 5, 20), "category": "การจัดการความรู้",
            "tags": ["การจัดการความรู้", "KM"], "km_step": KMStep.LEARN,
            "file": lambda: _docx("ตำราการจัดการความรู้.docx", "กระบวนการจัดการความรู้ 7 ขั้นตอน", SEVEN_STEPS),  # noqa: E501
        },
        {
            "title": "แผนผังขั้นตอนการจดทะเบียนจัดตั้งสหกรณ์ (ลดรอบระยะเวลา)",
            "doc_type": DocumentType.FLOWCHART, "agency": "สำนักงานสหกรณ์จังหวัดชุมพร",
            "issued_on": dt.date(2008, 8, 1), "category": "คู่มือและแนวทางปฏิบัติ",
            "tags": ["การจัดตั้งสหกรณ์", "ลดรอบระยะเวลา"], "km_step": KMStep.ORGANIZE,
            "description": "แผนผังกระบวนงานที่ปรับปรุงเพื่อลดรอบระยะเวลาการจดทะเบียนจัดตั้งสหกรณ์",
            "file": lambda: _flowchart("แผนผังการจดทะเบียนสหกรณ์.png"),
        },
        {
            "title": "แบบรายงานความก้าวหน้าการดำเนินงานตามแผนการจัดการความรู้",
            "doc_type": DocumentType.FORM, "agency": "สำนักงานสหกรณ์จังหวัดชุมพร",
            "issued_on": dt.date(2008, 10, 1), "category": "แบบฟอร์ม", "tags": ["แผน KM", "แบบฟอร์ม"],
            "file": lambda: _xlsx("แบบรายงานความก้าวหน้า.xlsx"),
        },
        {
            "title": "รายงานผลการดำเนินงานการจัดการความรู้ ปีงบประมาณ 2551",
            "doc_type": DocumentType.REPORT, "agency": "สำนักงานสหกรณ์จังหวัดชุมพร",
            "issued_on": dt.date(2008, 9, 30), "category": "การจัดการความรู้",
            "tags": ["การจัดการความรู้", "รายงาน"], "access": AccessLevel.KM_TEAM,
            "file": lambda: _pptx("รายงานผล KM 2551.pptx", "ผลการดำเนินงาน KM ปี 2551", ["แต่งตั้งคณะทำงานตามคำสั่งที่ 5/2551 และ 9/2551", "แบ่งกลุ่ม KM จำนวน 4 กลุ่ม", "จัดทำมุมความรู้ส่วนกลาง"]),  # noqa: E501
        },
        {
            "title": "บันทึกแนวคิดกลุ่ม KM ที่ 2 เรื่อง การแก้ไขข้อบกพร่องของสหกรณ์ (ฉบับร่างภายในกลุ่ม)",
            "doc_type": DocumentType.OTHER, "agency": "กลุ่ม KM ที่ 2",
            "issued_on": dt.date(2008, 7, 10), "category": "การจัดการความรู้",
            "tags": ["การตรวจการสหกรณ์"], "access": AccessLevel.TEAM, "team": "กลุ่ม KM ที่ 2",
            "file": lambda: _text("บันทึกกลุ่ม 2.txt", "ประเด็นการแก้ไขข้อบกพร่องของสหกรณ์ที่พบจากการตรวจการ และแนวทางที่สมาชิกกลุ่มใช้ได้ผล"),  # noqa: E501
        },
    ]  # fmt: skip


def seed(stdout) -> None:
    """Shelve the demo documents that are not there yet, through ``services.document_create``
    like any upload (recorded as added by ปราณี when the accounts demo is loaded)."""
    known: dict = {}
    for name, parent in CATEGORIES:
        services.category_from_path(f"{parent} > {name}" if parent else name, known=known)
    uploader = User.objects.filter(username="pranee").first()
    by_key: dict[str, Document] = {}
    created = 0
    # A document that is replaced by another is shelved after it, so it can point to it.
    specs = sorted(_documents(), key=lambda spec: bool(spec.get("replaced_by")))
    for spec in specs:
        # Office files carry their creation time, so the same demo file differs byte for byte
        # from run to run: the title is what makes a demo document "already there".
        existing = Document.objects.filter(title=spec["title"]).first()
        if existing:
            by_key[spec.get("key", spec["title"])] = existing
            continue
        team = Team.objects.filter(name=spec.get("team", ""), kind=TeamKind.KM_GROUP).first()
        access = spec.get("access", AccessLevel.ALL_STAFF)
        if access == AccessLevel.TEAM and team is None:
            access = AccessLevel.KM_TEAM  # the teams demo was not loaded
        details = services.DocumentDetails(
            title=spec["title"],
            doc_type=spec["doc_type"],
            number=spec.get("number", ""),
            agency=spec.get("agency", ""),
            issued_on=spec.get("issued_on"),
            effective_on=spec.get("effective_on"),
            category=services.category_from_path(spec["category"], known=known),
            tags=spec["tags"],
            description=spec.get("description", ""),
            km_step=spec.get("km_step", ""),
            access=access,
            access_team=team if access == AccessLevel.TEAM else None,
            replaced_by=by_key.get(spec.get("replaced_by", "")),
        )
        document = services.document_create(
            by=None, uploaded_by=uploader, details=details, files=[spec["file"]()], bulk=True
        )
        # The demo's text is there when the command ends, not left to a background thread.
        for file_id in document.files.filter(text_status=TextStatus.PENDING).values_list(
            "pk", flat=True
        ):
            stored = services.extract_file_text(file_id)
            if stored is not None and ocr.waiting(stored.ocr_or_none):
                ocr.run_ocr(file_id)  # the flowchart's labels, read by OCR where installed
        by_key[spec.get("key", spec["title"])] = document
        created += 1
    stdout.write(f"Library: {created} documents created.")
