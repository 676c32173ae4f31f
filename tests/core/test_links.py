"""Links that leave the portal (e-mails) are absolute, on the site's own address (KM_SITE_URL),
never on whatever host a request named."""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from apps.core.links import absolute_url

SITE = "https://km.example.go.th"
URL = re.compile(r"(?:https?://\S+|(?<![\w/:.])/[\w\-./?=&#%]+)")


def links(text: str) -> list[str]:
    return URL.findall(text)


def test_the_setting_has_a_development_default():
    assert settings.KM_SITE_URL.startswith("http")
    assert not settings.KM_SITE_URL.endswith("/")


@override_settings(KM_SITE_URL=SITE + "/")
def test_absolute_url_joins_the_site_and_a_path():
    assert absolute_url("/knowledge/1/") == f"{SITE}/knowledge/1/"
    assert absolute_url("knowledge/1/") == f"{SITE}/knowledge/1/"
    assert absolute_url("http://elsewhere.example/x") == "http://elsewhere.example/x"


@pytest.mark.django_db
@override_settings(KM_SITE_URL=SITE, ALLOWED_HOSTS=["testserver", "evil.example"])
def test_password_reset_links_use_the_site_url_not_the_request_host(client, user):
    response = client.post(
        reverse("password_reset"), {"email": user.email}, HTTP_HOST="evil.example"
    )
    assert response.status_code == 302
    body = mail.outbox[0].body
    found = links(body)
    assert found and all(link.startswith(f"{SITE}/accounts/reset/") for link in found), found
    assert "evil.example" not in body


@pytest.mark.django_db
@override_settings(KM_SITE_URL=SITE)
def test_knowledge_emails_carry_absolute_links(people, django_capture_on_commit_callbacks):
    from apps.knowledge import services
    from apps.knowledge.models import Status
    from tests.knowledge.factories import make_set

    knowledge_set = make_set(
        Status.DRAFT, authors=[people["member"]], reviewers=[people["secretary"]]
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.set_transition(by=people["member"], knowledge_set=knowledge_set, action="submit")
    assert mail.outbox
    for message in mail.outbox:
        found = links(message.body)
        # The set, then the person's notifications and their e-mail settings: all on the site.
        assert found[0] == f"{SITE}{knowledge_set.get_absolute_url()}", message.body
        assert found[1:] == [f"{SITE}/notifications/", f"{SITE}/notifications/settings/"]
        html = message.alternatives[0][0]
        assert f'href="{SITE}{knowledge_set.get_absolute_url()}"' in html


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("http://127.0.0.1:8000", "kmportal.W001"),
        ("http://localhost", "kmportal.W001"),
        ("km.example.go.th", "kmportal.W001"),  # no scheme
        ("http://km.example.go.th", "kmportal.W002"),
        ("https://km.example.go.th", None),
    ],
)
def test_the_deployment_check_wants_the_real_site_url(url, problem):
    from apps.core.checks import site_url_check

    with override_settings(KM_SITE_URL=url):
        ids = [warning.id for warning in site_url_check(None)]
    assert ids == ([problem] if problem else [])


def test_every_email_template_links_on_the_site_url():
    """A ``{% url %}`` in an e-mail template is made absolute with the ``absolute`` filter."""
    from pathlib import Path

    root = Path(settings.BASE_DIR) / "templates"
    assert list((root / "notifications" / "email").glob("*.*"))
    for path in [*root.rglob("*email*"), *(root / "notifications" / "email").glob("*.*")]:
        if path.is_dir():  # notifications/email/: its templates are read below
            continue
        text = path.read_text(encoding="utf-8")
        assert text.count("{% url") == text.count("|absolute"), path
        assert "{{ domain }}" not in text and "{{ protocol }}" not in text, path


def _record_url_names() -> list[str]:
    """Every URL name the models' ``get_absolute_url`` give to ``record_url``."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "apps"
    found = set()
    for path in root.rglob("*.py"):
        found.update(re.findall(r'record_url\("([a-z_]+:[a-z_]+)"', path.read_text()))
    return sorted(found)


def test_record_url_is_used_for_the_record_pages():
    assert {"library:detail", "board:detail", "learning:event_detail"} <= set(_record_url_names())


@pytest.mark.parametrize("name", _record_url_names())
def test_a_record_url_is_what_reverse_makes(name):
    """GIVEN each address made by ``record_url`` WHEN filled in with keys of every length,
    under the site's root and under a script prefix THEN it is ``reverse``'s, and a key that
    is not a whole number is answered as ``reverse`` answers it."""
    from django.urls import NoReverseMatch, get_script_prefix, set_script_prefix

    from apps.core.links import record_url

    before = get_script_prefix()
    try:
        for prefix in ("/", "/km/"):
            set_script_prefix(prefix)
            for pk in (1, 9, 10, 12345, 7_654_321_987, 10**12):
                assert record_url(name, pk) == reverse(name, kwargs={"pk": pk})
            assert record_url(name, 5).startswith(prefix)
        for bad in (None, -1, "x"):
            with pytest.raises(NoReverseMatch):
                record_url(name, bad)
    finally:
        set_script_prefix(before)


def test_a_record_url_follows_the_requests_urlconf():
    """An address whose URLconf is another (``request.urlconf``) is made there, not taken from
    the kept one."""
    from django.urls import clear_url_caches, set_urlconf

    from apps.core.links import record_url

    assert record_url("library:detail", 3) == "/library/3/"
    set_urlconf("tests.core.urls_elsewhere")
    try:
        assert record_url("library:detail", 3) == "/elsewhere/3/"
    finally:
        set_urlconf(None)
        clear_url_caches()
    assert record_url("library:detail", 3) == "/library/3/"
