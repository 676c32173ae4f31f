"""A NUL character (``%00``) anywhere in a request is a 400, never a server error.

PostgreSQL refuses NUL in text: ``/people/a%00b/`` used to answer 500 there. These tests pass on
SQLite too; run them against PostgreSQL with
``DATABASE_URL=postgres://postgres@127.0.0.1:5432/kmportal_x pytest --create-db <this file>``.
"""

from __future__ import annotations

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from apps.core.forms import BEDateField, TagsField
from tests.factories import TeamFactory, UserFactory
from tests.library.factories import DocumentFileFactory

NUL = "a%00b"
# Query parameters the portal's pages read: filters, search, paging, redirects.
QUERY = f"?q={NUL}&next=/{NUL}/&tag={NUL}&agency={NUL}&year={NUL}&page={NUL}&to={NUL}"


def _patterns(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            if route.startswith("admin/"):
                continue  # Django's own admin; its lookups are Django's
            yield from _patterns(entry, route)
        elif isinstance(entry, URLPattern):
            yield route


def _urls() -> list[str]:
    """Every page of the portal: str/slug/path parts carry a NUL, int parts are 1, and each
    page also gets every query parameter with a NUL."""
    urls = set()
    for route in _patterns():
        if route.startswith("^") or "(?P" in route:
            continue
        with_nul = re.sub(r"<(?:str|slug|path):\w+>", NUL, route)
        concrete = "/" + re.sub(r"<int:\w+>", "1", with_nul)
        if with_nul != route:
            urls.add(concrete)
        urls.add(concrete + QUERY)
    return sorted(urls)


URLS = _urls()


@pytest.fixture
def signed_in(client, db):
    admin = UserFactory(username="admin", is_staff=True, is_superuser=True)
    TeamFactory()
    DocumentFileFactory()
    client.force_login(admin)
    client.raise_request_exception = False
    return client


def test_the_portal_has_pages_with_text_in_the_address():
    assert "/people/a%00b/" in URLS
    assert len(URLS) > 80


@pytest.mark.django_db
@pytest.mark.parametrize("url", URLS)
def test_nul_in_the_address_or_query_is_a_bad_request(signed_in, url):
    response = signed_in.get(url)
    assert response.status_code == 400, url


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/people/a%00b/", "/library/?q=a%00b", "/search/?q=a%00b"])
def test_nul_is_refused_for_anonymous_visitors_too(client, url):
    client.raise_request_exception = False
    assert client.get(url).status_code == 400


@pytest.mark.django_db
def test_nul_in_a_sign_in_form_is_a_bad_request(client):
    client.raise_request_exception = False
    response = client.post("/accounts/login/", {"username": "a\x00b", "password": "x\x00"})
    assert response.status_code == 400


@pytest.mark.django_db
def test_nul_in_a_posted_form_is_a_bad_request_and_saves_nothing(signed_in):
    from apps.teams.models import Team

    before = Team.objects.count()
    response = signed_in.post("/teams/new/", {"name": "ทีม\x00", "kind": "km_group", "order": 0})
    assert response.status_code == 400
    assert Team.objects.count() == before


@pytest.mark.django_db
def test_nul_in_a_cookie_or_header_is_a_bad_request(client):
    client.raise_request_exception = False
    client.cookies["sessionid"] = "abcdefgh\x00ijk"
    assert client.get("/").status_code == 400
    client.cookies.clear()
    assert client.get("/", HTTP_USER_AGENT="Mozilla\x00").status_code == 400


@pytest.mark.django_db
def test_ordinary_requests_pass(signed_in):
    assert signed_in.get("/library/?q=ระเบียบ").status_code == 200
    assert signed_in.get("/people/admin/").status_code == 200


@pytest.mark.parametrize(
    "field, value", [(BEDateField(), "12/03/2551\x00"), (TagsField(), "สหกรณ์\x00")]
)
def test_form_fields_refuse_nul_with_a_message(field, value):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        field.clean(value)
