"""Odd input anywhere in a request is never a server error and never sends the visitor off-site.

Every page of the portal (from the URL resolver, and the real addresses a crawl of the demo
office finds) is opened with odd values in its address parts and in every query parameter the
portal reads: huge and negative numbers, other scripts' digits, very long text, a list where one
value is expected, empty values, impossible dates, unknown choices and sort fields, ``next``
addresses that point elsewhere, broken UTF-8; and each page's own form is sent back with the
same odd values, as an administrator and as plain staff. Run on PostgreSQL too with
``DATABASE_URL=postgres://postgres@127.0.0.1:5432/kmportal_x pytest --create-db <this file>``.
"""

from __future__ import annotations

import io
import re
from urllib.parse import quote, urlsplit

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import transaction

from apps.accounts.models import User
from tests.core.test_crawl import crawl, shape
from tests.core.test_nul_requests import _patterns
from tests.forms_html import _FormReader

HUGE = "99999999999999999999"
LONG = "ก" * 10_000
# Every query parameter a page of the portal reads (views, filter sets, paging, sorting).
PARAMS = [
    "q", "page", "sort", "order", "year", "quarter", "kind", "next", "inline", "from", "to",
    "copy", "tag", "agency", "category", "doc_type", "km_step", "unit", "team", "role", "status",
    "useful", "step", "area", "person", "per_page", "limit", "fiscal_year", "type", "state",
    "number", "version", "a", "b", "level", "expertise", "date_from", "date_to", "show", "title",
]  # fmt: skip
ODD_VALUES = [
    HUGE, "-1", "0", "²", "๒๕๖๘", "1e400", "", "31/02/2568", "00/00/0000", "2568-13-40", "abc",
    "999999", "password", "-__class__", "user__password",
]  # fmt: skip
OFF_SITE = [
    "//evil.example", "https://evil.example", "/\\evil.example", "\\\\evil.example",
    "javascript:alert(1)", "http:evil.example", " //evil.example", "/%09/evil.example",
]  # fmt: skip
RAW_QUERIES = ["q=%ED%A0%80", "q=%FF&page=%FF&sort=%C0%AF", "page=1&page=2&q=a&q=b&year=1&year=2"]


def _with(value: str) -> str:
    return "&".join(f"{name}={quote(value)}" for name in PARAMS)


def _queries() -> list[str]:
    queries = [_with(value) for value in ODD_VALUES]
    queries += [f"q={quote(LONG)}&page={quote(LONG[:3000])}&sort={quote(LONG[:3000])}"]
    queries += [f"next={quote(target)}&to={quote(target)}" for target in OFF_SITE]
    return queries + RAW_QUERIES


def _route_urls() -> list[str]:
    """Every route with odd values in its address parts (the int converter takes digits only)."""
    urls = set()
    for route in _patterns():
        if route.startswith("^") or "(?P" in route or "<" not in route:
            continue
        for number, text in [(HUGE, "²"), ("0", LONG[:2000]), ("1", "๒๕๖๘"), (HUGE * 3, "-1")]:
            concrete = re.sub(r"<(?:str|slug|path):\w+>", quote(text), route)
            urls.add("/" + re.sub(r"<int:\w+>", number, concrete))
    return sorted(urls)


def _problem(response, url: str) -> str | None:
    if response.status_code >= 500:
        return f"{response.status_code} {url[:300]}"
    location = response.get("Location", "")
    if response.status_code in (301, 302, 303, 307, 308) and location:
        parts = urlsplit(location.replace("\\", "/").strip())
        if parts.scheme not in ("", "http", "https") or parts.netloc not in ("", "testserver"):
            return f"off-site redirect to {location!r} from {url[:300]}"
    return None


