"""The quarter's progress report in one click, as a Thai government memo (issue 16): read back
from the PDF, in the memo's order, for those who follow progress only."""

import datetime as dt

import pytest
from django.urls import reverse

from apps.library.extraction.pdf import pdf_text
from apps.plans.models import ActivityStatus, ProgressSummary
from apps.plans.periods import Period
from tests.pdf_pictures import save_pictures
from tests.plans.factories import ActivityFactory, PlanFactory, ProgressReportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(people):
    plan = PlanFactory(
        fiscal_year=2568, title="แผนการจัดการความรู้ ประจำปีงบประมาณ พ.ศ. 2568", approved=True
    )
    period = Period(2568, 1)
    done = ActivityFactory(
        plan=plan,
        title="จัดทำฐานข้อมูลด้านสหกรณ์สำหรับศูนย์การเรียนรู้",
        start_date=dt.date(2024, 10, 1),
        end_date=dt.date(2025, 5, 31),
        status=ActivityStatus.IN_PROGRESS,
    )
    done.owners.set([people["member"]])
    ProgressReportFactory(
        activity=done,
        reported_by=people["member"],
        as_of=period.end,
        percent=45,
        narrative="รวบรวมข้อมูลสหกรณ์ได้ครึ่งจังหวัด",
        problems="ข้อมูลบางอำเภอยังไม่ครบ",
    )
    silent = ActivityFactory(
        plan=plan,
        title="ถอดบทเรียนการแก้ไขข้อบกพร่องของสหกรณ์",
        start_date=dt.date(2024, 11, 1),
        end_date=dt.date(2025, 9, 30),
    )
    silent.owners.set([people["secretary"]])
    ProgressSummary.objects.create(
        plan=plan,
        quarter=1,
        summary="ดำเนินการได้ตามแผนเป็นส่วนใหญ่",
        issues="ควรเร่งรัดการรายงานผล",
        compiled_by=people["secretary"],
    )
    return plan


def url(plan, quarter=1):
    return reverse("plans:progress_pdf", args=[plan.fiscal_year]) + f"?quarter={quarter}"


def test_the_report_reads_back_as_a_memo(client_as, people, plan, tmp_path):
    response = client_as("secretary").get(url(plan))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    path = tmp_path / "report.pdf"
    path.write_bytes(response.content)
    text, pages, warnings = pdf_text(path)
    assert pages >= 1 and warnings == []
    save_pictures("progress-report", response.content)
    flat = "".join(text.split())
    # The memo's parts, in the order of a Thai government memo.
    parts = [
        "บันทึกข้อความ",
        "ส่วนราชการ",
        "สำนักงานสหกรณ์จังหวัดชุมพร",
        "ที่",
        "วันที่",
        "เรื่อง",
        "รายงานความก้าวหน้าการดำเนินงานตามแผนการจัดการความรู้",
        "เรียน",
        "ผู้บริหารสูงสุดด้านการจัดการความรู้",
        "จัดทำฐานข้อมูลด้านสหกรณ์สำหรับศูนย์การเรียนรู้",
        "รวบรวมข้อมูลสหกรณ์ได้ครึ่งจังหวัด",
        "ดำเนินการได้ตามแผนเป็นส่วนใหญ่",
        "ควรเร่งรัดการรายงานผล",
        "จึงเรียนมาเพื่อโปรดทราบ",
        f"({people['secretary']})".replace(" ", ""),
        "เลขานุการทีมงานKM",
    ]
    at = 0
    for part in parts:
        found = flat.find(part, at)
        assert found >= 0, part
        at = found + len(part)
    assert "ยังไม่รายงาน" in flat  # the silent activity, named in the table
    assert "ถอดบทเรียนการแก้ไขข้อบกพร่องของสหกรณ์" in flat


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("secretary", 200),
        ("head", 200),
        ("cko", 200),
        ("member", None),  # as the print view: whatever the plan's own rule says
        ("staff", None),
        ("anonymous", 302),
    ],
)
def test_who_may_download_it_is_who_may_print_the_report(client_as, plan, role, status):
    client = client_as(role)
    printed = client.get(
        reverse("plans:progress_print", args=[plan.fiscal_year]) + "?quarter=1"
    ).status_code
    got = client.get(url(plan)).status_code
    assert got == (status if status is not None else printed)
    assert client.post(url(plan)).status_code in (302, 403, 404, 405)


def test_an_odd_quarter_gives_the_current_one(client_as, plan):
    assert client_as("secretary").get(url(plan, quarter="ห้า")).status_code == 200


def test_the_progress_page_links_the_pdf(client_as, plan):
    html = (
        client_as("secretary")
        .get(reverse("plans:progress", args=[plan.fiscal_year]) + "?quarter=1")
        .content.decode()
    )
    assert url(plan) in html.replace("&amp;", "&")
