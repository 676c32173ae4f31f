"""Every link a page shows opens: a crawler signs in as each demo role, follows every internal
link it is shown (GET, same host) and expects no 403, 404 or 500. A link to what the viewer may
not open is a fault of the page that shows it."""

import io
import re
from collections import deque
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.accounts.models import User
from apps.search import indexing

# The demo's accounts, one per role (apps/*/demo.py LOGINS).
ROLES = ["staff", "anan", "suwit", "kannika", "pranee", "wilai", "somchai", "admin"]
HREF = re.compile(r"""<a\b[^>]*?\bhref=["']([^"'#][^"']*)["']""", re.I)
# Not followed: signing out, Django's own admin (not our pages), and the language switch and
# other actions, which are forms (POST), not links.
SKIP = re.compile(r"^/(accounts/logout|admin/|i18n/)")
# The crawl is bounded: pages of one shape (digits as N, query keys only) are opened a few times.
SAME_SHAPE = 2
MAX_PAGES = 400


def shape(url: str) -> str:
    parts = urlsplit(url)
    keys = sorted(part.split("=")[0] for part in parts.query.split("&") if part)
    return re.sub(r"\d+", "N", parts.path) + "?" + "&".join(keys)


# Pages a link never leads to but a form does (the search box, the list filters): the results,
# the pages after them (followed from their own links) and the records they link to are
# crawled from here too.
STARTS = [
    "/",
    "/search/?q=%E0%B8%AA%E0%B8%AB%E0%B8%81%E0%B8%A3%E0%B8%93%E0%B9%8C",  # สหกรณ์
    "/search/?q=%E0%B8%AA%E0%B8%AB%E0%B8%81%E0%B8%A3%E0%B8%93%E0%B9%8C&page=2",
    "/search/?q=%E0%B8%84%E0%B8%A7%E0%B8%B2%E0%B8%A1%E0%B8%A3%E0%B8%B9%E0%B9%89",  # ความรู้
    "/library/?q=%E0%B8%AA%E0%B8%AB%E0%B8%81%E0%B8%A3%E0%B8%93%E0%B9%8C",
]


def crawl(
    client, starts: tuple[str, ...] | str = "/", bell_queries: dict[str, int] | None = None
) -> tuple[dict[str, int], dict[str, str]]:
    """(status of each URL opened, the page each URL was first found on); ``bell_queries``
    collects, for each page that shows the navigation's bell, how many queries count the
    notifications (pages may list some too: the home page's knowledge box)."""
    starts = [starts] if isinstance(starts, str) else list(starts)
    seen, found_on, statuses = set(starts), dict.fromkeys(starts, "(start)"), {}
    shapes: dict[str, int] = {}
    queue = deque(starts)
    while queue and len(statuses) < MAX_PAGES:
        url = queue.popleft()
        connection.queries_log.clear()  # the log holds 9,000 queries: a full one counts none
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        statuses[url] = response.status_code
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        if bell_queries is not None and "notification-bell" in response.content.decode():
            bell_queries[url] = sum(
                "notifications_notification" in q["sql"] and "COUNT(" in q["sql"].upper()
                for q in queries
            )
        for href in HREF.findall(response.content.decode()):
            target = urldefrag(urljoin(url, href.replace("&amp;", "&")))[0]
            parts = urlsplit(target)
            if parts.scheme not in ("", "http") or parts.netloc not in ("", "testserver"):
                continue
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if target in seen or SKIP.match(target):
                continue
            seen.add(target)
            if shapes.get(shape(target), 0) >= SAME_SHAPE:
                continue
            shapes[shape(target)] = shapes.get(shape(target), 0) + 1
            found_on[target] = url
            queue.append(target)
    return statuses, found_on


@pytest.mark.django_db
def test_every_link_each_role_is_shown_opens(client, settings, tmp_path):
    settings.SEARCH_INDEX_DIR = tmp_path / "index"
    call_command("seed_demo", stdout=io.StringIO())
    indexing.flush()  # the test's transaction never commits: search results need the index
    broken, bell = [], {}
    for username in ROLES:
        client.force_login(User.objects.get(username=username))
        statuses, found_on = crawl(client, STARTS, bell)
        assert len(statuses) > 20, (username, len(statuses))
        broken += [
            f"{username}: {status} {url} (linked from {found_on[url]})"
            for url, status in statuses.items()
            if status in (403, 404) or status >= 500
        ]
        client.logout()
    assert broken == [], "\n".join(broken)
    # The bell's unread count costs one query, whatever the page (the notifications page itself
    # counts and lists them: a fixed handful more).
    off = {
        url: count
        for url, count in bell.items()
        if not 1 <= count <= (4 if url.startswith("/notifications/") else 1)
    }
    assert len(bell) > 100 and off == {}
