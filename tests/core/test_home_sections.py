"""The home page's sections that are kept between requests (``HomeSection.cache_key``): a change
of data shows at once, a person with less access never gets another's items, and the page runs a
fixed number of queries, fewer once the kept sections are warm (issue 20)."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.knowledge.models import Status
from apps.library.models import AccessLevel
from apps.notifications.services import notify
from tests.knowledge.factories import make_set
from tests.learning.factories import make_event, register
from tests.library.factories import DocumentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def home(client) -> str:
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def test_a_new_or_edited_document_shows_at_once(client_as, people):
    client = client_as("staff")
    document = DocumentFactory(title="หนังสือเวียน zqxold")
    assert "zqxold" in home(client)
    DocumentFactory(title="หนังสือเวียน zqxnew")
    assert "zqxnew" in home(client)
    document.title = "หนังสือเวียน zqxrenamed"
    document.save()
    page = home(client)
    assert "zqxrenamed" in page and "zqxold" not in page
    document.delete()
    assert "zqxrenamed" not in home(client)


@pytest.mark.parametrize(
    ("access", "team", "allowed", "refused"),
    [
        (AccessLevel.KM_TEAM, None, "member", "staff"),
        (AccessLevel.TEAM, "km_team", "head", "member"),
    ],
)
def test_a_restricted_document_never_reaches_who_may_not_open_it(
    client_as, people, km_team, access, team, allowed, refused
):
    """GIVEN a document only some may open, WHEN one who may opens the home page first (so its
    section is kept), THEN one who may not still does not see it, and the other way round."""
    DocumentFactory(
        title="เอกสารเฉพาะ zqxsecret", access=access, access_team=km_team if team else None
    )
    assert "zqxsecret" in home(client_as(allowed))
    assert "zqxsecret" not in home(client_as(refused))
    cache.clear()
    assert "zqxsecret" not in home(client_as(refused))
    assert "zqxsecret" in home(client_as(allowed))


def test_losing_a_team_hides_its_documents_at_once(client_as, people, km_team):
    DocumentFactory(title="เอกสารทีม zqxteam", access=AccessLevel.TEAM, access_team=km_team)
    client = client_as("head")
    assert "zqxteam" in home(client)
    people["head"].memberships.update(end_date=timezone.localdate() - dt.timedelta(days=1))
    assert "zqxteam" not in home(client)


def test_a_published_set_shows_and_a_retired_one_goes_at_once(client_as, people):
    client = client_as("staff")
    assert "zqxpublished" not in home(client)
    knowledge_set = make_set(Status.PUBLISHED, title="ชุดความรู้ zqxpublished")
    assert "zqxpublished" in home(client)
    knowledge_set.status = Status.ARCHIVED
    knowledge_set.save()
    assert "zqxpublished" not in home(client)


def test_a_draft_never_shows_among_the_new_sets(client_as, people):
    make_set(Status.DRAFT, title="ชุดความรู้ zqxdraft", authors=[people["member"]])
    assert "zqxdraft" not in home(client_as("member"))  # the author's, but not published
    assert "zqxdraft" not in home(client_as("head"))


def test_a_new_registration_changes_the_seats_at_once(client_as, people):
    client = client_as("staff")
    event = make_event(title="อบรม zqxevent", date=timezone.localdate() + dt.timedelta(days=3))
    page = home(client)
    assert "zqxevent" in page and "0/10" in page
    register(event, people["member"])
    assert "1/10" in home(client)
    event.cancelled_at = timezone.now()
    event.save()
    assert "zqxevent" not in home(client)


def grow(people, n: int) -> None:
    """``n`` more of what the home page lists: documents, published sets (some due for
    review), notices to the KM head about sets, and coming events with registrations."""
    today = timezone.localdate()
    for index in range(n):
        DocumentFactory()
        DocumentFactory(access=AccessLevel.KM_TEAM)
        due = make_set(Status.PUBLISHED, review_due=today - dt.timedelta(days=index + 1))
        notify(kind="knowledge.submitted", recipients=[people["head"]], target=due)
        event = make_event(date=today + dt.timedelta(days=index + 1))
        register(event, people["member"])


def count_queries(client) -> int:
    with CaptureQueriesContext(connection) as context:
        home(client)
    return len(context.captured_queries)


def test_the_home_page_runs_a_fixed_number_of_queries(client_as, people):
    """Counted with the kept sections warm and cold, with some rows and with three times as
    many; warm, the page runs fewer."""
    client = client_as("head")
    grow(people, 2)
    home(client)  # the session and the per-process caches
    cache.clear()
    cold = count_queries(client)
    warm = count_queries(client)
    grow(people, 4)
    assert count_queries(client) == cold  # the documents, sets and events changed
    assert count_queries(client) == warm
    assert warm < cold
