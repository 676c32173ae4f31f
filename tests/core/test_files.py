"""The shared stored-file helpers: generated names and safe downloads."""

import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models.fields.files import FieldFile
from django.http import Http404

from apps.core import files
from apps.library.models import DocumentFile


def stored(name: str, content: bytes | None) -> FieldFile:
    """A model file field's file, as the views hand it over (``None``: not on disk)."""
    if content is not None:
        name = default_storage.save(name, ContentFile(content))
    return FieldFile(None, DocumentFile._meta.get_field("file"), name)


def test_generated_names_ignore_what_the_uploader_called_the_file():
    name = files.generated_name("library", "../../หนังสือเวียน ฉบับที่ 1.PDF", spread=True)
    assert re.fullmatch(r"library/[0-9a-f]{2}/[0-9a-f]{32}\.pdf", name)
    assert re.fullmatch(r"orders/[0-9a-f]{32}", files.generated_name("orders", "ไม่มีนามสกุล"))


@pytest.mark.parametrize("mime", sorted(files.NEVER_INLINE))
def test_active_content_is_never_shown_inline(settings, tmp_path, mime):
    settings.MEDIA_ROOT = tmp_path
    response = files.serve(stored("x.bin", b"<svg/>"), filename="หน้า.html", mime=mime, inline=True)
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")
    assert "sandbox" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_safe_type_may_be_shown_inline_under_its_thai_name(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    pdf = stored("x.pdf", b"%PDF-1.4")
    response = files.serve(pdf, filename="คู่มือ.pdf", mime="application/pdf", inline=True)
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    attachment = files.serve(pdf, filename="คู่มือ.pdf", mime="application/pdf")
    assert "filename*=utf-8''" in attachment["Content-Disposition"]


def test_a_file_missing_on_disk_is_not_found(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with pytest.raises(Http404):
        files.serve(stored("gone.pdf", None), filename="a.pdf", mime="application/pdf")


def _write(written: list, name: str) -> str:
    name = default_storage.save(name, ContentFile(b"x"))
    written.append((default_storage, name))
    return name


@pytest.mark.django_db(transaction=True)
def test_files_of_a_write_that_does_not_commit_are_removed(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with pytest.raises(RuntimeError), files.atomic_with_files() as written:
        name = _write(written, "a.txt")
        raise RuntimeError("refused")
    assert not default_storage.exists(name)


@pytest.mark.django_db(transaction=True)
def test_files_of_a_committed_write_stay_whatever_fails_after_the_commit(settings, tmp_path):
    """GIVEN a write whose transaction committed WHEN a hook run after the commit fails (even
    with SystemExit, as gunicorn's worker timeout does) THEN the files stay with their rows."""
    from django.db import transaction

    settings.MEDIA_ROOT = tmp_path

    def cut_short():
        raise SystemExit(1)

    with pytest.raises(SystemExit), files.atomic_with_files() as written:
        name = _write(written, "b.txt")
        transaction.on_commit(cut_short)
    assert default_storage.exists(name)


@pytest.mark.django_db
def test_inside_an_outer_transaction_a_failed_block_removes_its_files(settings, tmp_path):
    from django.db import transaction

    settings.MEDIA_ROOT = tmp_path
    with transaction.atomic():
        with pytest.raises(RuntimeError), files.atomic_with_files() as written:
            name = _write(written, "c.txt")
            raise RuntimeError("refused")
        assert not default_storage.exists(name)
