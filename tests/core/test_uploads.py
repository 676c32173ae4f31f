"""The one upload toolkit: content sniffing, the shared type list, the check every app uses for
files people share, and the stored-file helpers around a write."""

import hashlib
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from PIL import Image

from apps.core import files, uploads
from apps.core.filetypes import kind_for_mime, type_mismatch
from apps.core.forms import PeopleField, PersonField, active_people
from apps.library.models import DocumentFile

pytestmark = pytest.mark.django_db


def png(size=(40, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (10, 120, 200)).save(buffer, "PNG")
    return buffer.getvalue()


def check(name: str, content: bytes, **kwargs) -> uploads.CheckedUpload:
    kwargs.setdefault("max_bytes", 1024 * 1024)
    return uploads.check_upload(SimpleUploadedFile(name, content), **kwargs)


def codes(error: ValidationError) -> set[str]:
    return {e.code for e in error.error_list}


def test_a_shared_file_comes_back_with_its_real_kind_and_digest():
    content = "บันทึกการประชุม".encode()
    checked = check("บันทึก.txt", content)
    assert checked.kind.mime == "text/plain" and checked.name == "บันทึก.txt"
    assert checked.sha256 == hashlib.sha256(content).hexdigest()
    assert check("ภาพ.png", png()).kind.mime == "image/png"


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("ว่าง.txt", b"", "empty"),
        ("page.html", b"<!doctype html><html><script>alert(1)</script></html>", "file_type"),
        (
            "picture.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
            "file_type",
        ),
        ("tool.exe", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64, "file_type"),
        ("report.pdf", b"<!doctype html><html><body>not a pdf</body></html>", "file_type"),
        ("note.pdf", "ข้อความธรรมดา".encode(), "type_mismatch"),
        ("broken.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "invalid_image"),
    ],
)
def test_what_may_not_be_shared_is_refused_with_its_reason(name, content, code):
    with pytest.raises(ValidationError) as refused:
        check(name, content)
    assert codes(refused.value) == {code}


def test_a_file_over_the_limit_is_refused_by_name():
    with pytest.raises(ValidationError) as refused:
        check("ใหญ่.txt", b"x" * 2000, max_bytes=1000)
    assert codes(refused.value) == {"too_large"}
    assert "ใหญ่.txt" in refused.value.messages[0]


def test_an_image_bomb_is_refused_before_it_is_decoded():
    with pytest.raises(ValidationError) as refused:
        check("ภาพ.png", png((400, 300)), max_pixels=1000)
    assert codes(refused.value) == {"too_many_pixels"}


def test_the_caller_words_the_refusal_of_a_type():
    with pytest.raises(ValidationError) as refused:
        check("page.html", b"<html><body>x</body></html>", wrong_type="no %(name)s (%(kind)s)")
    assert refused.value.messages == ["no page.html (HTML)"]


def test_the_one_list_keeps_active_content_out():
    """GIVEN the union of the lists knowledge and plans kept THEN nothing a browser would run,
    no archive and no program is in it."""
    for mime in ("text/html", "image/svg+xml", "application/zip", "application/octet-stream"):
        assert mime not in uploads.SHAREABLE_TYPES
    assert {"image/tiff", "application/vnd.oasis.opendocument.text"} <= uploads.SHAREABLE_TYPES
    assert not any(
        kind_for_mime(mime).mime == "application/octet-stream" for mime in uploads.SHAREABLE_TYPES
    )


def test_a_name_that_lies_about_its_content_is_named():
    pdf = kind_for_mime("application/pdf")
    assert type_mismatch("รายงาน.pdf", pdf) == ""
    assert type_mismatch("ไม่มีนามสกุล", pdf) == ""
    assert type_mismatch("รายงาน.docx", pdf).startswith("type mismatch: named .docx")


def test_fingerprint_reads_the_whole_upload_and_rewinds_it():
    upload = SimpleUploadedFile("a.txt", b"abc" * 100_000)
    upload.read(10)
    assert uploads.fingerprint(upload) == hashlib.sha256(b"abc" * 100_000).hexdigest()
    assert upload.read(3) == b"abc"


# --- Stored files around a write -----------------------------------------------------------------
def test_files_are_deleted_after_the_commit_not_after_a_rollback(
    settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    stored = DocumentFile(original_name="x")
    stored.file.save("ลบ.txt", ContentFile(b"x"), save=False)
    names = files.stored_files([stored.file, DocumentFile().file])
    assert names == [(stored.file.storage, stored.file.name)]

    class RefusedError(Exception):
        pass

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RefusedError),
        transaction.atomic(),
    ):
        files.delete_after_commit(names)
        raise RefusedError
    assert not callbacks and stored.file.storage.exists(stored.file.name)
    with django_capture_on_commit_callbacks(execute=True):
        files.delete_after_commit(names)
        assert stored.file.storage.exists(stored.file.name)
    assert not stored.file.storage.exists(stored.file.name)


def test_a_replaced_file_goes_after_the_commit_and_a_refused_new_one_at_once(
    settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    record = DocumentFile(original_name="x")
    record.file.save("เดิม.txt", ContentFile(b"old"), save=False)
    old_name, storage = record.file.name, record.file.storage

    with pytest.raises(ValueError), files.replacing_file(record, "file", old_name=old_name):
        record.file.save("ใหม่.txt", ContentFile(b"new"), save=False)
        refused_name = record.file.name
        raise ValueError("the row was refused")
    assert not storage.exists(refused_name) and storage.exists(old_name)

    with (
        django_capture_on_commit_callbacks(execute=True),
        files.replacing_file(record, "file", old_name=old_name),
    ):
        record.file.save("ใหม่.txt", ContentFile(b"new"), save=False)
    assert storage.exists(record.file.name) and not storage.exists(old_name)


def test_save_upload_notes_the_file_for_atomic_with_files(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    record = DocumentFile(original_name="x")
    with pytest.raises(RuntimeError), files.atomic_with_files() as written:
        name = files.save_upload(record.file, SimpleUploadedFile("ก.txt", b"x"), written)
        assert record.file.storage.exists(name)
        raise RuntimeError
    assert not record.file.storage.exists(name)


# --- Choosing people -----------------------------------------------------------------------------
def test_people_are_chosen_from_active_accounts_with_their_position(django_user_model):
    active = django_user_model.objects.create_user(
        "somchai", first_name="สมชาย", position="นักวิชาการ"
    )
    django_user_model.objects.create_user("gone", first_name="ก", is_active=False)
    assert list(active_people()) == [active]
    single, several = PersonField(), PeopleField()
    assert list(single.queryset) == list(several.queryset) == [active]
    assert single.label_from_instance(active) == several.label_from_instance(active)
    assert "(นักวิชาการ)" in single.label_from_instance(active)


def test_a_nested_write_hands_its_files_to_the_batch_around_it(settings, tmp_path):
    """GIVEN a service's own atomic_with_files inside a batch's (the importer) WHEN the service
    succeeds but the batch is rolled back THEN the service's file goes with the batch."""
    settings.MEDIA_ROOT = tmp_path
    record = DocumentFile(original_name="x")
    with pytest.raises(RuntimeError), files.atomic_with_files() as batch:
        with files.atomic_with_files() as written:
            name = files.save_upload(record.file, SimpleUploadedFile("ก.txt", b"x"), written)
        assert batch == [(record.file.storage, name)]
        raise RuntimeError
    assert not record.file.storage.exists(name)
