"""Security headers: a Content-Security-Policy without inline scripts on every page, nothing a
signed-in person sees is stored by a browser or a proxy, and the sign-in throttle sees each
colleague's own address behind the reverse proxy."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse

from tests.library.factories import DocumentFileFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def csp(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return {
        part.split()[0]: " ".join(part.split()[1:])
        for part in (p.strip() for p in header.split(";"))
        if part
    }


def test_a_signed_in_page_has_a_strict_policy_and_is_never_stored(user_client):
    response = user_client.get("/")
    assert response.status_code == 200
    policy = csp(response)
    assert policy["default-src"] == "'self'"
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-eval'" not in policy["script-src"]
    assert policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["form-action"] == "'self'"
    assert "'unsafe-inline'" not in policy.get("style-src", "")
    cache = response["Cache-Control"]
    assert "no-store" in cache and "private" in cache


def test_an_anonymous_page_has_the_policy_too(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert "'unsafe-inline'" not in csp(response)["script-src"]
    assert "no-store" in response["Cache-Control"]  # the login form carries a CSRF token


def test_a_download_is_never_stored_and_keeps_its_own_sandbox(client_as):
    stored = DocumentFileFactory()
    response = client_as("staff").get(reverse("library:download", args=[stored.pk]))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert "sandbox" in response["Content-Security-Policy"]  # the file's own, not the page's


def test_every_signed_in_response_is_never_stored(user_client, user):
    for url in [reverse("library:list"), reverse("accounts:profile"), "/no-such-page/"]:
        response = user_client.get(url, follow=True)
        assert "no-store" in response["Cache-Control"], url


@override_settings(WHITENOISE_USE_FINDERS=True, WHITENOISE_AUTOREFRESH=True)
def test_a_static_file_may_be_cached(user):
    client = Client()
    client.force_login(user)
    response = client.get(settings.STATIC_URL + "css/portal.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
    assert "private" not in response.get("Cache-Control", "")


def test_the_nonce_is_there_for_an_inline_script_that_needs_one(rf):
    """The policy allows an inline script only with the request's nonce."""
    from csp.middleware import CSPMiddleware
    from django.http import HttpResponse

    request = rf.get("/")
    middleware = CSPMiddleware(lambda r: HttpResponse(f'<script nonce="{r.csp_nonce}"></script>'))
    response = middleware(request)
    nonce = re.search(r'nonce="([^"]+)"', response.content.decode()).group(1)
    assert f"'nonce-{nonce}'" in csp(response)["script-src"]


# --- No inline script anywhere in the templates ----------------------------------------------
INLINE_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE | re.DOTALL)
SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)
JAVASCRIPT_URL = re.compile(r"""(href|src|action)\s*=\s*["']?\s*javascript:""", re.IGNORECASE)


def template_files() -> list[Path]:
    folders = [ROOT / "templates", *sorted((ROOT / "apps").glob("*/templates"))]
    return sorted(path for folder in folders for path in folder.rglob("*.html"))


def test_no_template_has_an_inline_script_or_event_handler():
    """The policy blocks inline event handlers (onclick=, onsubmit= ...), inline <script>
    blocks without a nonce and javascript: links: none may be in a template."""
    problems = []
    for path in template_files():
        text = path.read_text(encoding="utf-8")
        where = path.relative_to(ROOT)
        problems += [f"{where}: {m.group(0)[:60]}" for m in INLINE_HANDLER.finditer(text)]
        problems += [f"{where}: {m.group(0)}" for m in JAVASCRIPT_URL.finditer(text)]
        for match in SCRIPT_TAG.finditer(text):
            attributes = match.group(1)
            if "src=" not in attributes and "csp_nonce" not in attributes:
                problems.append(f"{where}: {match.group(0)} (inline, no nonce)")
        problems += [f"{where}: <style> element" for _ in re.finditer(r"<style\b", text)]
    assert len(template_files()) > 50
    assert problems == []


def test_the_scan_finds_what_it_looks_for():
    assert INLINE_HANDLER.search('<select name="year" onchange="this.form.submit()">')
    assert INLINE_HANDLER.search('<form method="post"\n  onsubmit="return confirm(1)">')
    assert not INLINE_HANDLER.search('<a href="/" data-km-confirm="on=1">')
    assert JAVASCRIPT_URL.search('<a href="javascript:void(0)">')


# --- The client's address behind the proxy ----------------------------------------------------
@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "203.0.113.9", "127.0.0.1"),  # no proxy configured: the header is not trusted
        (1, "10.1.2.3", "10.1.2.3"),
        (1, "6.6.6.6, 10.1.2.3", "10.1.2.3"),  # a forged entry on the left is ignored
        (2, "10.1.2.3, 192.168.0.5", "10.1.2.3"),
        (1, "", "127.0.0.1"),  # not through the proxy
        (1, "not-an-address", "127.0.0.1"),
    ],
)
def test_the_client_address_behind_the_proxy(rf, settings, proxies, forwarded, expected):
    from apps.core.clientip import client_ip

    settings.KM_PROXY_COUNT = proxies
    request = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def test_one_colleague_cannot_lock_out_another_behind_the_proxy(client, user, settings):
    """GIVEN the portal behind one proxy (every request comes from 127.0.0.1) WHEN a colleague
    at 10.0.0.7 mistypes the same user name until locked THEN the owner at 10.0.0.8 still gets
    in."""
    settings.KM_PROXY_COUNT = 1
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            reverse("login"),
            {"username": user.username, "password": "wrong"},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR="10.0.0.7",
        )
    locked = client.post(
        reverse("login"),
        {"username": user.username, "password": "wrong"},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="10.0.0.7",
    )
    assert locked.status_code == 429
    from tests.conftest import PASSWORD

    response = Client().post(
        reverse("login"),
        {"username": user.username, "password": PASSWORD},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="10.0.0.8",
    )
    assert response.status_code == 302


def test_the_audit_trail_records_the_address_the_proxy_saw(admin_client, settings, user):
    from auditlog.models import LogEntry

    settings.KM_PROXY_COUNT = 1
    admin_client.post(
        reverse("accounts:profile_edit"),
        {"position": "นักวิชาการสหกรณ์"},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="6.6.6.6, 10.0.0.9",
    )
    entry = LogEntry.objects.order_by("-pk").first()
    assert entry is not None
    assert entry.remote_addr == "10.0.0.9"


@pytest.mark.parametrize(
    ("env", "expected"),
    [({}, "1"), ({"KM_BEHIND_PROXY": "0"}, "0"), ({"AXES_PROXY_COUNT": "2"}, "2")],
)
def test_production_reads_the_client_behind_the_proxy_by_default(tmp_path, env, expected):
    from tests.core.test_settings import run_python

    result = run_python(
        "import os; os.environ['DJANGO_SETTINGS_MODULE']='kmportal.settings.prod';"
        "from django.conf import settings; print(settings.KM_PROXY_COUNT,"
        " settings.AXES_CLIENT_IP_CALLABLE)",
        SECRET_KEY="x" * 60,
        ALLOWED_HOSTS="km.example.go.th",
        KM_DATA_DIR=str(tmp_path),
        **env,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [expected, "apps.core.clientip.client_ip"]
