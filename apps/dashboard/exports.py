"""The dashboard's tables as one Excel workbook: a sheet per table, numbers as numbers."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from apps.core.choices import KMStep
from apps.core.spreadsheets import safe_row, sheet_title

from .figures import Section
from .scope import Scope

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHEET_FONT = "TH SarabunPSK"


def filters_text(scope: Scope) -> str:
    """The filters in one line (year · team · step), for headings, prints and workbooks."""
    parts = [_("Fiscal year %(year)s") % {"year": scope.year}]
    parts.append(scope.team.name if scope.team else _("All teams"))
    if scope.step:
        parts.append(str(KMStep(scope.step).label))
    else:
        parts.append(_("All steps"))
    return " · ".join(parts)


def dashboard_xlsx(scope: Scope, sections: list[Section]) -> bytes:
    """The office dashboard's figures as an Excel workbook, one sheet per section."""
    book = Workbook()
    book.remove(book.active)
    taken: set[str] = set()
    bold = Font(name=SHEET_FONT, size=14, bold=True)
    plain = Font(name=SHEET_FONT, size=14)
    heading_fill = PatternFill("solid", fgColor="DDE7F3")
    for section in sections:
        for table in section.tables:
            sheet = book.create_sheet(sheet_title(str(table.title), taken))
            lines = [[str(table.title)], [filters_text(scope)]]
            if table.note:
                lines.append([str(table.note)])
            lines += [[], [str(column) for column in table.columns]]
            header_row = len(lines)
            lines += [
                [cell.value if cell.numeric else str(cell) for cell in row] for row in table.rows
            ]
            if not table.rows and table.empty:
                lines.append([str(table.empty)])
            for number, values in enumerate(lines, 1):
                safe_row(sheet, row=number, values=values)
            for row in sheet.iter_rows():
                for cell in row:
                    cell.font = plain
                    cell.alignment = Alignment(vertical="top", wrap_text=True)
            sheet["A1"].font = Font(name=SHEET_FONT, size=16, bold=True)
            for cell in sheet[header_row]:
                cell.font = bold
                cell.fill = heading_fill
            sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
            for index in range(1, len(table.columns) + 1):
                sheet.column_dimensions[get_column_letter(index)].width = 40 if index == 1 else 16
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
