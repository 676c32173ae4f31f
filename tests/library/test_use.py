"""Document use is counted per day for the dashboard: page views and downloads, no identity."""

import pytest
from django.utils import timezone

from apps.core import counters
from apps.library.models import AccessLevel, DocumentUse
from tests.library.factories import DocumentFactory, DocumentFileFactory
from tests.library.test_documents import upload_pdf

pytestmark = pytest.mark.django_db


def use_of(document) -> tuple[int, int]:
    row = DocumentUse.objects.filter(document=document, day=timezone.localdate()).first()
    return (row.views, row.downloads) if row else (0, 0)


def test_page_views_and_downloads_are_counted_for_today(client_as):
    stored = DocumentFileFactory()
    client = client_as("staff")
    for _ in range(3):
        assert client.get(stored.document.get_absolute_url()).status_code == 200
    assert client.get(stored.get_absolute_url()).status_code == 200
    assert use_of(stored.document) == (3, 1)
    assert DocumentUse.objects.count() == 1
    assert not hasattr(DocumentUse, "person")


def test_an_inline_preview_is_not_a_download(client_as):
    client = client_as("member")
    stored = upload_pdf(client)
    client.get(stored.get_absolute_url() + "?inline=1")
    assert use_of(stored.document) == (0, 0)


def test_refused_requests_count_nothing(client_as):
    secret = DocumentFactory(access=AccessLevel.KM_TEAM)
    assert client_as("staff").get(secret.get_absolute_url()).status_code == 404
    assert client_as("staff").head(DocumentFactory().get_absolute_url()).status_code == 200
    assert DocumentUse.objects.count() == 0


def test_the_counter_creates_then_increments_one_row():
    document = DocumentFactory()
    key = {"document": document, "day": timezone.localdate()}
    counters.bump(DocumentUse, key, views=1, downloads=0)
    counters.bump(DocumentUse, key, views=2, downloads=5)
    assert use_of(document) == (3, 5)
