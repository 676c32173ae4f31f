"""Background jobs seen by administrators: a job that keeps failing is retried, then recorded
and shown on the jobs page; the heartbeat in ``doctor`` and ``/healthz``; extraction enqueued
only once an upload commits. (Jobs run at once in the tests: ``HUEY["immediate"]``.)"""

import json
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from huey.contrib.djhuey import db_task

from apps.core import jobs
from apps.library import services, tasks
from apps.library.models import DocumentFile, TextStatus
from apps.ops import health, jobwatch
from apps.ops.models import FailedJob, ScheduleRun

runs: list[int] = []


@db_task(retries=2, retry_delay=0)
def always_fails(number: int) -> None:
    runs.append(number)
    raise RuntimeError("ไฟล์ต้นฉบับเสีย")


@pytest.mark.django_db
def test_a_job_that_keeps_failing_is_retried_then_shown_to_administrators(client_as):
    runs.clear()
    always_fails(7)
    assert runs == [7, 7, 7]  # the first try and two retries
    failed = FailedJob.objects.get()
    assert failed.name == "tests.ops.test_jobs.always_fails"
    assert failed.arguments == "7"
    assert failed.retries_used == 2
    assert failed.error == "RuntimeError: ไฟล์ต้นฉบับเสีย"
    html = client_as("admin").get(reverse("ops:jobs")).content.decode()
    assert "tests.ops.test_jobs.always_fails" in html and "ไฟล์ต้นฉบับเสีย" in html
    assert 'data-count="failed">1<' in html


@pytest.mark.django_db
def test_a_job_that_succeeds_on_a_retry_is_not_recorded(monkeypatch):
    calls = []

    @db_task(retries=1, retry_delay=0, name="tests.ops.flaky_once")
    def flaky() -> None:
        calls.append(1)
        if len(calls) == 1:
            raise OSError("busy")

    flaky()
    assert len(calls) == 2 and not FailedJob.objects.exists()


@pytest.mark.django_db
def test_the_jobs_page_shows_schedules_and_the_heartbeat(client_as):
    page = client_as("admin").get(reverse("ops:jobs")).content.decode()
    assert 'data-heartbeat="never"' in page
    for name in ["apps.ops.tasks.heartbeat", "apps.search.tasks.retry_index"]:
        assert f'data-schedule="{name}"' in page
    jobwatch.beat()
    page = client_as("admin").get(reverse("ops:jobs")).content.decode()
    assert 'data-heartbeat="ok"' in page


# --- Heartbeat: doctor and /healthz -------------------------------------------------------------
def set_heartbeat(age: timedelta | None) -> None:
    ScheduleRun.objects.filter(name=jobwatch.HEARTBEAT).delete()
    if age is not None:
        jobwatch.beat()
        moment = timezone.now() - age
        ScheduleRun.objects.filter(name=jobwatch.HEARTBEAT).update(
            started_at=moment, finished_at=moment
        )


def worker_finding() -> health.Finding:
    return next(f for f in health.run_checks() if f.key == "worker")


@pytest.mark.django_db
def test_doctor_warns_of_a_worker_that_stopped_or_never_ran():
    set_heartbeat(timedelta(seconds=30))
    assert worker_finding().status == health.OK
    set_heartbeat(timedelta(minutes=10))
    stale = worker_finding()
    assert stale.status == health.WARNING and "run_huey" in stale.detail
    set_heartbeat(None)
    assert worker_finding().status == health.WARNING


