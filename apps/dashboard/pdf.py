"""The office dashboard as a one- or two-page A4 executive summary (PDF, issue 16): the headline
figures, the plan's progress by step as bars, the late activities and the knowledge gaps.

It reads the same ``Table`` figures as the page and the Excel workbook, so no number differs
between them; long lists are cut to their first rows here (``SUMMARY_ROWS``) and say where the
rest is. The full tables stay on screen and in Excel.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from fpdf.enums import TableCellFillMode
from fpdf.fonts import FontFace

from apps.core.thaidates import format_date_long
from apps.plans.pdf import FONT, ThaiPDF, breakable

from . import figures
from .exports import filters_text
from .scope import Scope
from .tables import Table

#: Rows of the late activities and of the knowledge gaps the summary shows.
SUMMARY_ROWS = 8
#: Status colours of the bars (done, in progress, not started), as on the page's charts.
BAR_COLOURS = ((25, 135, 84), (13, 110, 253), (173, 181, 189))
HEADING = FontFace(emphasis="B", fill_color=(221, 231, 243))


def office_summary_pdf(scope: Scope) -> bytes:
    """The executive summary of the office dashboard for ``scope``'s filters."""
    summary = figures.plan_summary(scope)
    by_step = figures.plan_by_step(scope)
    late = figures.late_activities(scope)
    gaps = figures.knowledge_gaps(scope)

    pdf = ThaiPDF(footer_text=_("KM dashboard: executive summary"))
    pdf.set_margins(18, 15, 18)
    pdf.add_page()
    pdf.paragraph(_("KM dashboard: executive summary"), size=17, bold=True, align="C", gap=0)
    pdf.paragraph(settings.KM_ORGANISATION_NAME, size=13, align="C", gap=0)
    printed = _("%(filters)s · as of %(date)s") % {
        "filters": filters_text(scope),
        "date": format_date_long(timezone.localdate()),
    }
    pdf.paragraph(printed, size=11, align="C", gap=3)

    _headline(pdf, summary)
    _section(pdf, by_step.title)
    _step_bars(pdf, by_step)
    _section(pdf, late.title)
    _top_rows(pdf, late, widths=(72, 32, 20, 24, 26))
    _section(pdf, gaps.title)
    _top_rows(pdf, gaps, widths=(108, 40, 26))
    pdf.ln(2)
    pdf.paragraph(
        _(
            "Every figure counts only what the person who printed it may open. The full tables "
            "are on the dashboard page and in its Excel export."
        ),
        size=9,
        gap=0,
    )
    return pdf.output_bytes()


def _section(pdf: ThaiPDF, title) -> None:
    if pdf.get_y() > pdf.page_break_trigger - 30:  # a heading never ends a page
        pdf.add_page()
    pdf.ln(3)
    pdf.paragraph(str(title), size=13, bold=True, gap=1)


def _headline(pdf: ThaiPDF, summary: Table) -> None:
    """The four headline figures as boxes across the page."""
    named = summary.named
    boxes = [
        (_("Activities in the plan"), f"{named['total'].value}"),
        (_("Average progress"), f"{named['average'].value}%"),
        (_("Late"), f"{named['late'].value}"),
        (_("Not reported this quarter"), f"{named['unreported'].value}"),
    ]
    gap = 4
    width = (pdf.epw - gap * (len(boxes) - 1)) / len(boxes)
    top = pdf.get_y()
    for index, (label, value) in enumerate(boxes):
        left = pdf.l_margin + index * (width + gap)
        pdf.set_draw_color(190)
        pdf.set_fill_color(246, 248, 251)
        pdf.rect(left, top, width, 22, style="DF")
        pdf.set_xy(left, top + 2)
        pdf.set_font(FONT, size=10)
        pdf.multi_cell(width, 4.5, breakable(label), align="C", new_x="LEFT", new_y="NEXT")
        pdf.set_xy(left, top + 11)
        pdf.set_font(FONT, style="B", size=20)
        pdf.cell(width, 9, value, align="C")
    pdf.set_draw_color(0)
    pdf.set_y(top + 26)


def _step_bars(pdf: ThaiPDF, table: Table) -> None:
    """One bar per step: its activities split by status, with the average progress beside."""
    label_width, number_width = 62, 40
    bar_width = pdf.epw - label_width - number_width
    most = max((row[1].value for row in table.rows), default=0) or 1
    pdf.set_font(FONT, size=9)
    top = pdf.get_y()
    # The legend: the three statuses and their colours.
    x = pdf.l_margin + label_width
    for colour, column in zip(BAR_COLOURS, (2, 3, 4), strict=True):
        pdf.set_fill_color(*colour)
        pdf.rect(x, top + 1, 3, 3, style="F")
        name = str(table.columns[column])
        pdf.set_xy(x + 4, top)
        pdf.cell(pdf.get_string_width(name) + 6, 5, name)
        x = pdf.get_x()
    pdf.set_xy(pdf.l_margin + label_width + bar_width, top)
    pdf.cell(number_width, 5, breakable(str(table.columns[6])), align="R")
    pdf.ln(6)
    for row in table.rows:
        y = pdf.get_y()
        pdf.set_font(FONT, size=10)
        pdf.set_xy(pdf.l_margin, y)
        pdf.cell(label_width - 2, 6, breakable(str(row[0]))[:80])
        x = pdf.l_margin + label_width
        for colour, column in zip(BAR_COLOURS, (2, 3, 4), strict=True):
            part = bar_width * 0.95 * (row[column].value or 0) / most
            if part:
                pdf.set_fill_color(*colour)
                pdf.rect(x, y + 1, part, 4, style="F")
                x += part
        late = row[5].value
        pdf.set_xy(pdf.l_margin + label_width + bar_width, y)
        note = f"{row[6].value}%" + (f"  ({_('late')} {late})" if late else "")
        pdf.cell(number_width, 6, breakable(note), align="R")
        pdf.set_y(y + 6.5)
    pdf.set_fill_color(255)


def _top_rows(pdf: ThaiPDF, table: Table, *, widths: tuple[float, ...]) -> None:
    """The table's first ``SUMMARY_ROWS`` rows, and how many more there are."""
    if not table.rows:
        pdf.paragraph(str(table.empty), size=10, gap=0)
        return
    rows = table.rows[:SUMMARY_ROWS]
    pdf.set_font(FONT, size=9.5)
    align = tuple("RIGHT" if cell.numeric else "LEFT" for cell in rows[0])
    with pdf.table(
        col_widths=widths,
        headings_style=HEADING,
        line_height=4.4,
        text_align=align,
        cell_fill_mode=TableCellFillMode.NONE,
        padding=0.8,
    ) as out:
        heading = out.row()
        for column in table.columns:
            heading.cell(breakable(str(column)))
        for row in rows:
            line = out.row()
            for cell in row:
                line.cell(breakable(str(cell)))
    more = len(table.rows) - len(rows)
    if more > 0 or table.limited:
        pdf.paragraph(
            _("Only the first %(count)s are shown; the full list is on the dashboard.")
            % {"count": len(rows)},
            size=9,
            gap=0,
        )
