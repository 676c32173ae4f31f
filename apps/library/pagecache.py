"""The library list's page body kept as rendered, per process (issue 20).

The list page is read far more often than the library changes, and four fifths of its time was
rendering the same documents' cards, the side panel and the filter form again. Its body (all
of ``{% block content %}``) is kept under a key made of everything it is drawn from:

- who is looking: the visibility rule (which names the person for all but administrators) and
  whether they may add documents (the page's one permission);
- the library's fingerprint (a document added, edited, given files or removed changes it);
- the categories and tags themselves (names, places, order): a rename or a move in the admin
  saves no document, yet the tree, the cards, the side panel and the filter form show them;
- the query string exactly as sent (its order is the order of the page's own links), and the
  language.

So a kept body is never shown to anyone whose rule or permission differs, and never outlives a
change of what it shows that goes through the models' ``save()``. A change that does not (a bulk
``update()``, a fix in the database shell) shows within ``MAX_AGE`` seconds, after which a body
is rendered again. Bounded by the characters held, the least recently used going first.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict

from django.db import connection
from django.http import HttpRequest
from django.utils import translation
from django.utils.safestring import SafeString

from .access import visibility_filter
from .models import Category, Tag

#: Characters of rendered bodies kept per process (a body is some 40,000): about 16 MB of text.
BUDGET = 8_000_000

#: Seconds a body is used at most, whatever its key says (see the module's docstring).
MAX_AGE = 300.0

_lock = threading.Lock()
_kept: OrderedDict[str, SafeString] = OrderedDict()
_made: dict[str, float] = {}  # key → time.monotonic() when kept
_held = 0


def body_key(request: HttpRequest, *, library: tuple) -> str:
    """The key of ``request``'s list page body (see the module's docstring); ``library``: the
    library's fingerprint (``selectors.library_fingerprint``), read by the caller."""
    user = request.user
    seen = (
        "library-list-body",
        str(visibility_filter(user)),
        user.has_perm("library.add_document"),
        library,
        _names(),
        list(request.GET.lists()),
        translation.get_language(),
    )
    return hashlib.sha256(repr(seen).encode()).hexdigest()


def _names() -> list[tuple]:
    """Every category (id, name, parent, order) and tag (id, name), in one small query."""
    quote = connection.ops.quote_name
    categories, tags = quote(Category._meta.db_table), quote(Tag._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT 'c', id, name, parent_id, {quote('order')} FROM {categories}"  # noqa: S608
            f" UNION ALL SELECT 't', id, name, NULL, 0 FROM {tags} ORDER BY 1, 2"
        )
        return cursor.fetchall()


def kept(key: str) -> SafeString | None:
    with _lock:
        found = _kept.get(key)
        if found is not None and time.monotonic() - _made.get(key, 0.0) >= MAX_AGE:
            _drop(key)
            return None
        if found is not None:
            _kept.move_to_end(key)
        return found


def _drop(key: str) -> None:
    global _held
    gone = _kept.pop(key, None)
    _made.pop(key, None)
    if gone is not None:
        _held -= len(gone)


def keep(key: str, body: SafeString) -> None:
    global _held
    if len(body) > BUDGET:
        return
    with _lock:
        old = _kept.pop(key, None)
        if old is not None:
            _held -= len(old)
        _kept[key] = body
        _made[key] = time.monotonic()
        _held += len(body)
        while _held > BUDGET:
            oldest, gone = _kept.popitem(last=False)
            _made.pop(oldest, None)
            _held -= len(gone)


def forget() -> None:
    """Drop every kept body (tests: a rolled-back library may meet the same fingerprint)."""
    global _held
    with _lock:
        _kept.clear()
        _made.clear()
        _held = 0
