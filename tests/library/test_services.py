"""The library's services on plain data: each checks its own permission and rules, whoever calls
it (a page, the importer, the demo data), and a refused write leaves nothing behind."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.library import services
from apps.library.models import AccessLevel, Document, DocumentType, TextStatus
from apps.teams.models import Team
from tests.library.factories import DocumentFactory, DocumentFileFactory

pytestmark = pytest.mark.django_db


def stored_files() -> set[Path]:
    return {p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()}


def upload(name: str = "บันทึก.txt", text: str = "บันทึกการประชุมคณะทำงาน") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode())


def details(**changes) -> services.DocumentDetails:
    values = {"title": "หนังสือเวียน", "doc_type": DocumentType.CIRCULAR, "tags": ["สหกรณ์"]}
    return services.DocumentDetails(**{**values, **changes})


def test_a_document_is_shelved_from_plain_data(people):
    document = services.document_create(
        by=people["member"], details=details(), files=[upload(), upload("ภาคผนวก.txt", "ก")]
    )
    assert document.uploaded_by == people["member"]
    assert [t.name for t in document.tags.all()] == ["สหกรณ์"]
    main, other = document.files.order_by("-is_main", "pk")
    assert (main.is_main, other.is_main) == (True, False)
    assert main.text_status == TextStatus.DONE and main.text == "บันทึกการประชุมคณะทำงาน"


def test_someone_who_may_not_add_documents_is_refused(people):
    before = stored_files()
    with pytest.raises(PermissionDenied):
        services.document_create(by=people["staff"], details=details(), files=[upload()])
    assert not Document.objects.exists() and stored_files() == before


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": "  "}, "title"),
        ({"title": "ก" * 501}, "title"),
        ({"doc_type": "memo"}, "doc_type"),
        ({"access": AccessLevel.TEAM}, "access_team"),
        ({"issued_on": "2552-03-02", "effective_on": "2552-01-01"}, "effective_on"),
    ],
)
def test_details_that_make_no_valid_document_are_refused_by_field(people, changes, field):
    import datetime as dt

    for name in ("issued_on", "effective_on"):
        if name in changes:
            changes[name] = dt.date.fromisoformat(changes[name])
    with pytest.raises(ValidationError) as refused:
        services.document_create(by=people["member"], details=details(**changes), files=[upload()])
    assert field in refused.value.error_dict
    assert not Document.objects.exists()


def test_a_team_is_kept_only_for_a_document_restricted_to_it(people):
    group = Team.objects.get(name="กลุ่ม KM ที่ 1")
    document = services.document_create(
        by=people["member"],
        details=details(access=AccessLevel.ALL_STAFF, access_team=group),
        files=[upload()],
    )
    assert document.access_team is None


def test_the_same_file_twice_or_one_already_shelved_is_refused(people):
    with pytest.raises(ValidationError) as refused:
        services.document_create(
            by=people["member"], details=details(), files=[upload("ก.txt"), upload("ข.txt")]
        )
    assert [e.code for e in refused.value.error_list] == ["duplicate"]
    services.document_create(by=people["member"], details=details(), files=[upload()])
    with pytest.raises(ValidationError) as refused:
        services.document_create(by=people["member"], details=details(), files=[upload("ค.txt")])
    assert [e.code for e in refused.value.error_list] == ["duplicate"]
    assert Document.objects.count() == 1


def test_a_newer_version_must_be_one_the_editor_may_open(people):
    group = Team.objects.get(name="กลุ่ม KM ที่ 1")
    hidden = DocumentFactory(access=AccessLevel.TEAM, access_team=group)
    own = DocumentFactory(uploaded_by=people["staff"])
    with pytest.raises(ValidationError) as refused:
        services.document_update(
            by=people["staff"], document=own, details=details(replaced_by=hidden)
        )
    assert "replaced_by" in refused.value.error_dict
    # A link set by someone who may open it stays when this editor saves the document.
    own.replaced_by = hidden
    own.save()
    saved = services.document_update(
        by=people["staff"], document=own, details=details(title="ใหม่", replaced_by=hidden)
    )
    assert (saved.title, saved.replaced_by) == ("ใหม่", hidden)


def test_edits_files_and_removal_check_their_own_permission(people):
    document = DocumentFactory(uploaded_by=people["member"])
    DocumentFileFactory(document=document)
    with pytest.raises(PermissionDenied):
        services.document_update(by=people["staff"], document=document, details=details())
    with pytest.raises(PermissionDenied):
        services.document_add_files(by=people["staff"], document=document, files=[upload()])
    with pytest.raises(PermissionDenied):
        services.document_delete(by=people["member"], document=document)
    added = services.document_add_files(by=people["member"], document=document, files=[upload()])
    assert [f.is_main for f in added] == [False]
    services.document_delete(by=people["admin"], document=document)
    assert not Document.objects.exists()


def test_the_importer_and_the_demo_use_the_one_way_in(tmp_path, monkeypatch):
    """GIVEN the importer and the demo data WHEN they shelve documents THEN the demo goes
    through ``services.document_create`` and the importer through its batch form,
    ``services.documents_create_batch``."""
    from apps.library import demo, importer

    calls, batches = [], []
    real, real_batch = services.document_create, services.documents_create_batch

    def counted(**kwargs):
        calls.append(kwargs["bulk"])
        return real(**kwargs)

    def counted_batch(**kwargs):
        batches.append(len(kwargs["entries"]))
        return real_batch(**kwargs)

    monkeypatch.setattr(services, "document_create", counted)
    monkeypatch.setattr(services, "documents_create_batch", counted_batch)
    (tmp_path / "ก.txt").write_text("หนึ่ง", encoding="utf-8")
    report = importer.import_paths([tmp_path])
    assert report.imported == 1 and batches == [1] and calls == []

    class Out:
        def write(self, text):
            pass

    demo.seed(Out())
    assert len(calls) == Document.objects.count() - 1 > 1  # besides the imported one
