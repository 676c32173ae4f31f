"""``manage.py doctor`` finds each problem it claims to find, and its exit code says so
(0 in order, 1 needs attention, 2 problem)."""

import io
import os
import shutil
import time
from collections import namedtuple
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from apps.library.models import DocumentFile
from apps.ops import health, jobwatch
from apps.search.models import IndexTask
from tests.library.factories import DocumentFileFactory

from .instance import Instance


def doctor() -> tuple[int, str]:
    out = io.StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("doctor", stdout=out)
    return exit_.value.code, out.getvalue()


def status_of(key: str) -> health.Finding:
    return next(f for f in health.run_checks() if f.key == key)


@pytest.fixture
def healthy(instance_dirs):
    """An instance in order: one document in step with the index, a fresh backup and a worker
    that has just given a sign of life."""
    from apps.search import indexing

    DocumentFileFactory()
    indexing.flush()
    jobwatch.beat()
    (instance_dirs / "backups" / "kmportal-20250101-020000.tar.gz").write_bytes(b"x")
    return instance_dirs


@pytest.mark.django_db
def test_an_instance_in_order_exits_0(healthy):
    code, out = doctor()
    assert code == 0, out
    assert "[FAIL]" not in out and "[WARN]" not in out
    assert "overall: ok" in out


@pytest.mark.django_db
def test_unapplied_migrations_are_a_problem(healthy):
    # The library's latest migration, whichever it is (an earlier one under an applied later
    # one would not count as waiting).
    leaf = next(
        name for app, name in MigrationLoader(connection).graph.leaf_nodes() if app == "library"
    )
    MigrationRecorder(connection).record_unapplied("library", leaf)
    code, out = doctor()
    assert code == 2
    assert f"[FAIL] Database changes (migrations): 1 not applied (library.{leaf})" in out


@pytest.mark.django_db
def test_an_index_out_of_step_is_a_problem(healthy):
    DocumentFileFactory()
    IndexTask.objects.all().delete()  # as if the queue had been lost
    finding = status_of("index")
    assert finding.status == health.ERROR
    assert "missing 1" in finding.detail or "ขาด 1" in finding.detail
    assert doctor()[0] == 2


@pytest.mark.django_db
def test_queued_index_updates_need_attention(healthy):
    DocumentFileFactory()  # its index task waits: the test's transaction never commits
    assert IndexTask.objects.exists()
    assert status_of("index").status == health.WARNING
    assert doctor()[0] == 1


@pytest.mark.django_db
def test_extractions_waiting_too_long_need_attention(healthy):
    waiting = DocumentFileFactory(text_status="pending")
    assert status_of("extraction").status == health.OK  # just uploaded: not yet a concern
    DocumentFile.objects.filter(pk=waiting.pk).update(
        created_at=timezone.now() - timedelta(hours=1)
    )
    assert status_of("extraction").status == health.WARNING
    assert "extract_pending" in doctor()[1]


@pytest.mark.django_db
def test_a_missing_stored_file_is_a_problem(healthy):
    stored = DocumentFileFactory()
    os.remove(stored.file.path)
    finding = status_of("files")
    assert finding.status == health.ERROR
    assert stored.file.name in finding.detail
    assert doctor()[0] == 2


@pytest.mark.django_db
def test_low_disk_space_needs_attention(healthy, monkeypatch):
    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr(
        shutil, "disk_usage", lambda _path: usage(100 * 2**30, 95 * 2**30, 5 * 2**30)
    )
    finding = status_of("disk")
    assert finding.status == health.WARNING
    assert "10%" in finding.detail
    monkeypatch.setattr(
        shutil, "disk_usage", lambda _path: usage(100 * 2**30, 50 * 2**30, 50 * 2**30)
    )
    assert status_of("disk").status == health.OK


@pytest.mark.django_db
def test_a_data_folder_that_cannot_be_written_is_a_problem(healthy, settings, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    settings.MEDIA_ROOT = blocker / "media"
    assert status_of("disk").status == health.ERROR


@pytest.mark.django_db
def test_no_backup_or_an_old_one_needs_attention(healthy):
    archive = next((healthy / "backups").iterdir())
    two_days_ago = time.time() - 2 * 86400
    os.utime(archive, (two_days_ago, two_days_ago))
    assert status_of("backups").status == health.WARNING
    archive.unlink()
    assert status_of("backups").status == health.WARNING
    assert doctor()[0] == 1


@pytest.mark.django_db
def test_an_unreachable_mail_server_needs_attention(healthy, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens there
    finding = status_of("email")
    assert finding.status == health.WARNING
    assert "127.0.0.1:9" in finding.detail


@pytest.mark.django_db
def test_a_console_mail_backend_in_production_needs_attention(healthy, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    settings.DEBUG = False
    assert status_of("email").status == health.WARNING


@pytest.mark.django_db
def test_the_report_names_time_zone_and_versions(healthy):
    _code, out = doctor()
    assert "Asia/Bangkok" in out
    assert "KM Portal 0.1.0" in out and "Django 5.2" in out


def test_an_unreachable_database_is_a_problem(tmp_path):
    instance = Instance(tmp_path, "postgres://postgres@127.0.0.1:9/kmportal_nowhere")
    result = instance.manage("doctor", check=False)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "[FAIL] Database: cannot reach the database" in result.stdout
    assert "skipped: the database is unreachable" in result.stdout
