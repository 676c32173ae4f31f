"""Related items worked out ahead, in the worker (issue 20).

More-like-this reads the postings of some 50 key terms; at 20,000 documents that was 25-100 ms,
most of a document page, paid again by every reader in every process. Here it is worked out
once per entry, for one who may see everything, and kept in the database (``RelatedList``):

- **When.** ``sweep`` (the worker, each minute, a few seconds at most) makes the lists that are
  missing (a new entry, a new installation, an import), then those whose entry changed after the
  list was made, then those older than ``MAX_AGE`` (so that a new entry finds its way into the
  lists of older ones within a day).
- **Out of date.** ``indexing.flush`` stamps ``changed_at`` on the entry's list whenever the
  index takes a change of that entry, and deletes the list of an entry that left the index. A
  list made before its entry's last change is not used, nor one older than ``USE_FOR`` (the
  worker has stopped): the page works the items out itself then, as it always did.
- **Who sees what.** A list names entries anyone may hold; the page shows only those the reader
  may open, each checked against the database (``searching.related``), with the title the index
  holds now.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from datetime import timedelta

from django.db.models import F
from django.utils import timezone

from apps.core.searchables import searchables

from .engine import Hit, IndexUnavailableError, Viewer
from .indexing import get_engine
from .models import RelatedList

logger = logging.getLogger(__name__)

#: Items kept per list: a page shows 5 of those the reader may open.
KEPT = 20
#: A list is made again after this, so that newer entries come into older entries' lists.
MAX_AGE = timedelta(days=1)
#: A list older than this is not used (the worker has not run for days).
USE_FOR = timedelta(days=7)
#: The worker's sweep works this long at most each minute (one of its threads).
SWEEP_SECONDS = 5.0
#: The sweep says how far it has got after every this many lists (``make_related``).
CHUNK = 200

EVERYONE = Viewer(is_admin=True)


def listed(uid: str) -> list[tuple[str, float]] | None:
    """The kept (uid, score) pairs of the items like ``uid``, best first, or None when no usable
    list is kept (the page works them out then)."""
    # The entry's one row, judged here: the same filter in SQL cost more to build than to run.
    rows = RelatedList.objects.filter(uid=uid).values_list("items", "made_at", "changed_at")
    for items, made_at, changed_at in rows[:1]:
        if made_at >= timezone.now() - USE_FOR and (changed_at is None or made_at > changed_at):
            return [(item[0], float(item[1])) for item in items]
    return None


def entries(items: list[tuple[str, float]]) -> list[Hit]:
    """Those of the listed items the index holds now, with their current titles."""
    scores = dict(items)
    hits = get_engine().entries(scores)
    for hit in hits:
        hit.score = scores[hit.uid]
    return hits


def make(uids: Iterable[str]) -> int:
    """Work out and keep the lists of ``uids``; returns how many were made."""
    engine, made = get_engine(), 0
    for uid in uids:
        started = timezone.now()  # before the index is read: a change after it makes it old
        try:
            hits = engine.more_like(uid, EVERYONE, limit=KEPT)
        except IndexUnavailableError:
            return made
        RelatedList.objects.update_or_create(
            uid=uid,
            defaults={"items": [[h.uid, round(h.score, 4)] for h in hits], "made_at": started},
        )
        made += 1
    return made


def sweep(
    *, seconds: float | None = SWEEP_SECONDS, progress: Callable[[int, int], None] | None = None
) -> int:
    """Make the lists that are missing, then those out of date, for ``seconds`` at most (None:
    all of them); returns how many were made. ``progress(made, wanted)`` after each chunk."""
    deadline = None if seconds is None else time.monotonic() + seconds
    wanted = due()
    made = 0
    for uid in wanted:
        if deadline is not None and time.monotonic() >= deadline:
            break
        made += make([uid])
        if progress and made % CHUNK == 0:
            progress(made, len(wanted))
    if progress and made % CHUNK:
        progress(made, len(wanted))
    return made


def due() -> list[str]:
    """The entries whose list is to be made: missing (newest records first), then made before
    their entry's last change, then the oldest beyond ``MAX_AGE``."""
    kept = dict(RelatedList.objects.values_list("uid", "made_at"))
    missing = []
    for searchable in searchables():
        manager = searchable.model._default_manager
        for pk in manager.order_by("-pk").values_list("pk", flat=True):
            uid = searchable.uid(pk)
            if uid not in kept:
                missing.append(uid)
    changed = RelatedList.objects.filter(changed_at__isnull=False, made_at__lte=F("changed_at"))
    old = RelatedList.objects.filter(made_at__lt=timezone.now() - MAX_AGE).order_by("made_at")
    return [
        *missing,
        *changed.values_list("uid", flat=True),
        *old.exclude(pk__in=changed.values("pk")).values_list("uid", flat=True),
    ]
