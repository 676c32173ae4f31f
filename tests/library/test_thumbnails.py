"""A thumbnail is only kept with its file's row."""

from pathlib import Path

import pytest
from django.conf import settings

from apps.library import services, texts
from apps.library.extraction.sandbox import Outcome
from apps.library.models import DocumentFile
from tests.accounts.images import image_upload
from tests.library.factories import DocumentFileFactory

pytestmark = pytest.mark.django_db


def media_files() -> set[Path]:
    return {p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()}


def test_a_file_removed_during_its_extraction_leaves_no_thumbnail(monkeypatch):
    """GIVEN an image whose document is deleted while its thumbnail is being made WHEN the
    extraction ends THEN no thumbnail is left on disk and nothing is raised."""
    png = image_upload(name="แผนผัง.png", fmt="PNG").read()
    stored = DocumentFileFactory(
        content=png, original_name="แผนผัง.png", mime="image/png", text="", text_status="pending"
    )
    before = media_files()

    def made_while_deleted(path, **kwargs):
        DocumentFile.objects.filter(pk=stored.pk).delete()
        return Outcome(ok=True, thumbnail=png)

    monkeypatch.setattr(texts, "extract_in_child", made_while_deleted)
    assert services.extract_file_text(stored.pk) is None
    assert media_files() <= before
