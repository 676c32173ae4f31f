"""The same file attached to a set by two requests at the same moment: the second is refused
with the form's message and leaves nothing on disk, never a 500."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.knowledge.models import Status
from apps.knowledge.services import attachments as attachment_services
from tests.knowledge.conftest import set_for

pytestmark = pytest.mark.django_db


def stored_files() -> set[Path]:
    return {p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()}


def test_a_file_attached_at_the_same_moment_is_refused(client_as, people, monkeypatch):
    knowledge_set = set_for(people, Status.DRAFT)
    url = reverse("knowledge:attachment_add", args=[knowledge_set.pk])
    client = client_as("member")
    client.raise_request_exception = False
    client.post(url, {"files": [SimpleUploadedFile("a.txt", "เดียวกัน".encode())]})
    # The second request's check ran before the first had saved: it found nothing attached.
    monkeypatch.setattr(attachment_services, "attached_digests", lambda knowledge_set: set())
    before = stored_files()
    response = client.post(url, {"files": [SimpleUploadedFile("b.txt", "เดียวกัน".encode())]})
    assert response.status_code == 200
    assert response.context["form"].errors["files"] == ["แนบ “b.txt” ไว้แล้ว"]
    assert knowledge_set.attachments.count() == 1
    assert stored_files() == before
