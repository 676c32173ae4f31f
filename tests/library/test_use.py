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


def test_the_counter_keeps_other_rows_and_days_apart():
    first, second = DocumentFactory(), DocumentFactory()
    today = timezone.localdate()
    counters.bump(DocumentUse, {"document": first, "day": today}, views=1, downloads=0)
    counters.bump(DocumentUse, {"document": second, "day": today}, views=0, downloads=1)
    yesterday = today - timezone.timedelta(days=1)
    counters.bump(DocumentUse, {"document": first, "day": yesterday}, views=4, downloads=0)
    rows = DocumentUse.objects.values_list("document_id", "day", "views", "downloads")
    assert sorted(rows) == sorted(
        [(first.pk, today, 1, 0), (second.pk, today, 0, 1), (first.pk, yesterday, 4, 0)]
    )


@pytest.mark.django_db(transaction=True)
def test_postgresql_threads_counting_a_new_row_at_once_all_count():
    """GIVEN eight requests counting the first view of a document today at the same moment
    THEN one row holds eight views: none is lost to the row being created by another."""
    import threading

    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("threads share the test database only on PostgreSQL")
    document = DocumentFactory()
    key = {"document_id": document.pk, "day": timezone.localdate()}
    barrier, failed = threading.Barrier(8), []

    def count():
        try:
            barrier.wait()
            counters.bump(DocumentUse, key, views=1, downloads=0)
        except Exception as error:
            failed.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=count) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failed, failed
    assert use_of(document) == (8, 0)


@pytest.mark.django_db(transaction=True)
def test_a_tally_of_its_own_does_not_wait_for_the_log_but_a_callers_transaction_does():
    """GIVEN a page view counted on its own (no transaction around it)
    THEN on PostgreSQL its commit alone skips the wait for the log flush, the connection keeps
    durable commits afterwards, and a count inside a caller's transaction leaves that
    transaction's commit durable; the counts are the same on both databases."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    document = DocumentFactory()
    key = {"document_id": document.pk, "day": timezone.localdate()}
    postgres = connection.vendor == "postgresql"
    with CaptureQueriesContext(connection) as alone:
        counters.bump(DocumentUse, key, views=1, downloads=0)
    relaxed = [q["sql"] for q in alone.captured_queries if "synchronous_commit" in q["sql"]]
    assert relaxed == (["SET LOCAL synchronous_commit TO OFF"] if postgres else [])
    if postgres:
        with connection.cursor() as cursor:
            cursor.execute("SHOW synchronous_commit")
            assert cursor.fetchone()[0] == "on"
    with CaptureQueriesContext(connection) as inside, transaction.atomic():
        counters.bump(DocumentUse, key, views=2, downloads=1)
    assert not [q for q in inside.captured_queries if "synchronous_commit" in q["sql"]]
    assert use_of(document) == (3, 1)
