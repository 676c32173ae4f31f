"""The services on plain data, as the demo data and scripts call them: no form anywhere, the same
rules as the pages."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.knowledge import services
from apps.knowledge.models import SetKind, Status
from apps.library.models import AccessLevel
from tests.factories import TeamFactory
from tests.knowledge.conftest import set_for
from tests.library.factories import DocumentFactory

pytestmark = pytest.mark.django_db


def data(**changes) -> services.SetData:
    fields = {"title": "การจัดตั้งสหกรณ์", "kind": SetKind.HOW_TO, "body": "## ขั้นตอน\n"}
    return services.SetData(**{**fields, **changes})


def test_a_new_set_is_a_draft_its_writer_writes(people):
    member = people["member"]
    knowledge_set = services.set_create(
        by=member, data=data(tag_names=["สหกรณ์"], holders=[people["staff"]])
    )
    assert knowledge_set.status == Status.DRAFT and knowledge_set.created_by == member
    assert set(knowledge_set.authors.all()) == {member}
    assert [tag.name for tag in knowledge_set.tags.all()] == ["สหกรณ์"]
    assert 'id="sec-1"' in knowledge_set.body_html
    assert knowledge_set.transitions.get().action == "create"


def test_only_people_who_write_sets_create_them(people):
    with pytest.raises(PermissionDenied):
        services.set_create(by=people["staff"], data=data())


def test_an_edit_keeps_the_documents_the_editor_may_not_open(people):
    """GIVEN a set linked to a team-only document the author may not open WHEN the author saves
    the set with the documents they see THEN the hidden link stays; naming it is refused."""
    hidden = DocumentFactory(access=AccessLevel.TEAM, access_team=TeamFactory())
    shown = DocumentFactory()
    knowledge_set = set_for(people, Status.DRAFT)
    knowledge_set.documents.add(hidden)
    member = people["member"]
    services.set_update(
        by=member, knowledge_set=knowledge_set, data=data(authors=[member], documents=[shown])
    )
    assert set(knowledge_set.documents.all()) == {hidden, shown}
    with pytest.raises(ValidationError) as refused:
        services.set_update(
            by=member, knowledge_set=knowledge_set, data=data(authors=[member], documents=[hidden])
        )
    assert "documents" in refused.value.error_dict


def test_an_edit_keeps_the_rules_the_form_checks(people):
    knowledge_set = set_for(people, Status.DRAFT)
    member = people["member"]
    for wrong, field in [
        (data(authors=[]), "authors"),
        (data(authors=[member, people["secretary"]]), "authors"),  # the set's reviewer
        (data(authors=[member], title=""), "title"),
    ]:
        with pytest.raises(ValidationError) as refused:
            services.set_update(by=member, knowledge_set=knowledge_set, data=wrong)
        assert field in refused.value.error_dict


def test_a_set_under_review_is_not_changed_by_its_authors(people):
    knowledge_set = set_for(people, Status.SUBMITTED)
    with pytest.raises(services.WorkflowError):
        services.set_update(
            by=people["member"], knowledge_set=knowledge_set, data=data(authors=[people["member"]])
        )


def test_files_are_attached_from_plain_files_and_checked_by_content(people):
    knowledge_set = set_for(people, Status.DRAFT)
    member = people["member"]
    stored = services.attachments_add(
        by=member,
        knowledge_set=knowledge_set,
        files=[ContentFile("รายการเอกสาร".encode(), name="รายการ.txt")],
    )
    assert [a.mime for a in stored] == ["text/plain"]
    with pytest.raises(ValidationError) as refused:
        services.attachments_add(
            by=member,
            knowledge_set=knowledge_set,
            files=[
                SimpleUploadedFile("อีกชื่อ.txt", "รายการเอกสาร".encode()),
                SimpleUploadedFile("หน้าเว็บ.pdf", b"<!doctype html><html></html>"),
            ],
        )
    assert len(refused.value.error_dict["files"]) == 2
    assert knowledge_set.attachments.count() == 1
