"""User text in a spreadsheet stays text: never a live formula, numbers stay numbers."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from apps.core.spreadsheets import FORMULA_TRIGGERS, safe_cell, safe_row

# Text that a spreadsheet would run as a formula, or that Excel turns into one when the cell
# is edited: = + - @, a leading tab or carriage return, and the full-width forms.
HOSTILE = [
    '=HYPERLINK("http://evil.example","คลิกที่นี่")',
    "+1+1",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
    "＝1+1",
    "＋1+1",
    "－1+1",
    "＠SUM(1)",
    "=1",
    "#N/A",
]


def read_back(book: Workbook):
    buffer = io.BytesIO()
    book.save(buffer)
    return load_workbook(io.BytesIO(buffer.getvalue()))


def all_cells(book):
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


def test_every_trigger_is_listed():
    assert set("=+-@\t\r＝＋－＠") <= set(FORMULA_TRIGGERS)


def test_hostile_text_is_written_as_text():
    book = Workbook()
    sheet = book.active
    for row, text in enumerate(HOSTILE, 1):
        safe_cell(sheet, row=row, column=1, value=text)
    cells = all_cells(read_back(book))
    assert [cell.data_type for cell in cells] == ["s"] * len(HOSTILE)
    for cell, text in zip(cells, HOSTILE, strict=True):
        # XML turns a carriage return into a line feed; the text is otherwise unchanged.
        assert cell.value.replace("\n", "\r") == text.replace("\n", "\r") or cell.value == text
        if text[0] in FORMULA_TRIGGERS:
            assert cell.quotePrefix, text  # Excel keeps it text even when the cell is edited


def test_numbers_dates_and_plain_text_are_kept():
    book = Workbook()
    sheet = book.active
    values = [12, -5, 3.5, Decimal("1500.50"), dt.date(2025, 3, 1), None, "", "ชุดความรู้", "5/2551"]
    safe_row(sheet, row=1, values=values)
    row = list(read_back(book).active[1])
    assert row[0].value == 12 and row[0].data_type == "n"
    assert row[1].value == -5 and row[1].data_type == "n"  # a negative number is not mangled
    assert row[2].value == 3.5
    assert row[3].value == 1500.5
    assert row[4].value.date() == dt.date(2025, 3, 1)
    assert row[5].value is None
    assert [row[7].value, row[8].value] == ["ชุดความรู้", "5/2551"]
    assert not row[7].quotePrefix


def test_control_characters_and_overlong_text_do_not_break_the_file():
    book = Workbook()
    sheet = book.active
    safe_cell(sheet, row=1, column=1, value="ก\x00ข\x07ค\x1b")
    safe_cell(sheet, row=2, column=1, value="ก" * 40_000)
    sheet_back = read_back(book).active
    assert sheet_back["A1"].value == "กขค"
    assert len(sheet_back["A2"].value) <= 32_767


@pytest.mark.parametrize("value", HOSTILE)
def test_safe_row_writes_each_value_safely(value):
    book = Workbook()
    sheet = book.active
    safe_row(sheet, row=2, values=[value, 1])
    back = read_back(book).active
    assert back["A2"].data_type == "s" and back["B2"].value == 1


def test_an_aware_datetime_is_written_in_local_time():
    from django.utils import timezone

    # Whole milliseconds: a spreadsheet keeps time to the millisecond, so "now" at .9996 s was
    # read back as the next second (a run on 7 December).
    moment = timezone.now().replace(microsecond=250_000)
    book = Workbook()
    safe_cell(book.active, row=1, column=1, value=moment)
    written = read_back(book).active["A1"].value
    assert written.replace(microsecond=0) == timezone.localtime(moment).replace(
        microsecond=0, tzinfo=None
    )


def test_every_spreadsheet_writer_goes_through_the_helper():
    """A module that writes a workbook or CSV uses ``safe_cell``/``safe_row``, never
    ``sheet.append`` or ``sheet.cell(..., value=...)`` (the demo's sample file aside)."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "apps"
    direct = re.compile(
        r"\b(sheet|ws|worksheet)\w*\.append\(|\.cell\([^)]*value=|csv\.writer|DictWriter"
    )
    offenders = []
    for path in root.rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        if "Workbook(" not in source and "csv.writer" not in source and "DictWriter" not in source:
            continue
        if path.name == "spreadsheets.py" or path.match("library/demo.py"):
            continue
        if direct.search(source) or not re.search(r"safe_(cell|row)", source):
            offenders.append(str(path.relative_to(root)))
    assert offenders == []


# --- Sheet names: at most 31 characters, whole words, unique --------------------------------------
def word_prefixes(title: str) -> set[str]:
    from pythainlp.tokenize import word_tokenize

    words = word_tokenize(title, engine="newmm", keep_whitespace=True)
    return {"".join(words[:n]).strip() for n in range(1, len(words) + 1)}


@pytest.mark.parametrize(
    "title",
    [
        "กิจกรรมที่ยังไม่รายงานในไตรมาสนี้",
        "เอกสารที่มีผู้ดาวน์โหลดมากที่สุด",
        "เป้าหมาย KM ตัวชี้วัด และค่าเป้าหมาย",
        "Knowledge sets past their review date and more words",
        "สั้น",
    ],
)
def test_a_sheet_name_keeps_whole_words(title):
    from apps.core.spreadsheets import sheet_title

    name = sheet_title(title, set())
    assert 0 < len(name) <= 31
    assert name in word_prefixes(title), name


def test_sheet_names_are_unique_and_clean():
    from apps.core.spreadsheets import sheet_title

    taken: set[str] = set()
    names = [sheet_title("กิจกรรมที่ยังไม่รายงานในไตรมาสนี้", taken) for _ in range(3)]
    names.append(sheet_title("a/b: c?*[d]", taken))
    names.append(sheet_title("", taken))
    assert len({name.lower() for name in names}) == len(names)
    assert all(0 < len(name) <= 31 for name in names)
    assert not any(set(name) & set("[]:*?/\\") for name in names)
    assert names[1].endswith("(2)") and names[2].endswith("(3)")
