"""A quarter's progress report as a Thai government memo (บันทึกข้อความ), as a PDF (issue 16).

The layout of an internal memo under the correspondence rules (ระเบียบงานสารบรรณ): no Garuda
(an internal memo carries none on plain paper), "บันทึกข้อความ" at the top, then the office
(ส่วนราชการ), the reference (ที่) and the date, the subject (เรื่อง), the addressee (เรียน), the
body with its first line indented, the table of activities, the closing line and the signature
block. Sarabun 16 pt for the text, 3 cm left and 2 cm right margins, as the rules set them; the
table is set smaller so that seven columns fit an upright page.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from fpdf.enums import TableCellFillMode
from fpdf.fonts import FontFace

from apps.core.thaidates import format_date_long, format_date_short

from .models import Plan
from .pdf import FONT, ThaiPDF, breakable
from .periods import Period

BODY = 16
TABLE = 11
LINE = 7.2  # mm per line of 16 pt text
INDENT = 25  # the first line of a paragraph (2.5 cm)
HEADING = FontFace(emphasis="B", fill_color=(230, 236, 243))
GROUP = FontFace(emphasis="B", fill_color=(245, 247, 250))


def progress_report_pdf(plan: Plan, period: Period, page: dict[str, Any]) -> bytes:
    """The progress report of ``period`` (``selectors.progress_page``) as a memo to the CKO."""
    pdf = ThaiPDF(footer_text=f"{_('KM progress report')} · {period.label}")
    pdf.set_margins(30, 20, 20)
    pdf.set_auto_page_break(True, margin=18)
    pdf.add_page()
    pdf.paragraph(_("Memorandum"), size=24, bold=True, align="C", gap=2)
    _field(pdf, pgettext("memo", "Office"), settings.KM_ORGANISATION_NAME)
    _field(
        pdf,
        pgettext("memo", "Ref."),
        "....................",
        pgettext("memo", "Date"),
        format_date_long(timezone.localdate()),
    )
    subject = _("Progress of the KM plan, %(period)s") % {"period": period.label}
    _field(pdf, pgettext("memo", "Subject"), subject)
    pdf.line(pdf.l_margin, pdf.get_y() + 1, pdf.w - pdf.r_margin, pdf.get_y() + 1)
    pdf.ln(3)
    _field(pdf, pgettext("memo", "To"), _("The Chief Knowledge Officer (CKO)"))
    pdf.ln(1)

    due, reported, late = page["due_count"], page["reported_count"], page["late_count"]
    opening = _(
        "Under %(plan)s, the KM team reports the progress of %(period)s (%(start)s to %(end)s). "
        "Of %(due)s activities due for a report, %(reported)s were reported and %(late)s are "
        "late, as in the table below."
    ) % {
        "plan": plan.title,
        "period": period.label,
        "start": format_date_short(period.start),
        "end": format_date_short(period.end),
        "due": due,
        "reported": reported,
        "late": late,
    }
    _body(pdf, opening)
    _table(pdf, page)

    summary = page.get("summary")
    if summary is not None and summary.summary:
        _heading(pdf, _("Overall progress"))
        _body(pdf, summary.summary)
        if summary.issues:
            _heading(pdf, _("Problems, obstacles and suggestions"))
            _body(pdf, summary.issues)
    missing = page.get("missing") or []
    if missing:
        _heading(pdf, _("Not reported for this quarter"))
        for owner, activities in missing:
            names = "; ".join(activity.title for activity in activities)
            pdf.paragraph(f"- {owner}: {names}", size=14, indent=INDENT / 2, gap=0)
    pdf.ln(4)
    _body(pdf, _("For your information."))
    pdf.ln(6)
    compiled_by = summary.compiled_by if summary is not None else None
    pdf.signature(
        str(compiled_by) if compiled_by else "......................................",
        _("Secretary of the KM team"),
        size=BODY,
    )
    return pdf.output_bytes()


def _field(pdf: ThaiPDF, label: str, value: str, label2: str = "", value2: str = "") -> None:
    """A memo's heading line: the label in bold, its value after it (two pairs on one line:
    the reference and the date)."""
    pdf.set_x(pdf.l_margin)
    pdf.set_font(FONT, style="B", size=BODY + 2)
    pdf.write(LINE, breakable(label) + "  ")
    pdf.set_font(FONT, size=BODY)
    if label2:
        pdf.cell(pdf.epw / 2 - pdf.get_x() + pdf.l_margin, LINE, breakable(value))
        pdf.set_font(FONT, style="B", size=BODY + 2)
        pdf.write(LINE, breakable(label2) + "  ")
        pdf.set_font(FONT, size=BODY)
        pdf.write(LINE, breakable(value2))
    else:
        pdf.write(LINE, breakable(value))
    pdf.ln(LINE)


def _heading(pdf: ThaiPDF, text: str) -> None:
    if pdf.get_y() > pdf.page_break_trigger - 3 * LINE:
        pdf.add_page()
    pdf.ln(1)
    pdf.paragraph(text, size=BODY, bold=True, gap=0)


def _body(pdf: ThaiPDF, text: str) -> None:
    """A paragraph whose first line is indented, as in a memo."""
    pdf.set_font(FONT, size=BODY)
    for number, line in enumerate(str(text).splitlines() or [""]):
        pdf.set_x(pdf.l_margin + (INDENT if number == 0 else 0))
        pdf.write(LINE, breakable(line))
        pdf.ln(LINE)


def _table(pdf: ThaiPDF, page: dict[str, Any]) -> None:
    columns = [
        (_("No."), 9),
        (_("Activity"), 40),
        (_("Owners"), 24),
        (pgettext("memo", "Per cent"), 13),
        (_("Status"), 26),
        (_("What was done"), 28),
        (_("Problems and obstacles"), 20),
    ]
    pdf.ln(1)
    pdf.set_font(FONT, size=TABLE)
    with pdf.table(
        col_widths=tuple(width for _heading, width in columns),
        headings_style=HEADING,
        line_height=5.4,
        text_align=("CENTER", "LEFT", "LEFT", "RIGHT", "LEFT", "LEFT", "LEFT"),
        cell_fill_mode=TableCellFillMode.NONE,
        padding=1,
        width=pdf.epw,
        align="LEFT",
    ) as table:
        heading = table.row()
        for title, _width in columns:
            heading.cell(breakable(title))
        for group, rows in page["groups"]:
            table.row().cell(breakable(group.heading), colspan=len(columns), style=GROUP)
            for number, row in enumerate(rows, 1):
                activity, latest = row.activity, row.latest
                status = activity.get_status_display()
                if row.late:
                    status = f"{status} ({_('late')})"
                if latest:
                    done, problems = latest.narrative, latest.problems
                else:
                    done, problems = (_("Not reported") if row.missing else "-"), ""
                cells = [
                    f"{group.code}.{number}",
                    activity.title,
                    ", ".join(str(owner) for owner in activity.owners.all()),
                    str(latest.percent if latest else activity.percent),
                    status,
                    done,
                    problems,
                ]
                line = table.row()
                for value in cells:
                    line.cell(breakable(value))
    pdf.ln(2)
