"""Exports: the action plan as the table public agencies file (Excel and PDF) and the progress
report of a quarter (Excel). A meeting's minutes are the ``meetings`` app's.

Dates are written as Thai B.E. text (a spreadsheet's own dates would show C.E. years), budgets as
numbers so the sheet can add them up.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from fpdf.enums import TableCellFillMode
from fpdf.fonts import FontFace
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from apps.core.spreadsheets import safe_cell, sheet_title
from apps.core.thaidates import format_date_long, format_date_short

from . import selectors
from .models import Activity, ActivityStatus, Plan
from .pdf import ThaiPDF, breakable
from .periods import Period

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHEET_FONT = "TH SarabunPSK"


def people(persons: Iterable[Any]) -> str:
    """Names, comma-separated."""
    return ", ".join(str(person) for person in persons)


def period_text(activity: Activity) -> str:
    """An activity's start and end, in short B.E. dates."""
    return f"{format_date_short(activity.start_date)} – {format_date_short(activity.end_date)}"


def plan_status_text(plan: Plan) -> str:
    """The plan's state as its heading says it (the approved version in force, a revision)."""
    if plan.is_in_force:
        text = _("Approved version %(version)s, %(date)s") % {
            "version": plan.version,
            "date": format_date_long(plan.approved_at),
        }
        if plan.is_revising:
            text += " · " + _("a revision is being prepared")
        return text
    return str(plan.get_status_display())


def action_plan_columns() -> list[tuple[str, float]]:
    """(heading, relative width) of the action plan table."""
    return [
        (_("No."), 5.5),  # room for "CM2.10"
        (_("Activity"), 18.5),
        (_("Method"), 18),
        (_("Period"), 11),
        (_("Indicator"), 14),
        (_("Target"), 10),
        (_("Budget (baht)"), 8),
        (_("Owners"), 13),
        (_("Status"), 8),
    ]


def action_plan_rows(plan: Plan) -> Iterator[tuple[str, Any]]:
    """The table's rows, grouped: yields ("group", label) and ("row", [cells])."""
    groups = selectors.activity_groups(selectors.activities_for_plan(plan))
    for group in groups:
        yield "group", group.heading
        for index, activity in enumerate(group.activities, 1):
            status = activity.get_status_display()
            if activity.percent and activity.status != ActivityStatus.DONE:
                status = f"{status} ({activity.percent}%)"
            yield (
                "row",
                [
                    group.row_number(index),
                    activity.title,
                    activity.method,
                    period_text(activity),
                    activity.indicator,
                    activity.target,
                    activity.budget,
                    people(activity.owners.all()),
                    status,
                ],
            )


def _title_lines(plan: Plan) -> list[str]:
    return [
        _("KM Action Plan"),
        plan.title,
        settings.KM_ORGANISATION_NAME,
        plan_status_text(plan),
    ]


# --- Excel ---------------------------------------------------------------------------------------
THIN = Side(style="thin", color="999999")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEAD_FILL = PatternFill("solid", fgColor="DCE6F0")
GROUP_FILL = PatternFill("solid", fgColor="F3F6F9")
WRAP = Alignment(wrap_text=True, vertical="top")


def _sheet_font(bold: bool = False, size: int = 14) -> Font:
    return Font(name=SHEET_FONT, bold=bold, size=size)


def _write_table(sheet, top: int, headings: list[tuple[str, float]], rows) -> int:
    """Headings at row ``top``, then the rows; returns the next free row."""
    for column, (heading, width) in enumerate(headings, 1):
        cell = safe_cell(sheet, row=top, column=column, value=heading)
        cell.font, cell.fill, cell.border = _sheet_font(bold=True), HEAD_FILL, BOX
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        sheet.column_dimensions[get_column_letter(column)].width = width * 1.6
    sheet.freeze_panes = sheet.cell(row=top + 1, column=1)
    row_number = top + 1
    last = get_column_letter(len(headings))
    for kind, value in rows:
        if kind == "group":
            cell = safe_cell(sheet, row=row_number, column=1, value=value)
            cell.font, cell.fill = _sheet_font(bold=True), GROUP_FILL
            sheet.merge_cells(f"A{row_number}:{last}{row_number}")
            for column in range(1, len(headings) + 1):
                sheet.cell(row=row_number, column=column).border = BOX
        else:
            for column, cell_value in enumerate(value, 1):
                cell = safe_cell(sheet, row=row_number, column=column, value=cell_value)
                cell.font, cell.border, cell.alignment = _sheet_font(), BOX, WRAP
                if isinstance(cell_value, Decimal | float):
                    cell.number_format = "#,##0.00"
        row_number += 1
    return row_number


