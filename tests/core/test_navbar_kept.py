"""The navigation bar's kept parts (``templates/includes/navbar.html``, issue 20): rendered once
per set of inputs, never shown to someone else, and changed at once by what they show."""

import re

from django.core.cache import caches
from django.test import override_settings

from apps.notifications.models import Notification
from tests.conftest import ROLES

NOTHING_KEPT = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "fragments": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
}


def navbar(response) -> str:
    html = response.content.decode()
    bar = html[
        html.index('<nav class="navbar') : html.index("</nav>", html.index('<nav class="navbar'))
        + 6
    ]
    # A form's CSRF token is masked afresh on every page.
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "csrf", bar)


def test_the_kept_bar_is_the_one_rendered_afresh_for_every_role_page_and_language(
    client_as, people
):
    """GIVEN each role on pages of several kinds, in both languages WHEN the bar is shown from
    what was kept (the second and later pages) THEN it is the bar rendered afresh: the same
    entries in the same language, the same page marked, the person's own name and menu."""
    pages = ["/", "/library/", "/search/?q=ระเบียบ", "/accounts/profile/"]
    for language in ("th", "en"):
        for role in ROLES[1:]:
            client = client_as(role)
            client.cookies["django_language"] = language
            for path in pages:
                kept = [navbar(client.get(path)) for _ in range(2)]
                with override_settings(CACHES=NOTHING_KEPT):
                    afresh = navbar(client.get(path))
                assert kept[0] == kept[1] == afresh, (language, role, path)
    kept_parts = list(caches["fragments"]._cache)
    assert sum("navbar-person" in key for key in kept_parts) == 2 * len(ROLES[1:])
    assert sum("navbar-start" in key for key in kept_parts) >= 2 * len(pages)


def test_the_admin_menu_is_never_shown_to_someone_else(client_as, people):
    """GIVEN an administrator's bar kept WHEN a plain member of staff with the same first name
    opens the same page THEN their bar has no administration entries."""
    people["admin"].first_name = people["staff"].first_name = "สมศรี"
    people["admin"].save()
    people["staff"].save()
    assert "/ops/" in navbar(client_as("admin").get("/library/"))
    bar = navbar(client_as("staff").get("/library/"))
    assert "/ops/" not in bar and "/admin/" not in bar
    assert "สมศรี" in bar


def test_an_unread_notification_and_a_new_name_show_at_once(client_as, people):
    client = client_as("staff")
    before = navbar(client.get("/library/"))
    assert "data-unread" not in before
    Notification.objects.create(
        recipient=people["staff"], kind="tests.other", target=people["member"]
    )
    assert 'data-unread="1"' in navbar(client.get("/library/"))
    people["staff"].first_name = "ประยูร"
    people["staff"].save()
    assert "ประยูร" in navbar(client.get("/library/"))
