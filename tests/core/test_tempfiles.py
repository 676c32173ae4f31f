"""Upload temp files live in the data folder, and stale ones left by a killed worker go."""

import os
import time
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import TemporaryUploadedFile
from django.core.management import call_command

from apps.core import tempfiles

DAY = 24 * 60 * 60


def age(path: Path, seconds: float) -> None:
    then = time.time() - seconds
    os.utime(path, (then, then))


def test_upload_temp_files_live_in_the_data_folder():
    folder = Path(settings.FILE_UPLOAD_TEMP_DIR)
    assert folder.parent == Path(settings.DATA_DIR)
    assert folder.is_dir()
    upload = TemporaryUploadedFile("รายงาน.pdf", "application/pdf", 10, None)
    try:
        assert Path(upload.temporary_file_path()).parent == folder
    finally:
        upload.close()


@pytest.fixture
def scratch(settings, tmp_path):
    settings.FILE_UPLOAD_TEMP_DIR = tmp_path / "tmp"
    settings.FILE_UPLOAD_TEMP_DIR.mkdir()
    return settings.FILE_UPLOAD_TEMP_DIR


def test_stale_temp_files_are_removed_and_fresh_ones_kept(scratch):
    """GIVEN a partial upload a killed worker left two days ago, a probe folder as old, and an
    upload in progress WHEN the temp folder is cleaned THEN only the stale ones go."""
    stale = scratch / "tmpab12.upload.pdf"
    stale.write_bytes(b"%PDF-1.7 half")
    age(stale, 2 * DAY)
    stale_folder = scratch / "km-attachment-x1"
    (stale_folder / "upload").parent.mkdir()
    (stale_folder / "upload").write_bytes(b"x")
    age(stale_folder / "upload", 2 * DAY)
    age(stale_folder, 2 * DAY)
    fresh = scratch / "tmpcd34.upload.docx"
    fresh.write_bytes(b"in progress")

    removed = tempfiles.remove_stale()

    assert sorted(path.name for path in removed) == ["km-attachment-x1", "tmpab12.upload.pdf"]
    assert not stale.exists() and not stale_folder.exists()
    assert fresh.exists()


def test_the_clean_temp_command_reports_what_it_removed(scratch):
    stale = scratch / "tmpzz.upload.xlsx"
    stale.write_bytes(b"x")
    age(stale, 3 * DAY)
    out = StringIO()
    call_command("clean_temp", stdout=out)
    assert not stale.exists()
    assert "1" in out.getvalue()


def test_the_web_process_cleans_the_temp_folder_when_it_starts(scratch, monkeypatch):
    import importlib

    import kmportal.wsgi

    stale = scratch / "tmpold.upload.pdf"
    stale.write_bytes(b"x")
    age(stale, 2 * DAY)
    importlib.reload(kmportal.wsgi)
    assert not stale.exists()


def test_form_probes_use_the_data_folder_not_the_system_tmp(scratch, monkeypatch):
    """The type probes of plan evidence and knowledge attachments write their copy in the data
    folder's temp folder (a killed worker's copy is cleaned with the rest)."""
    import tempfile

    from django.core.files.uploadedfile import SimpleUploadedFile

    from apps.knowledge.services import check_attachment
    from apps.plans.forms.plans import evidence_type

    seen = []
    real_named, real_dir = tempfile.NamedTemporaryFile, tempfile.TemporaryDirectory

    def named(*args, **kwargs):
        seen.append(kwargs.get("dir"))
        return real_named(*args, **kwargs)

    def directory(*args, **kwargs):
        seen.append(kwargs.get("dir"))
        return real_dir(*args, **kwargs)

    monkeypatch.setattr(tempfile, "NamedTemporaryFile", named)
    monkeypatch.setattr(tempfile, "TemporaryDirectory", directory)
    evidence_type(SimpleUploadedFile("บันทึก.txt", "บันทึกการประชุม".encode()))
    check_attachment(SimpleUploadedFile("บันทึก.txt", "บันทึกการประชุม".encode()))
    assert seen == [scratch, scratch]
