"""Progress: owners report with evidence, uploads are checked by content, the secretary sees who
has not reported for the quarter and compiles the summary."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from apps.library.models import AccessLevel
from apps.plans.models import EvidenceFile, EvidenceLink, ProgressReport, ProgressSummary
from apps.plans.periods import Period, current_period, period_of
from apps.plans.selectors import progress_page
from tests.library.factories import DocumentFactory
from tests.plans.factories import ActivityFactory, PlanFactory, ProgressReportFactory

pytestmark = pytest.mark.django_db


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "orange").save(buffer, format="PNG")
    return buffer.getvalue()


def minimal_pdf() -> bytes:
    return b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def activity(people):
    plan = PlanFactory(approved=True)
    return ActivityFactory(plan=plan, owners=[people["member"]])


def report_data(**overrides):
    today = timezone.localdate()
    data = {
        "as_of": f"{today.day:02d}/{today.month:02d}/{today.year + 543}",
        "percent": "40",
        "status": "in_progress",
        "narrative": "จัดประชุมกลุ่มย่อยแล้ว 2 ครั้ง มีผู้เข้าร่วม 15 คน",
        "problems": "",
        "links": "",
    }
    return {**data, **overrides}


def test_an_owner_reports_progress_with_evidence(client_as, people, activity):
    document = DocumentFactory(title="รายงานการอบรม")
    client = client_as("member")
    data = report_data(
        files=[
            SimpleUploadedFile("ภาพกิจกรรม.png", png(), content_type="image/png"),
            SimpleUploadedFile("รายชื่อผู้เข้าอบรม.pdf", minimal_pdf()),
        ],
        links=f"http://testserver{document.get_absolute_url()}?x=1#top",
    )
    response = client.post(reverse("plans:report_create", args=[activity.pk]), data)
    assert response.status_code == 302
    report = ProgressReport.objects.get()
    assert (report.reported_by, report.percent) == (people["member"], 40)
    files = {stored.original_name: stored.mime for stored in report.files.all()}
    assert files == {"ภาพกิจกรรม.png": "image/png", "รายชื่อผู้เข้าอบรม.pdf": "application/pdf"}
    assert [link.object_id for link in report.links.all()] == [document.pk]
    activity.refresh_from_db()
    assert (activity.percent, activity.status) == (40, "in_progress")
    assert activity.last_reported_on == timezone.localdate()

    # The evidence downloads through the plan's permission, never inline.
    stored = report.files.get(mime="image/png")
    response = client_as("staff").get(reverse("plans:evidence", args=[stored.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == png()

    page = client_as("staff").get(activity.get_absolute_url())
    assert page.context["reports"][0].links.all()[0].target == document


def test_a_disguised_file_is_refused_and_nothing_is_saved(client_as, activity, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    html = SimpleUploadedFile("รายงาน.pdf", b"<html><script>alert(1)</script></html>")
    response = client_as("member").post(
        reverse("plans:report_create", args=[activity.pk]), report_data(files=[html])
    )
    assert response.status_code == 200
    assert response.context["form"].errors["files"]
    assert not ProgressReport.objects.exists() and not EvidenceFile.objects.exists()
    assert list(tmp_path.rglob("*.*")) == []


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"percent": "120"}, "percent"),
        ({"status": "done", "percent": "80"}, "percent"),
        ({"as_of": "31/02/2568"}, "as_of"),
        ({"narrative": ""}, "narrative"),
        ({"links": "https://example.com/เอกสาร"}, "links"),
    ],
)
def test_bad_reports_are_refused_with_a_message(client_as, activity, overrides, field):
    response = client_as("member").post(
        reverse("plans:report_create", args=[activity.pk]), report_data(**overrides)
    )
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not ProgressReport.objects.exists()


def test_a_report_cannot_be_dated_in_the_future(client_as, activity):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = client_as("member").post(
        reverse("plans:report_create", args=[activity.pk]),
        report_data(as_of=f"{tomorrow.day}/{tomorrow.month}/{tomorrow.year + 543}"),
    )
    assert "as_of" in response.context["form"].errors


def test_a_link_to_a_document_the_owner_may_not_open_is_refused(client_as, activity, people):
    secret = DocumentFactory(access=AccessLevel.KM_TEAM)
    # The member may open KM documents; a plain staff owner may not.
    activity.owners.add(people["staff"])
    response = client_as("staff").post(
        reverse("plans:report_create", args=[activity.pk]),
        report_data(links=secret.get_absolute_url()),
    )
    assert "links" in response.context["form"].errors
    assert not EvidenceLink.objects.exists()


def test_progress_waits_for_the_approved_plan(client_as, people):
    draft = ActivityFactory(plan=PlanFactory(), owners=[people["member"]])
    response = client_as("member").get(reverse("plans:report_create", args=[draft.pk]))
    assert response.status_code == 403


def test_withdrawing_a_report_restores_the_one_before(client_as, activity, people):
    older = ProgressReportFactory(
        activity=activity,
        reported_by=people["member"],
        as_of=timezone.localdate() - dt.timedelta(days=20),
        percent=20,
    )
    newer = ProgressReportFactory(activity=activity, reported_by=people["member"], percent=70)
    from apps.plans.services.progress import refresh_activity

    refresh_activity(activity)
    assert activity.percent == 70
    client_as("member").post(reverse("plans:report_delete", args=[newer.pk]))
    activity.refresh_from_db()
    assert activity.percent == older.percent == 20


def test_quarters_of_the_fiscal_year():
    first = Period(2568, 1)
    assert (first.start, first.end) == (dt.date(2024, 10, 1), dt.date(2024, 12, 31))
    assert (Period(2568, 2).start, Period(2568, 4).end) == (
        dt.date(2025, 1, 1),
        dt.date(2025, 9, 30),
    )
    assert period_of(dt.date(2025, 7, 1)) == Period(2568, 4)
    assert period_of(dt.date(2025, 10, 1)) == Period(2569, 1)


def test_who_has_not_reported_for_the_quarter(people):
    """GIVEN four activities of a quarter WHEN one owner reported, one activity was done before
    the quarter and one starts later THEN only the silent owner is listed."""
    plan = PlanFactory(fiscal_year=2568, approved=True)
    quarter = Period(2568, 2)
    member, staff = people["member"], people["staff"]
    reported = ActivityFactory(plan=plan, owners=[member])
    ProgressReportFactory(activity=reported, as_of=dt.date(2025, 2, 10))
    silent = ActivityFactory(plan=plan, owners=[staff, member])
    finished = ActivityFactory(plan=plan, owners=[staff], status="done")
    ProgressReportFactory(activity=finished, as_of=dt.date(2024, 12, 1), status="done", percent=100)
    later = ActivityFactory(plan=plan, owners=[staff], start_date=dt.date(2025, 5, 1))
    page = progress_page(plan, quarter)
    rows = {row.activity: row for row in page["rows"]}
    assert rows[reported].reports and not rows[reported].missing
    assert rows[silent].missing
    assert not rows[finished].due and not rows[later].due
    assert page["missing"] == sorted(
        [(member, [silent]), (staff, [silent])], key=lambda item: str(item[0])
    )
    assert (page["due_count"], page["reported_count"]) == (2, 1)


def test_the_secretary_compiles_the_quarter(client_as, people, activity):
    year = activity.plan.fiscal_year
    client = client_as("secretary")
    url = reverse("plans:progress", args=[year])
    response = client.post(f"{url}?quarter=2", {"summary": "ดำเนินการได้ตามแผน", "issues": ""})
    assert response.status_code == 302
    summary = ProgressSummary.objects.get()
    assert (summary.quarter, summary.compiled_by) == (2, people["secretary"])
    for role in ("head", "cko"):
        page = client_as(role).get(f"{url}?quarter=2")
        assert page.context["summary"] == summary and page.context["form"] is None
    printed = client_as("cko").get(reverse("plans:progress_print", args=[year]) + "?quarter=2")
    assert "ดำเนินการได้ตามแผน" in printed.content.decode()


@pytest.mark.parametrize("quarter", ["x", "5", "0", ""])
def test_progress_page_bad_quarter_falls_back(client_as, activity, quarter):
    """GIVEN a quarter that is not 1 to 4 WHEN the page is asked for it THEN it shows the
    quarter it shows when none is given: today's in the current year, the last one of a past
    year (marked as the quarter shown)."""
    client = client_as("head")
    year = activity.plan.fiscal_year
    past = PlanFactory(fiscal_year=year - 1, approved=True)
    for plan, expected in ((activity.plan, period_of(timezone.localdate())), (past, None)):
        expected = expected or Period(past.fiscal_year, 4)
        response = client.get(
            reverse("plans:progress", args=[plan.fiscal_year]), {"quarter": quarter}
        )
        assert response.status_code == 200
        assert response.context["period"] == expected == current_period(plan.fiscal_year)
        page = response.content.decode()
        assert f'href="?quarter={expected.quarter}" aria-current="page"' in page


def test_a_failure_after_the_upload_leaves_no_file(
    client_as, activity, settings, tmp_path, monkeypatch
):
    """GIVEN a valid report WHEN the database write fails after the file was stored THEN the
    file is removed again and no report remains."""
    from apps.plans.services import progress as services

    settings.MEDIA_ROOT = tmp_path

    def broken(activity):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(services, "refresh_activity", broken)
    with pytest.raises(RuntimeError):
        client_as("member").post(
            reverse("plans:report_create", args=[activity.pk]),
            report_data(files=[SimpleUploadedFile("ภาพ.png", png())]),
        )
    assert list(tmp_path.rglob("*.png")) == []
    assert not ProgressReport.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_evidence_stays_when_the_request_dies_after_the_commit(
    client_as, activity, cut_short_after_commit
):
    """GIVEN a report that has committed WHEN the request is cut short afterwards (gunicorn's
    worker timeout in the index update after the commit) THEN its evidence file stays."""
    client = client_as("member")
    with pytest.raises(SystemExit), cut_short_after_commit(EvidenceFile):
        client.post(
            reverse("plans:report_create", args=[activity.pk]),
            report_data(files=[SimpleUploadedFile("ภาพ.png", png())]),
        )
    stored = EvidenceFile.objects.get()
    assert stored.file.storage.exists(stored.file.name)
