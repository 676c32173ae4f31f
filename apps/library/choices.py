"""The library's choices: kinds of documents and who may open one. Kept apart from the models so
that the access rule (``access``, used by ``rules``) imports no models."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentType(models.TextChoices):
    CIRCULAR = "circular", _("Circular")
    REGULATION = "regulation", _("Regulation or rule")
    LAW = "law", _("Law")
    ORDER = "order", _("Order")
    MANUAL = "manual", _("Manual or guide")
    TEXTBOOK = "textbook", _("Textbook")
    FORM = "form", _("Form")
    FLOWCHART = "flowchart", _("Process flowchart")
    REPORT = "report", _("Report")
    OTHER = "other", _("Other")


# The names offices use in their registers, accepted by the importer whatever the UI language.
TYPE_ALIASES = {
    "หนังสือเวียน": DocumentType.CIRCULAR,
    "ระเบียบ": DocumentType.REGULATION,
    "ข้อบังคับ": DocumentType.REGULATION,
    "ระเบียบ/ข้อบังคับ": DocumentType.REGULATION,
    "กฎหมาย": DocumentType.LAW,
    "พระราชบัญญัติ": DocumentType.LAW,
    "คำสั่ง": DocumentType.ORDER,
    "คู่มือ": DocumentType.MANUAL,
    "แนวทาง": DocumentType.MANUAL,
    "ตำรา": DocumentType.TEXTBOOK,
    "แบบฟอร์ม": DocumentType.FORM,
    "แผนผังกระบวนงาน": DocumentType.FLOWCHART,
    "แผนผัง": DocumentType.FLOWCHART,
    "รายงาน": DocumentType.REPORT,
    "อื่น ๆ": DocumentType.OTHER,
    "อื่นๆ": DocumentType.OTHER,
}


class AccessLevel(models.TextChoices):
    ALL_STAFF = "all", _("All staff")
    KM_TEAM = "km", _("KM team members")
    TEAM = "team", _("Members of a named team")