def _heading(sheet, lines: list[str], columns: int) -> int:
    last = get_column_letter(columns)
    for row, line in enumerate(lines, 1):
        cell = safe_cell(sheet, row=row, column=1, value=line)
        cell.font = _sheet_font(bold=row <= 2, size=16 if row <= 2 else 14)
        cell.alignment = Alignment(horizontal="center")
        sheet.merge_cells(f"A{row}:{last}{row}")
    return len(lines) + 2


def action_plan_xlsx(plan: Plan) -> bytes:
    """The action plan (sheet 1), focus areas and desired states (sheet 2) and the knowledge
    inventory (sheet 3)."""
    book = Workbook()
    sheet = book.active
    taken: set[str] = set()
    sheet.title = sheet_title(_("Action plan"), taken)
    headings = action_plan_columns()
    top = _heading(sheet, _title_lines(plan), len(headings))
    rows = list(action_plan_rows(plan))
    next_row = _write_table(sheet, top, headings, rows)
    total = sum((cells[6] for kind, cells in rows if kind == "row"), Decimal(0))
    label = safe_cell(sheet, row=next_row, column=2, value=_("Total budget"))
    label.font = _sheet_font(bold=True)
    amount = safe_cell(sheet, row=next_row, column=7, value=float(total))
    amount.font, amount.number_format = _sheet_font(bold=True), "#,##0.00"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToHeight = 0

    focus = book.create_sheet(sheet_title(_("Focus areas"), taken))
    focus_headings = [
        (_("KM focus area"), 30),
        (_("Desired state"), 30),
        (_("Indicator"), 22),
        (_("Target"), 12),
        (_("Deadline"), 12),
    ]
    focus_top = _heading(focus, [_("KM focus areas and desired states"), plan.title], 5)
    states = list(plan.desired_states.select_related("focus_area"))
    focus_rows = []
    for area in plan.focus_areas.all():
        mine = [s for s in states if s.focus_area_id == area.pk]
        if not mine:
            focus_rows.append(("row", [area.title, "", "", "", ""]))
        for state in mine:
            focus_rows.append(
                (
                    "row",
                    [
                        area.title,
                        state.title,
                        state.indicator,
                        state.target,
                        format_date_long(state.deadline),
                    ],
                )
            )
    for state in (s for s in states if s.focus_area_id is None):
        focus_rows.append(
            (
                "row",
                ["", state.title, state.indicator, state.target, format_date_long(state.deadline)],
            )
        )
    _write_table(focus, focus_top, focus_headings, focus_rows)

    inventory = book.create_sheet(sheet_title(_("Knowledge inventory"), taken))
    inventory_headings = [
        (_("Knowledge needed"), 26),
        (_("Why the office needs it"), 24),
        (_("Where it is now"), 12),
        (_("Who holds it"), 20),
        (_("The gap"), 22),
        (_("Priority"), 8),
    ]
    inventory_top = _heading(inventory, [_("Knowledge inventory"), plan.title], 6)
    _write_table(
        inventory,
        inventory_top,
        inventory_headings,
        [
            (
                "row",
                [
                    need.topic,
                    need.reason,
                    need.get_current_form_display(),
                    ", ".join(filter(None, [people(need.holders.all()), need.source])),
                    need.gap,
                    need.get_priority_display(),
                ],
            )
            for need in plan.knowledge_needs.prefetch_related("holders")
        ],
    )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def progress_xlsx(plan: Plan, period: Period) -> bytes:
    """The compiled progress report of a quarter: each activity's latest report in the period."""
    page = selectors.progress_page(plan, period)
    book = Workbook()
    sheet = book.active
    sheet.title = sheet_title(_("Progress"), set())
    headings = [
        (_("No."), 5.5),
        (_("Activity"), 20.5),
        (_("Owners"), 14),
        (_("Period"), 11),
        (_("Progress (%)"), 7),
        (_("Status"), 9),
        (_("What was done"), 28),
        (_("Problems and obstacles"), 18),
        (_("Reported"), 10),
    ]
    top = _heading(
        sheet,
        [_("KM progress report"), plan.title, period.label, settings.KM_ORGANISATION_NAME],
        len(headings),
    )
    rows = []
    for group, group_rows in page["groups"]:
        rows.append(("group", group.heading))
        for index, row in enumerate(group_rows, 1):
            latest = row.latest
            activity = row.activity
            if latest:
                reported = f"{format_date_short(latest.as_of)} · {latest.reported_by or ''}"
            elif row.due:
                reported = _("Not reported")
            else:
                reported = "—"
            rows.append(
                (
                    "row",
                    [
                        group.row_number(index),
                        activity.title,
                        people(activity.owners.all()),
                        period_text(activity),
                        latest.percent if latest else activity.percent,
                        (latest.get_status_display() if latest else activity.get_status_display())
                        + (" · " + _("late") if row.late else ""),
                        latest.narrative if latest else "",
                        latest.problems if latest else "",
                        reported,
                    ],
                )
            )
    next_row = _write_table(sheet, top, headings, rows) + 1
    summary = page["summary"]
    if summary:
        for label, text in (
            (_("Overall progress"), summary.summary),
            (_("Problems, obstacles and suggestions"), summary.issues),
        ):
            safe_cell(sheet, row=next_row, column=2, value=label).font = _sheet_font(bold=True)
            cell = safe_cell(sheet, row=next_row, column=3, value=text)
            cell.font, cell.alignment = _sheet_font(), WRAP
            sheet.merge_cells(f"C{next_row}:I{next_row}")
            next_row += 1
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# --- PDF -----------------------------------------------------------------------------------------
def action_plan_pdf(plan: Plan) -> bytes:
    """The action plan table on landscape A4, with the group rows of the seven steps and the
    change-management elements, and the headings repeated on every page."""
    pdf = ThaiPDF(orientation="L", footer_text=plan.title)
    pdf.add_page()
    lines = _title_lines(plan)
    pdf.paragraph(lines[0], size=15, bold=True, align="C", gap=0)
    pdf.paragraph(lines[1], size=14, bold=True, align="C", gap=0)
    pdf.paragraph(lines[2], size=11, align="C", gap=0)
    pdf.paragraph(lines[3], size=10, align="C", gap=3)

    areas = list(plan.focus_areas.all())
    if areas:
        pdf.paragraph(_("KM focus areas"), size=11, bold=True, gap=0)
        for index, area in enumerate(areas, 1):
            pdf.paragraph(f"{index}. {area.title}", size=10, indent=5, gap=0)
        pdf.ln(1)
    states = list(plan.desired_states.all())
    if states:
        pdf.paragraph(_("Desired states"), size=11, bold=True, gap=0)
        for index, state in enumerate(states, 1):
            text = _("%(title)s — indicator: %(indicator)s; by %(deadline)s") % {
                "title": state.title,
                "indicator": state.indicator,
                "deadline": format_date_long(state.deadline),
            }
            pdf.paragraph(f"{index}. {text}", size=10, indent=5, gap=0)
        pdf.ln(2)

    columns = action_plan_columns()
    widths = tuple(width for _heading, width in columns)
    pdf.set_font("Sarabun", size=9)
    heading_style = FontFace(emphasis="B", fill_color=(220, 230, 240))
    group_style = FontFace(emphasis="B", fill_color=(243, 246, 249))
    total = Decimal(0)
    with pdf.table(
        col_widths=widths,
        headings_style=heading_style,
        line_height=4.6,
        text_align=("CENTER", "LEFT", "LEFT", "LEFT", "LEFT", "LEFT", "RIGHT", "LEFT", "LEFT"),
        cell_fill_mode=TableCellFillMode.NONE,
        padding=1,
    ) as table:
        row = table.row()
        for heading, _width in columns:
            row.cell(breakable(heading))
        for kind, value in action_plan_rows(plan):
            row = table.row()
            if kind == "group":
                row.cell(breakable(value), colspan=len(columns), style=group_style)
                continue
            total += value[6]
            for index, cell_value in enumerate(value):
                text = f"{cell_value:,.2f}" if index == 6 else cell_value
                row.cell(breakable(text))
        row = table.row()
        row.cell(breakable(_("Total budget")), colspan=6, style=group_style, align="RIGHT")
        row.cell(f"{total:,.2f}", style=group_style, align="RIGHT")
        row.cell("", colspan=2, style=group_style)
    return pdf.output_bytes()
