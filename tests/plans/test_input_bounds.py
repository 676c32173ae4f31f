"""The plan's and progress reports' forms are bounded: over a limit is a Thai message
and nothing changes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from apps.core.choices import KMStep
from apps.core.forms import MAX_PEOPLE
from apps.core.thaidates import fiscal_year_range
from apps.plans.forms.plans import EVIDENCE_MAX_FILES, EVIDENCE_MAX_LINKS
from apps.plans.models import Activity, ProgressReport
from tests.plans.factories import ActivityFactory, PlanFactory

pytestmark = pytest.mark.django_db

TOO_MANY_PEOPLE = [str(n) for n in range(1, MAX_PEOPLE + 2)]
PEOPLE_MESSAGE = f"เลือกได้ไม่เกิน {MAX_PEOPLE} รายการ (เลือกมา {MAX_PEOPLE + 1} รายการ)"


def be(day: dt.date) -> str:
    return f"{day.day:02d}/{day.month:02d}/{day.year + 543}"


def activity_data(plan, owners, **overrides):
    first, last = fiscal_year_range(plan.fiscal_year)
    data = {
        "title": "จัดทำฐานข้อมูลด้านสหกรณ์",
        "category": f"step:{KMStep.ACCESS}",
        "method": "รวบรวมข้อมูล",
        "start_date": be(first),
        "end_date": be(last),
        "indicator": "ฐานข้อมูล",
        "target": "1",
        "budget": "0",
        "owners": owners,
        "order": "",
    }
    return {**data, **overrides}


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"owners": TOO_MANY_PEOPLE}, "owners", PEOPLE_MESSAGE),
        (
            {"method": "ก" * 20_001},
            "method",
            "ค่านี้ต้องมีไม่เกิน 20000 ตัวอักษร (ปัจจุบันมี 20001 ตัวอักษร)",
        ),
        ({"title": "\u200b\ufeff"}, "title", "ฟิลด์นี้จำเป็น"),
    ],
)
def test_an_activity_over_a_limit_is_refused(client_as, people, changes, field, message):
    plan = PlanFactory()
    data = {**activity_data(plan, [people["member"].pk]), **changes}
    response = client_as("head").post(
        reverse("plans:activity_create", args=[plan.fiscal_year]), data
    )
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert not Activity.objects.exists()


def test_a_knowledge_need_with_too_many_holders_is_refused(client_as):
    plan = PlanFactory()
    response = client_as("head").post(
        reverse("plans:need_create", args=[plan.fiscal_year]),
        {"topic": "การตรวจบัญชีสหกรณ์", "priority": "1", "holders": TOO_MANY_PEOPLE},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["holders"] == [PEOPLE_MESSAGE]
    assert not plan.knowledge_needs.exists()


@pytest.fixture
def activity(people):
    return ActivityFactory(plan=PlanFactory(approved=True), owners=[people["member"]])


def report_data(**overrides):
    today = timezone.localdate()
    data = {
        "as_of": be(today),
        "percent": "40",
        "status": "in_progress",
        "narrative": "จัดประชุมกลุ่มย่อยแล้ว",
        "problems": "",
        "links": "",
    }
    return {**data, **overrides}


def test_a_report_with_too_many_files_or_links_is_refused(client_as, activity):
    client = client_as("member")
    url = reverse("plans:report_create", args=[activity.pk])
    files = [SimpleUploadedFile(f"{n}.txt", f"หลักฐาน {n}".encode()) for n in range(11)]
    response = client.post(url, report_data(files=files))
    assert response.status_code == 200
    assert response.context["form"].errors["files"] == [
        f"เพิ่มไฟล์ได้ครั้งละไม่เกิน {EVIDENCE_MAX_FILES} ไฟล์ (ส่งมา 11 ไฟล์)"
    ]
    links = "\n".join(f"/library/{n}/" for n in range(EVIDENCE_MAX_LINKS + 1))
    response = client.post(url, report_data(links=links))
    assert response.context["form"].errors["links"] == [
        f"เชื่อมโยงได้ไม่เกิน {EVIDENCE_MAX_LINKS} รายการต่อรายงาน (ให้มา {EVIDENCE_MAX_LINKS + 1} รายการ)"
    ]
    assert not ProgressReport.objects.exists()
