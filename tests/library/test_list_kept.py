"""The library list's body kept as rendered (``apps/library/pagecache.py``, issue 20): the same
page as rendered anew, for the same person only, and never after what it shows has changed."""

import re

import pytest
from django.urls import reverse

from apps.library import pagecache, services
from apps.library.models import AccessLevel, Category, Tag
from apps.teams.models import Team
from tests.library.factories import CategoryFactory, DocumentFactory, TagFactory

pytestmark = pytest.mark.django_db

LIST = reverse("library:list")
CSRF = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]+')


def page(client, **params):
    """The list page (its CSRF tokens, new in every response, masked), and whether its body was
    a kept one."""
    response = client.get(LIST, params)
    assert response.status_code == 200
    return CSRF.sub(r"\1…", response.content.decode()), "kept_body" in response.context


def details(document, **changes) -> services.DocumentDetails:
    fields = {
        "title": document.title,
        "doc_type": document.doc_type,
        "category": document.category,
        "access": document.access,
        "access_team": document.access_team,
    }
    return services.DocumentDetails(**{**fields, **changes})


@pytest.fixture
def library(people):
    shelf = CategoryFactory(name="ชั้นระเบียบ")
    tag = TagFactory(name="งบประมาณ")
    documents = [
        DocumentFactory(title=f"ระเบียบฉบับที่ {i}", category=shelf, access=AccessLevel.ALL_STAFF)
        for i in range(25)
    ]
    for document in documents[:5]:
        document.tags.add(tag)
    secret = DocumentFactory(title="บันทึกลับของทีม KM", access=AccessLevel.KM_TEAM)
    return {"shelf": shelf, "tag": tag, "documents": documents, "secret": secret}


@pytest.mark.parametrize(
    "params",
    [{}, {"page": "2"}, {"sort": "title"}, {"q": "ฉบับที่ 1"}, {"doc_type": "other"}],
)
@pytest.mark.parametrize("language", ["th", "en"])
def test_a_kept_body_is_the_page_rendered_anew(client_as, library, params, language):
    client = client_as("member")
    client.cookies["django_language"] = language
    rendered, kept = page(client, **params)
    assert not kept
    again, kept = page(client, **params)
    assert kept
    assert again == rendered
    # Nothing that is new in every response is kept (the base's forms carry their own token).
    assert all("csrfmiddlewaretoken" not in body for body in pagecache._kept.values())
    pagecache.forget()
    anew, kept = page(client, **params)
    assert not kept
    assert anew == rendered


def test_the_query_string_and_the_language_are_part_of_the_key(client_as, library):
    client = client_as("member")
    thai, _ = page(client)
    client.cookies["django_language"] = "en"
    english, kept = page(client)
    assert not kept and english != thai
    by_title, kept = page(client, sort="title")
    assert not kept and by_title != english


@pytest.mark.parametrize("first", ["member", "admin", "cko"])
def test_a_person_with_less_access_never_gets_anothers_body(client_as, library, first):
    """GIVEN a list kept for someone who may open the KM team's note WHEN plain staff ask for
    the same page THEN they get their own, without the note (and without the upload button)."""
    client = client_as(first)
    html, _ = page(client)
    assert library["secret"].title in html
    page(client)  # kept now
    staff_html, kept = page(client_as("staff"))
    assert not kept
    assert library["secret"].title not in staff_html
    assert reverse("library:create") not in staff_html


def test_an_edited_document_shows_at_once(client_as, library, people):
    client = client_as("staff")
    page(client)
    document = library["documents"][-1]
    services.document_update(
        by=people["admin"],
        document=document,
        details=details(document, title="ระเบียบที่แก้ไขแล้ว"),
        expected_version=document.lock_version,
    )
    html, kept = page(client)
    assert not kept
    assert "ระเบียบที่แก้ไขแล้ว" in html


def test_a_document_closed_to_a_team_goes_at_once(client_as, library, people):
    client = client_as("staff")
    document = library["documents"][-1]
    html, _ = page(client)
    assert document.title in html
    group = Team.objects.get(name="กลุ่ม KM ที่ 1")
    services.document_update(
        by=people["admin"],
        document=document,
        details=details(document, access=AccessLevel.TEAM, access_team=group),
        expected_version=document.lock_version,
    )
    html, kept = page(client)
    assert not kept
    assert document.title not in html


def test_a_removed_document_goes_at_once(client_as, library, people):
    client = client_as("staff")
    document = library["documents"][-1]
    assert document.title in page(client)[0]
    services.document_delete(by=people["admin"], document=document)
    html, kept = page(client)
    assert not kept
    assert document.title not in html


def test_a_category_or_tag_renamed_without_saving_a_document_shows_at_once(client_as, library):
    """A rename in the admin saves no document (the library's fingerprint stays), yet the
    tree, the cards, the filter form and the side panel show the names."""
    client = client_as("staff")
    page(client)
    Category.objects.filter(pk=library["shelf"].pk).update(name="ชั้นใหม่")
    html, kept = page(client)
    assert not kept
    assert "ชั้นใหม่" in html and "ชั้นระเบียบ" not in html
    Tag.objects.filter(pk=library["tag"].pk).update(name="แผนงาน")
    html, kept = page(client)
    assert not kept
    assert "แผนงาน" in html and "งบประมาณ" not in html


def test_the_kept_bodies_are_bounded(monkeypatch):
    monkeypatch.setattr(pagecache, "BUDGET", 100)
    for n in range(5):
        pagecache.keep(f"key-{n}", "x" * 40)
    assert pagecache.kept("key-0") is None and pagecache.kept("key-1") is None
    assert pagecache.kept("key-4") == "x" * 40
    pagecache.keep("huge", "x" * 101)
    assert pagecache.kept("huge") is None


def test_a_kept_body_is_used_for_max_age_at_most(monkeypatch):
    """A change no key sees (a bulk ``update()``) shows once the body is older than MAX_AGE."""
    clock = [1000.0]
    monkeypatch.setattr(pagecache.time, "monotonic", lambda: clock[0])
    pagecache.keep("key", "body")
    clock[0] += pagecache.MAX_AGE - 1
    assert pagecache.kept("key") == "body"
    clock[0] += 1
    assert pagecache.kept("key") is None
    assert pagecache._held == 0


def test_any_removal_changes_the_fingerprint_and_an_undone_one_does_not(library):
    """Neither the newest nor the latest changed: only the removals' tally tells."""
    from django.db import transaction

    from apps.library.models import Document
    from apps.library.selectors import library_fingerprint

    first, second, third = library["documents"][:3]
    before = library_fingerprint()
    Document.objects.filter(pk=first.pk).delete()  # as the admin's bulk action does
    after_one = library_fingerprint()
    assert after_one != before and after_one[1:] == before[1:]
    second.delete()
    assert library_fingerprint() not in (before, after_one)
    kept = library_fingerprint()
    with pytest.raises(RuntimeError), transaction.atomic():
        third.delete()
        raise RuntimeError("undone")
    assert library_fingerprint() == kept
