"""A file already in the library is refused; the message names the document only to someone who
may open it, and two identical uploads at the same moment get the same answer, not a 500."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.library import selectors as library_selectors
from apps.library.models import AccessLevel, Document, DocumentFile, DocumentType
from tests.factories import TeamFactory
from tests.library.factories import DocumentFactory, DocumentFileFactory

pytestmark = pytest.mark.django_db

SECRET = "บันทึกลับ เรื่อง การสอบข้อเท็จจริงสหกรณ์ตัวอย่าง"
CONTENT = "เนื้อหาที่ซ้ำกันทุกไบต์".encode()


def upload_data(**changes):
    data = {
        "title": "สำเนา",
        "doc_type": DocumentType.OTHER,
        "access": AccessLevel.ALL_STAFF,
        "files": [SimpleUploadedFile("สำเนา.txt", CONTENT)],
    }
    data.update(changes)
    return data


def stored_files() -> set[Path]:
    return {p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()}


@pytest.fixture
def hidden(people):
    """A document restricted to a team the member is not in, holding ``CONTENT``."""
    team = TeamFactory(name="คณะทำงานสอบข้อเท็จจริง")
    document = DocumentFactory(
        title=SECRET, access=AccessLevel.TEAM, access_team=team, uploaded_by=people["head"]
    )
    DocumentFileFactory(document=document, content=CONTENT)
    return document


def test_a_duplicate_of_a_hidden_document_does_not_reveal_it(client_as, hidden):
    client = client_as("member")
    before = stored_files()
    response = client.post(reverse("library:create"), upload_data())
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["files"])
    page = response.content.decode()
    for leak in (SECRET, hidden.get_absolute_url(), str(hidden.pk)):
        assert leak not in errors
    assert SECRET not in page and hidden.get_absolute_url() not in page
    assert errors == (
        "ไฟล์ “สำเนา.txt” มีอยู่ในมุมความรู้แล้ว ในเอกสารที่คุณไม่มีสิทธิ์เปิด หากต้องการใช้ โปรดติดต่อทีมงาน KM เพื่อขอสิทธิ์"
    )
    assert Document.objects.count() == 1 and stored_files() == before


def test_adding_a_duplicate_of_a_hidden_document_to_ones_own_does_not_reveal_it(
    client_as, people, hidden
):
    own = DocumentFactory(uploaded_by=people["member"])
    DocumentFileFactory(document=own)
    response = client_as("member").post(
        reverse("library:add_files", args=[own.pk]),
        {"files": [SimpleUploadedFile("สำเนา.txt", CONTENT)]},
    )
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["files"])
    assert SECRET not in errors and hidden.get_absolute_url() not in errors
    assert "ไม่มีสิทธิ์เปิด" in errors
    assert own.files.count() == 1


def test_someone_who_may_open_it_is_pointed_to_it(client_as, people, hidden):
    response = client_as("head").post(reverse("library:create"), upload_data())
    errors = " ".join(response.context["form"].errors["files"])
    assert SECRET in errors and hidden.get_absolute_url() in errors


# --- Two identical uploads at the same moment ----------------------------------------------------
def _race(monkeypatch):
    """Both requests pass the duplicate check before either has saved: the check finds nothing,
    so the database's unique constraint on the SHA-256 is what stops the second."""
    real = library_selectors.existing_files
    monkeypatch.setattr(library_selectors, "existing_files", lambda digests: {})
    return real


def test_the_second_of_two_simultaneous_uploads_is_told_it_is_a_duplicate(
    client_as, people, monkeypatch
):
    first = DocumentFactory(title="ฉบับแรก", uploaded_by=people["member"])
    DocumentFileFactory(document=first, content=CONTENT)
    _race(monkeypatch)
    before = stored_files()
    client = client_as("member")
    client.raise_request_exception = False
    response = client.post(reverse("library:create"), upload_data(tag_names="ใหม่"))
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["files"])
    assert "มีอยู่ในมุมความรู้แล้ว" in errors and first.get_absolute_url() in errors
    assert Document.objects.count() == 1 and DocumentFile.objects.count() == 1
    assert stored_files() == before


def test_the_race_does_not_reveal_a_hidden_document_either(client_as, hidden, monkeypatch):
    _race(monkeypatch)
    before = stored_files()
    client = client_as("member")
    client.raise_request_exception = False
    response = client.post(reverse("library:create"), upload_data())
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["files"])
    assert "ไม่มีสิทธิ์เปิด" in errors and SECRET not in errors
    assert Document.objects.count() == 1 and stored_files() == before


def test_adding_files_in_a_race_is_refused_the_same_way(client_as, people, monkeypatch):
    first = DocumentFactory(uploaded_by=people["member"])
    DocumentFileFactory(document=first, content=CONTENT)
    own = DocumentFactory(uploaded_by=people["member"])
    DocumentFileFactory(document=own)
    _race(monkeypatch)
    before = stored_files()
    client = client_as("member")
    client.raise_request_exception = False
    response = client.post(
        reverse("library:add_files", args=[own.pk]),
        {"files": [SimpleUploadedFile("สำเนา.txt", CONTENT)]},
    )
    assert response.status_code == 200
    assert "มีอยู่ในมุมความรู้แล้ว" in " ".join(response.context["form"].errors["files"])
    assert own.files.count() == 1 and stored_files() == before


def test_the_service_raises_the_duplicate_error_itself(people, monkeypatch):
    from apps.library import services

    first = DocumentFactory(uploaded_by=people["member"])
    DocumentFileFactory(document=first, content=CONTENT)
    _race(monkeypatch)
    with pytest.raises(ValidationError) as refused:
        services.document_create(
            by=people["member"],
            details=services.DocumentDetails(title="สำเนา", doc_type=DocumentType.OTHER),
            files=[SimpleUploadedFile("สำเนา.txt", CONTENT)],
        )
    assert refused.value.error_list[0].code == "duplicate"
    assert Document.objects.count() == 1


def test_a_new_tag_added_at_the_same_moment_is_shared_not_duplicated(client_as, monkeypatch):
    from apps.library import services
    from apps.library.models import Tag

    Tag.objects.create(name="สหกรณ์")
    # The other upload created the tag after this one looked for it.
    monkeypatch.setattr(services, "find_tag", lambda name: None)
    client = client_as("member")
    client.raise_request_exception = False
    response = client.post(reverse("library:create"), upload_data(tag_names="สหกรณ์"))
    assert response.status_code == 302
    assert [t.name for t in Document.objects.get().tags.all()] == ["สหกรณ์"]
    assert Tag.objects.count() == 1


def test_an_import_skips_a_file_shelved_while_it_ran(tmp_path, people, monkeypatch):
    from apps.library import importer

    (tmp_path / "สำเนา.txt").write_bytes(CONTENT)
    real_init = importer._ImportRun.__init__

    def started_before_the_upload(self, **kwargs):
        real_init(self, **kwargs)
        # The web upload of the same file commits after the import read what it knows.
        DocumentFileFactory(content=CONTENT)

    monkeypatch.setattr(importer._ImportRun, "__init__", started_before_the_upload)
    before = stored_files()
    report = importer.import_paths([tmp_path], user=people["admin"])
    assert (report.imported, report.skipped, report.failed) == (0, 1, 0)
    assert Document.objects.count() == 1
    assert len(stored_files() - before) == 1  # the upload's file only