@pytest.fixture(scope="module")
def _demo_office(django_db_setup, django_db_blocker):
    """The demo office, seeded once for the module inside a transaction rolled back at its end.
    Each test runs in its own savepoint within it (pytest-django's ``db``, as Django's
    ``TestCase.setUpTestData``), so what one test posts the next never sees."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            call_command("seed_demo", stdout=io.StringIO())
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.fixture
def office(_demo_office, db):
    """The demo office, as seeded (each test starts from the same rows)."""


@pytest.fixture(scope="module")
def crawls() -> dict[str, dict[str, int]]:
    """Username → its crawl of the demo office (url → status), made once for the module: every
    test starts from the same seeded office, so the crawl is the same in each."""
    return {}


def _sign_in(client, username):
    client.raise_request_exception = False
    client.force_login(User.objects.get(username=username))
    return client


def _crawl(client, username: str, crawls: dict) -> dict[str, int]:
    """What ``username`` (signed in on ``client``) is shown, from the module's ``crawls``."""
    if username not in crawls:
        crawls[username] = crawl(client)[0]
    return crawls[username]


def _pages(client, username: str, crawls: dict) -> list[str]:
    """One real address of each shape the person is shown (query left off)."""
    statuses = _crawl(client, username, crawls)
    by_shape = {}
    for url, status in statuses.items():
        if status == 200:
            by_shape.setdefault(shape(url.split("?")[0]), url.split("?")[0])
    return sorted(by_shape.values())


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["admin", "staff"])
def test_odd_query_values_on_every_page_are_never_a_server_error(client, office, crawls, username):
    _sign_in(client, username)
    pages = _pages(client, username, crawls)
    assert len(pages) > 15
    problems = []
    for page in pages:
        for query in _queries():
            url = f"{page}?{query}"
            problems.append(_problem(client.get(url), url))
    problems = [p for p in problems if p]
    assert problems == [], "\n".join(problems)


GET_FORM = re.compile(r"<form\b(?![^>]*method=[\"']?post)[^>]*>(.*?)</form>", re.I | re.S)
NAME = re.compile(r"<(?:input|select|textarea)\b[^>]*\bname=[\"']([^\"']+)", re.I)


def _parameters_in_use(client, username: str, crawls: dict) -> dict[str, set[str]]:
    """Page → the query parameters it reads, as its own links and search forms send them."""
    statuses = _crawl(client, username, crawls)
    used: dict[str, set[str]] = {}
    for url, status in statuses.items():
        path, _sep, query = url.partition("?")
        names = used.setdefault(path, set())
        names.update(part.split("=")[0] for part in query.split("&") if part)
        if status == 200 and not query:
            response = client.get(url)
            if "text/html" in response.get("Content-Type", ""):
                for form in GET_FORM.findall(response.content.decode()):
                    names.update(NAME.findall(form))
    return {path: names for path, names in used.items() if names}


@pytest.mark.django_db
def test_each_parameter_a_page_reads_alone_with_an_odd_value(client, office, crawls):
    """One odd parameter at a time: a check that the others' odd values tripped first (an
    unknown ``from`` before a bad ``to``) cannot hide a path that only one of them reaches."""
    _sign_in(client, "admin")
    in_use = _parameters_in_use(client, "admin", crawls)
    assert sum(len(names) for names in in_use.values()) > 20
    problems = []
    for path, names in sorted(in_use.items()):
        for name in sorted(names):
            for value in [
                HUGE,
                "-1",
                "²",
                "",
                "31/02/2568",
                "-__class__",
                LONG[:3000],
                "//x.example",
            ]:
                url = f"{path}?{name}={quote(value)}"
                problems.append(_problem(client.get(url), url))
            url = f"{path}?{name}=%ED%A0%80&{name}=%FF"
            problems.append(_problem(client.get(url), url))
    problems = [p for p in problems if p]
    assert problems == [], "\n".join(problems)