@pytest.mark.django_db
def test_doctor_warns_of_jobs_failed_today():
    set_heartbeat(timedelta(seconds=5))
    FailedJob.objects.create(
        task_id="x", name="apps.library.tasks.extract_text", failed_at=timezone.now()
    )
    assert worker_finding().status == health.WARNING


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["anonymous", "staff", "admin"])
def test_healthz_answers_anyone_in_json(client_as, role, settings):
    set_heartbeat(timedelta(seconds=20))
    response = client_as(role).get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    report = json.loads(response.content)
    assert report["status"] == "ok"
    assert report["database"] == {"ok": True}
    assert report["index"]["ok"] is True and isinstance(report["index"]["queued"], int)
    worker = report["worker"]
    assert worker["ok"] is True and worker["state"] == "ok"
    assert 20 <= worker["heartbeat_age_seconds"] < 120  # a slow machine takes a while to answer
    assert report["disk"]["ok"] is True and report["disk"]["free_mb"] > 0
    # Figures only: no folder, host or version for an anonymous caller.
    assert str(settings.DATA_DIR) not in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("age", "state"), [(timedelta(minutes=6), "stale"), (None, "never")], ids=["stale", "never"]
)
def test_healthz_is_503_without_a_live_worker(client, age, state):
    set_heartbeat(age)
    response = client.get("/healthz")
    assert response.status_code == 503
    report = json.loads(response.content)
    assert report["status"] == "error" and report["worker"]["state"] == state
    assert report["database"]["ok"] and report["index"]["ok"]


@pytest.mark.django_db
def test_healthz_is_503_when_the_disk_is_nearly_full(client, settings):
    set_heartbeat(timedelta(seconds=1))
    settings.KM_MIN_FREE_BYTES = 2**62
    report = client.get("/healthz")
    assert report.status_code == 503 and json.loads(report.content)["disk"]["ok"] is False


@pytest.mark.django_db
def test_healthz_refuses_writes(client):
    assert client.post("/healthz").status_code == 405


# --- Extraction as a job, after the commit ------------------------------------------------------
def upload(title: str):
    return services.document_create(
        by=None,
        details=services.DocumentDetails(title=title),
        files=[SimpleUploadedFile("บันทึก.txt", "ข้อความบันทึกการประชุม".encode())],
    )


@pytest.mark.django_db
def test_extraction_is_a_job_that_runs_once_the_upload_commits(
    settings, django_capture_on_commit_callbacks
):
    settings.LIBRARY_EXTRACTION = "queue"
    with django_capture_on_commit_callbacks(execute=True):
        document = upload("บันทึกการประชุม")
        stored = document.files.get()
        # Not yet: the job is enqueued by the commit.
        assert stored.text_status == TextStatus.PENDING
    stored.refresh_from_db()
    assert stored.text_status == TextStatus.DONE and "บันทึกการประชุม" in stored.text


@pytest.mark.django_db
def test_no_extraction_job_for_an_upload_rolled_back(
    settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.LIBRARY_EXTRACTION = "queue"
    enqueued = []
    monkeypatch.setattr(tasks, "extract_text", lambda file_id: enqueued.append(file_id))
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        upload("ร่างที่ถูกยกเลิก")
        raise RuntimeError("the request failed after the upload")
    assert enqueued == [] and not DocumentFile.objects.exists()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        kept = upload("ฉบับที่บันทึกแล้ว")
    assert enqueued == [kept.files.get().pk]
    assert callbacks


@pytest.mark.django_db
def test_the_sweep_enqueues_files_whose_job_was_lost(settings):
    settings.LIBRARY_EXTRACTION = "queue"
    document = upload("บันทึกที่งานหาย")  # the test's transaction never commits: no job ran
    stored = document.files.get()
    assert stored.text_status == TextStatus.PENDING
    tasks.extract_waiting.call_local()  # too recent: left to its own job
    stored.refresh_from_db()
    assert stored.text_status == TextStatus.PENDING
    DocumentFile.objects.filter(pk=stored.pk).update(updated_at=timezone.now() - timedelta(hours=1))
    tasks.extract_waiting.call_local()
    stored.refresh_from_db()
    assert stored.text_status == TextStatus.DONE


def test_bangkok_crontab_is_read_in_utc():
    import datetime as dt

    seven = jobs.bangkok_crontab(7)
    assert seven(dt.datetime(2026, 12, 6, 0, 0))  # 07:00 in Bangkok is midnight UTC
    assert not seven(dt.datetime(2026, 12, 6, 7, 0))
    assert jobs.bangkok_crontab(3, 30)(dt.datetime(2026, 12, 5, 20, 30))
    with pytest.raises(ValueError):
        jobs.bangkok_crontab(24)
