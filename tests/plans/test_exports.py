"""The exports read back: the action plan in Excel and in PDF (Thai text extracted and compared
with the plan's own) and the quarter's progress in Excel. The minutes: ``tests/meetings``."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from apps.core.choices import KMStep
from apps.library.extraction.pdf import pdf_text
from apps.plans.models import ChangeElement, ProgressSummary
from apps.plans.pdf import ZWSP, breakable
from tests.plans.factories import (
    ActivityFactory,
    DesiredStateFactory,
    FocusAreaFactory,
    KnowledgeNeedFactory,
    PlanFactory,
    ProgressReportFactory,
)

pytestmark = pytest.mark.django_db

# Thai that a naive PDF writer gets wrong: stacked marks (ที่, ปั้น, น้ำ), sara am (ทำ, กำ),
# descenders (ฎ, ฐ, ญ) and Thai digits.
TITLES = [
    "จัดทำฐานข้อมูลด้านสหกรณ์สำหรับศูนย์การเรียนรู้ด้านเกษตรและสหกรณ์ โครงการหุบกะพง",
    "ถอดบทเรียนผู้ใหญ่บ้านที่ปั้นน้ำเป็นตัว และกำหนดแนวทางการแก้ไขข้อบกพร่องตามระเบียบฯ",
    "ประชาสัมพันธ์กิจกรรม KM ผ่านมุมความรู้ออนไลน์ ๑๒ ครั้ง",
]


def squash(text: str) -> str:
    """The text without any whitespace: a table cell wraps where it must, and that is all a
    line break in the extracted text may differ by."""
    return "".join(text.split())


@pytest.fixture
def plan(people):
    plan = PlanFactory(fiscal_year=2568, title="แผนการจัดการความรู้ ประจำปีงบประมาณ พ.ศ. 2568")
    area = FocusAreaFactory(plan=plan, title="ออกเอกสารสิทธิ์ในการจัดที่ดินทำกิน")
    DesiredStateFactory(
        plan=plan,
        focus_area=area,
        title="องค์กรสามารถจัดทำฐานความรู้เกี่ยวกับวิทยากรเครือข่ายด้านสหกรณ์",
        deadline=dt.date(2025, 6, 30),
    )
    KnowledgeNeedFactory(plan=plan, topic="การตรวจการสหกรณ์และการแก้ไขข้อบกพร่อง")
    ActivityFactory(
        plan=plan,
        title=TITLES[0],
        km_step=KMStep.ACCESS,
        start_date=dt.date(2024, 10, 1),
        end_date=dt.date(2025, 5, 31),
        indicator="ฐานข้อมูลสหกรณ์พร้อมใช้งาน",
        target="1 ฐานข้อมูล",
        budget=Decimal("30000"),
        owners=[people["member"], people["head"]],
    )
    ActivityFactory(plan=plan, title=TITLES[1], km_step=KMStep.CODIFY, budget=Decimal("1500.50"))
    ActivityFactory(
        plan=plan,
        title=TITLES[2],
        km_step="",
        change_element=ChangeElement.COMMUNICATION,
        budget=Decimal("0"),
    )
    return plan


def test_the_action_plan_in_excel(client_as, plan, people):
    response = client_as("head").get(reverse("plans:export_xlsx", args=[2568]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="km-action-plan-2568.xlsx"'
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[1][0] == plan.title
    by_title = {row[1]: row for row in rows if row[1] in TITLES}
    assert set(by_title) == set(TITLES)
    first = by_title[TITLES[0]]
    assert first[0] == "5.1"  # step 5, first activity
    assert first[3] == "1 ต.ค. 67 – 31 พ.ค. 68"  # B.E. dates
    assert (first[4], first[5], first[6]) == ("ฐานข้อมูลสหกรณ์พร้อมใช้งาน", "1 ฐานข้อมูล", 30000)
    assert str(people["member"]) in first[7] and str(people["head"]) in first[7]
    assert by_title[TITLES[2]][0] == "CM2.1"  # change management element 2, first activity
    # The groups come in the order agencies file them: steps 4 and 5, then change management.
    order = [row[1] for row in rows if row[1] in TITLES]
    assert order == [TITLES[1], TITLES[0], TITLES[2]]
    total = next(row for row in rows if row[6] == 31500.5)
    assert total[1]
    focus = list(book.worksheets[1].iter_rows(values_only=True))
    assert ("ออกเอกสารสิทธิ์ในการจัดที่ดินทำกิน", "30 มิถุนายน 2568") in {(row[0], row[4]) for row in focus}
    inventory = [row[0] for row in book.worksheets[2].iter_rows(values_only=True)]
    assert "การตรวจการสหกรณ์และการแก้ไขข้อบกพร่อง" in inventory


def test_the_action_plan_in_pdf_reads_back_as_the_same_thai(client_as, plan, tmp_path):
    response = client_as("head").get(reverse("plans:export_pdf", args=[2568]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    path = tmp_path / "plan.pdf"
    path.write_bytes(response.content)
    text, pages, warnings = pdf_text(path)
    assert pages >= 1 and warnings == []
    lines = text.splitlines()
    # The heading lines do not wrap: they come back exactly.
    assert plan.title in lines
    assert "ออกเอกสารสิทธิ์ในการจัดที่ดินทำกิน" in text
    # Table cells wrap between words; apart from the line breaks, the text is the same.
    for title in TITLES:
        assert squash(title) in squash(text)
    assert ZWSP not in text and "\ufffd" not in text


def test_the_pdf_uses_the_bundled_font_with_shaping():
    from apps.plans.pdf import FONT_DIR, ThaiPDF

    assert (FONT_DIR / "Sarabun-Regular.ttf").is_file() and (FONT_DIR / "OFL.txt").is_file()
    pdf = ThaiPDF()
    assert pdf.text_shaping  # HarfBuzz places the marks (uharfbuzz is installed)
    pdf.add_page()
    pdf.paragraph("น้ำ ที่ ปั้น")
    data = pdf.output_bytes()
    assert b"/FontFile2" in data  # the font is embedded, so any reader shows Sarabun


def test_thai_words_get_break_opportunities():
    assert breakable("ฐานข้อมูลสหกรณ์") == f"ฐานข้อมูล{ZWSP}สหกรณ์"
    assert breakable("KM 2568") == "KM 2568"
    assert breakable(None) == ""


def test_the_progress_report_in_excel(client_as, plan, people):
    activity = plan.activities.get(title=TITLES[0])
    ProgressReportFactory(
        activity=activity,
        as_of=dt.date(2025, 2, 10),
        percent=60,
        narrative="รวบรวมข้อมูลสหกรณ์ได้ 12 แห่ง",
        reported_by=people["member"],
    )
    url = reverse("plans:progress_xlsx", args=[2568]) + "?quarter=2"
    response = client_as("secretary").get(url)
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    row = next(row for row in rows if row[1] == TITLES[0])
    assert (row[4], row[6]) == (60, "รวบรวมข้อมูลสหกรณ์ได้ 12 แห่ง")
    assert row[8].startswith("10 ก.พ. 68")
    silent = next(row for row in rows if row[1] == TITLES[1])
    assert not silent[6] and silent[8] != "—"  # due and not reported


# --- Formula injection: user text is written as text ---------------------------------------------
HOSTILE = [
    '=HYPERLINK("http://evil.example","คลิก")',
    "+1+1",
    "-2+3",
    "@SUM(A1)",
    "\t=1+1",
    "＝1+1",
    "＠SUM(1)",
]


def assert_no_formula(content: bytes) -> list:
    book = load_workbook(io.BytesIO(content))
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    formulas = [cell.value for cell in cells if cell.data_type == "f"]
    assert formulas == []
    return [cell.value for cell in cells if isinstance(cell.value, str)]


def test_exports_write_user_text_as_text(client_as, people):
    plan = PlanFactory(fiscal_year=2568, title=HOSTILE[0])
    area = FocusAreaFactory(plan=plan, title=HOSTILE[1])
    DesiredStateFactory(plan=plan, focus_area=area, title=HOSTILE[2], indicator=HOSTILE[3])
    KnowledgeNeedFactory(plan=plan, topic=HOSTILE[4], reason=HOSTILE[5], source=HOSTILE[6])
    owner = people["member"]
    owner.first_name, owner.last_name = "=1+2", "@x"
    owner.save()
    activity = ActivityFactory(
        plan=plan,
        title=HOSTILE[0],
        method=HOSTILE[1],
        indicator=HOSTILE[2],
        target=HOSTILE[3] + "\x07",  # a control character openpyxl refuses
        km_step=KMStep.SHARE,
        start_date=dt.date(2024, 10, 1),
        end_date=dt.date(2025, 5, 31),
        owners=[owner],
    )
    ProgressReportFactory(
        activity=activity,
        as_of=dt.date(2025, 2, 10),
        narrative=HOSTILE[0],
        problems=HOSTILE[6],
        reported_by=owner,
    )
    ProgressSummary.objects.create(plan=plan, quarter=2, summary=HOSTILE[5], issues=HOSTILE[1])
    response = client_as("head").get(reverse("plans:export_xlsx", args=[2568]))
    assert response.status_code == 200
    texts = assert_no_formula(response.content)
    for text in HOSTILE:
        assert text in texts
    response = client_as("secretary").get(
        reverse("plans:progress_xlsx", args=[2568]) + "?quarter=2"
    )
    assert response.status_code == 200
    texts = assert_no_formula(response.content)
    for text in (HOSTILE[0], HOSTILE[6], HOSTILE[5], HOSTILE[1]):
        assert text in texts


# --- Numbering and headings: change management is not a second set of steps ---------------------
@pytest.fixture
def mixed_plan(people):
    """Step 2 and change-management element 2 each with one activity, reported in quarter 2."""
    plan = PlanFactory(fiscal_year=2568, approved=True)
    step = ActivityFactory(
        plan=plan, title="กิจกรรมขั้นตอนที่สอง", km_step=KMStep.CREATE, owners=[people["member"]]
    )
    element = ActivityFactory(
        plan=plan,
        title="กิจกรรมการสื่อสาร",
        km_step="",
        change_element=ChangeElement.COMMUNICATION,
        owners=[people["member"]],
    )
    for activity in (step, element):
        ProgressReportFactory(
            activity=activity, as_of=dt.date(2025, 2, 10), reported_by=people["member"]
        )
    return plan


CM_HEADING = "การบริหารการเปลี่ยนแปลงที่ 2"  # "Change management 2"
STEP_HEADING = "ขั้นตอนที่ 2"  # "Step 2"


def _numbers(rows, titles):
    return {row[1]: row[0] for row in rows if row[1] in titles}


def test_progress_in_excel_tells_change_management_from_the_steps(client_as, mixed_plan):
    url = reverse("plans:progress_xlsx", args=[2568]) + "?quarter=2"
    rows = list(load_workbook(io.BytesIO(client_as("secretary").get(url).content)).active.values)
    firsts = [row[0] for row in rows if isinstance(row[0], str)]
    assert any(text.startswith(CM_HEADING) for text in firsts), firsts
    assert any(text.startswith(STEP_HEADING) for text in firsts), firsts
    numbers = _numbers(rows, {"กิจกรรมขั้นตอนที่สอง", "กิจกรรมการสื่อสาร"})
    assert numbers["กิจกรรมขั้นตอนที่สอง"] == "2.1"
    assert numbers["กิจกรรมการสื่อสาร"] not in {"2.1", "1.1"}


def test_the_action_plan_numbers_each_row_once(client_as, mixed_plan):
    response = client_as("head").get(reverse("plans:export_xlsx", args=[2568]))
    rows = list(load_workbook(io.BytesIO(response.content)).worksheets[0].values)
    numbers = _numbers(rows, {"กิจกรรมขั้นตอนที่สอง", "กิจกรรมการสื่อสาร"})
    assert len(set(numbers.values())) == 2, numbers


def test_progress_print_tells_change_management_from_the_steps(client_as, mixed_plan):
    import re

    html = (
        client_as("secretary")
        .get(reverse("plans:progress_print", args=[2568]) + "?quarter=2")
        .content.decode()
    )
    headings = re.findall(r'<tr class="group-row"><th[^>]*>([^<]*)</th>', html)
    assert any(h.strip().startswith(CM_HEADING) for h in headings), headings
    assert any(h.strip().startswith(STEP_HEADING) for h in headings), headings
    numbers = re.findall(r"<tr[^>]*>\s*<td>([^<]+)</td>", html)
    assert len(numbers) == len(set(numbers)) == 2, numbers
