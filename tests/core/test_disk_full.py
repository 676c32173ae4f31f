"""A full (or nearly full) disk: writes are refused in Thai, nothing is left half-written, and
the error page never claims an error was recorded when the log could not be written."""

import errno
import logging
import shutil
from collections import namedtuple
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import OperationalError
from django.test import override_settings
from django.urls import reverse

from apps.core import diskspace, logs
from apps.library.models import Document
from tests.conftest import PASSWORD
from tests.library.test_documents import stored_files, upload_data

pytestmark = pytest.mark.django_db

Usage = namedtuple("Usage", "total used free")
MB = 1024 * 1024
FULL_MESSAGE = "พื้นที่จัดเก็บข้อมูลของระบบใกล้เต็ม"


@pytest.fixture
def low_disk(monkeypatch, settings):
    """The data folder's disk has 5 MB left; the portal keeps 100 MB in reserve."""
    settings.KM_MIN_FREE_BYTES = 100 * MB
    monkeypatch.setattr(shutil, "disk_usage", lambda path: Usage(10_000 * MB, 9_995 * MB, 5 * MB))


def test_an_upload_is_refused_in_thai_when_the_disk_is_low(client_as, low_disk):
    before = stored_files()
    response = client_as("member").post(reverse("library:create"), upload_data())
    assert response.status_code == 503
    html = response.content.decode()
    assert FULL_MESSAGE in html
    assert Document.objects.count() == 0
    assert stored_files() == before


def test_an_upload_that_would_leave_too_little_room_is_refused(client_as, monkeypatch, settings):
    settings.KM_MIN_FREE_BYTES = 1 * MB
    # 1.5 MB free: the reserve is kept, but a 1 MB upload would eat into it.
    monkeypatch.setattr(shutil, "disk_usage", lambda path: Usage(100 * MB, 98 * MB, 3 * MB // 2))
    from django.core.files.uploadedfile import SimpleUploadedFile

    big = SimpleUploadedFile("ใหญ่.txt", "ก".encode() * (MB // 3 + 1))
    response = client_as("member").post(reverse("library:create"), upload_data(files=[big]))
    assert response.status_code == 503
    assert Document.objects.count() == 0


def test_reading_still_works_when_the_disk_is_low(client_as, low_disk):
    assert client_as("staff").get(reverse("library:list")).status_code == 200


def test_signing_in_still_works_when_the_disk_is_low(client, user, low_disk):
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302


def test_a_disk_full_database_error_at_sign_in_is_a_thai_page_not_a_500(client, user, monkeypatch):
    """SQLite says 'database or disk is full' when the session cannot be written."""
    from django.contrib.sessions.backends.db import SessionStore

    def full(*args, **kwargs):
        raise OperationalError("database or disk is full")

    monkeypatch.setattr(SessionStore, "save", full)
    client.raise_request_exception = False
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 503
    assert FULL_MESSAGE in response.content.decode()


def test_a_write_that_runs_out_of_disk_leaves_no_partial_file(client_as, monkeypatch):
    """GIVEN a disk that fills up half-way through writing an upload WHEN it is stored THEN
    the partial file is removed, nothing is saved, and the answer is the Thai page."""
    import django.core.files.storage.filesystem as filesystem

    real_fdopen = filesystem.os.fdopen

    class FillingUp:
        def __init__(self, handle):
            self.handle = handle

        def write(self, chunk):
            self.handle.write(chunk[:3])
            self.handle.flush()
            raise OSError(errno.ENOSPC, "No space left on device")

        def close(self):
            self.handle.close()

    monkeypatch.setattr(filesystem.os, "fdopen", lambda fd, mode: FillingUp(real_fdopen(fd, mode)))
    before = stored_files()
    client = client_as("member")
    client.raise_request_exception = False
    response = client.post(reverse("library:create"), upload_data())
    assert response.status_code == 503
    assert FULL_MESSAGE in response.content.decode()
    assert Document.objects.count() == 0
    assert stored_files() == before


def test_the_storage_refuses_a_file_that_does_not_fit(low_disk):
    before = stored_files()
    with pytest.raises(diskspace.StorageFullError):
        default_storage.save("library/x.txt", ContentFile(b"x" * 10))
    assert stored_files() == before


def test_disk_full_errors_are_recognised():
    assert diskspace.is_disk_full(OSError(errno.ENOSPC, "No space left on device"))
    assert diskspace.is_disk_full(OperationalError("database or disk is full"))
    wrapped = OperationalError("could not extend file")
    wrapped.__cause__ = type("DiskFull", (Exception,), {"sqlstate": "53100"})()
    assert diskspace.is_disk_full(wrapped)
    assert not diskspace.is_disk_full(OSError(errno.EACCES, "Permission denied"))
    assert not diskspace.is_disk_full(RuntimeError("boom"))


# --- The log on a full disk -------------------------------------------------------------------
class FullDisk:
    """A log file's stream on a full disk: every write fails."""

    def write(self, text):
        raise OSError(errno.ENOSPC, "No space left on device")

    flush = write

    def seek(self, *args):
        return 0

    def tell(self):
        return 0

    def close(self):
        pass


@pytest.fixture
def log_disk_full(monkeypatch):
    """Every write to the log file fails as on a full disk."""
    root = logging.getLogger()
    handlers = [h for h in root.handlers if isinstance(h, logs.SafeRotatingFileHandler)]
    assert handlers, "the file log uses the safe handler"
    for handler in handlers:
        monkeypatch.setattr(handler, "stream", FullDisk())
    return handlers


@override_settings(DEBUG=False)
def test_the_500_page_does_not_claim_a_record_it_could_not_write(user_client, log_disk_full):
    from apps.core import portal as views_portal

    def explode():
        raise RuntimeError("boom")

    user_client.raise_request_exception = False
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(views_portal, "home_sections", explode)
        response = user_client.get("/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "ได้บันทึกข้อผิดพลาดนี้ไว้แล้ว" not in html
    assert "ไม่สามารถบันทึกข้อผิดพลาดนี้ได้" in html


@override_settings(DEBUG=False)
def test_the_500_page_says_recorded_when_it_was(user_client):
    from apps.core import portal as views_portal

    def explode():
        raise RuntimeError("boom")

    user_client.raise_request_exception = False
    log = Path(settings.LOG_DIR) / "kmportal.log"
    before = log.stat().st_size if log.exists() else 0  # other tests share the log
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(views_portal, "home_sections", explode)
        response = user_client.get("/")
    assert response.status_code == 500
    assert "ได้บันทึกข้อผิดพลาดนี้ไว้แล้ว" in response.content.decode()
    log_text = log.read_bytes()[before:].decode("utf-8")
    assert "RuntimeError: boom" in log_text
    assert log_text.count("RuntimeError: boom") == 1  # recorded once, not twice


def test_a_log_that_cannot_be_written_never_breaks_a_request(user_client, log_disk_full):
    """A 404 logs a warning; the log's disk is full; the page is still a 404."""
    response = user_client.get("/no-such-page/")
    assert response.status_code == 404
    assert log_disk_full[0].failures >= 1