@pytest.mark.django_db
def test_odd_values_in_the_address_are_never_a_server_error(client, office):
    _sign_in(client, "admin")
    problems = []
    for url in _route_urls():
        problems.append(_problem(client.get(url), url))
        problems.append(_problem(client.get(url + "?" + _with(HUGE)), url))
    problems = [p for p in problems if p]
    assert problems == [], "\n".join(problems)


FORM_VALUES = [HUGE, "-1", "²", "๒๕๖๘", LONG, "", "31/02/2568", "00/00/0000", "2568-13-40"]
FORM_VALUES += ["not-a-choice", "-__class__", "//evil.example", "javascript:alert(1)"]


def _unexplained(response, where: str) -> str | None:
    """A form sent back (200) must say in Thai what was wrong."""
    if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
        return None
    html = response.content.decode()
    if "invalid-feedback" in html or "alert-danger" in html or "errorlist" in html:
        return None
    return f"form sent back without a message: {where}"


def _forms(client, page) -> tuple[str, dict] | None:
    response = client.get(page)
    if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
        return None
    reader = _ActionReader(form_id=None, action=None)
    reader.feed(response.content.decode())
    if not reader.found:
        return None
    return reader.target or page, reader.fields


class _ActionReader(_FormReader):
    """The page's own form and where it is sent (its action, or the page itself)."""

    target = ""

    def handle_starttag(self, tag, attrs):
        found = self.found
        super().handle_starttag(tag, attrs)
        if tag == "form" and self.found and not found:
            self.target = dict(attrs).get("action") or ""


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["admin", "staff"])
def test_odd_values_posted_in_every_form_are_never_a_server_error(client, office, crawls, username):
    _sign_in(client, username)
    problems = []
    forms = [form for page in _pages(client, username, crawls) if (form := _forms(client, page))]
    assert len(forms) > 3
    for page, fields in forms:
        for value in FORM_VALUES:
            data = {
                name: (values if name == "csrfmiddlewaretoken" else value)
                for name, values in fields.items()
            }
            response = client.post(page, data)
            problems.append(_problem(response, page + f" (posted {value[:20]!r})"))
            problems.append(_unexplained(response, page + f" (posted {value[:20]!r})"))
        # A list where one value is expected.
        data = {name: [HUGE, "-1"] for name in fields}
        problems.append(_problem(client.post(page, data), page + " (posted lists)"))
    problems = [p for p in problems if p]
    assert problems == [], "\n".join(problems)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "language", ["xx", "th-TH-u-nu-thai", "*;q=abc", "a" * 5000, "th;q=2,en;q=-1", ",,,;;;"]
)
def test_odd_accept_language_is_never_a_server_error(client, language):
    client.raise_request_exception = False
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200


@pytest.mark.django_db
def test_a_very_long_cookie_is_never_a_server_error(client):
    client.raise_request_exception = False
    client.cookies["sessionid"] = "x" * 4000
    client.cookies["django_language"] = "%E0%B8%81" * 1000
    client.cookies["csrftoken"] = "%FF" * 1000
    assert client.get("/accounts/login/").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("value", [[HUGE], ["1", "-" + HUGE], [HUGE * 3]])
def test_a_number_too_large_for_the_database_names_no_record(value):
    from apps.core.forms import PeopleField

    with pytest.raises(ValidationError) as refused:
        PeopleField(User.objects.all()).clean(value)
    assert refused.value.code == "invalid_choice"


@pytest.mark.parametrize(
    "target, kept",
    [
        ("/meetings/1/", True),
        ("/plans/?year=2568", True),
        ("-1", False),
        ("not-a-page", False),
        ("//evil.example", False),
        ("https://evil.example/", False),
        ("/\\evil.example", False),
        ("javascript:alert(1)", False),
        ("", False),
    ],
)
def test_next_is_taken_only_as_a_path_on_this_site(rf, target, kept):
    from apps.core.links import safe_next

    request = rf.post("/meetings/actions/1/done/", {"next": target})
    assert safe_next(request, "/default/") == (target if kept else "/default/")
