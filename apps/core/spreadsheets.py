"""Every cell of every spreadsheet export is written here, so user text stays text.

A title such as ``=HYPERLINK("http://evil.example", "…")`` typed into the portal must not become a
live formula in the secretary's (or any reader's) export. openpyxl turns any string starting with
``=`` into a formula, and Excel turns text starting with ``+ - @`` (or a tab, a carriage return, or
their full-width forms) into one when the cell is edited. So text cells are stored as strings
explicitly (``data_type = "s"``) and, when they start with such a character, carry Excel's
``quotePrefix`` style. Numbers, dates and empty cells are written as they are: nothing is
prefixed or altered, so a negative number stays a number.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.utils import timezone
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.worksheet.worksheet import Worksheet

# Excel's limits for a sheet's name: 31 characters, none of these, and unique (ignoring case).
SHEET_NAME_LENGTH = 31
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")
MAX_CELL_TEXT = 32_767  # Excel's limit for one cell


def safe_cell(sheet: Worksheet, *, row: int, column: int, value: Any) -> Cell:
    """Write ``value`` at (row, column) as data: a number, a date or plain text, never a formula."""
    cell = sheet.cell(row=row, column=column)
    write_value(cell, value)
    return cell


def safe_row(sheet: Worksheet, *, row: int, values: Iterable[Any]) -> None:
    """Write ``values`` on ``row``, from the first column, each as ``safe_cell`` does."""
    for column, value in enumerate(values, 1):
        safe_cell(sheet, row=row, column=column, value=value)


def write_value(cell: Cell, value: Any) -> None:
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.make_naive(value)  # Excel has no time zones: local time
    if value is None or isinstance(value, bool | int | float | dt.date | dt.time):
        cell.value = value
        return
    if isinstance(value, Decimal):
        cell.value = float(value)
        return
    text = ILLEGAL_CHARACTERS_RE.sub("", str(value))[:MAX_CELL_TEXT]
    cell.value = text
    cell.data_type = "s"  # openpyxl would store "=…" as a formula and "#N/A" as an error
    if text.startswith(FORMULA_TRIGGERS):
        cell.quotePrefix = True


def sheet_title(title: str, taken: set[str]) -> str:
    """A sheet name for ``title``: its first words that fit in 31 characters (a Thai title is cut
    between words, never inside one), unique among ``taken`` (which it joins) by " (2)", " (3)"."""
    name = _BAD_SHEET_CHARS.sub(" ", str(title))
    name = " ".join(name.split()) or "Sheet"
    candidate, number = _whole_words(name, SHEET_NAME_LENGTH), 2
    while candidate.lower() in taken:
        suffix = f" ({number})"
        candidate = _whole_words(name, SHEET_NAME_LENGTH - len(suffix)) + suffix
        number += 1
    taken.add(candidate.lower())
    return candidate


def _whole_words(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    from pythainlp.tokenize import word_tokenize

    kept = ""
    for word in word_tokenize(text, engine="newmm", keep_whitespace=True):
        if len(kept + word) > limit:
            break
        kept += word
    # A first word longer than the limit is cut: better than an empty name.
    return kept.strip() or text[:limit].strip()
