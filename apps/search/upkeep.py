"""Keeping the index whole: knowing whether it is the one the database fed, rebuilding it beside
the live one, and checking it against the database (and mending it).

- Each index folder has an identity (``store.py``); beside the folder (so that it outlives it),
  ``<index>.state`` keeps the identity of the index that was last filled from the database and
  kept in step by its queue. An index made again after its folder was lost, or put there behind
  the portal's back, has another identity: search says it is incomplete until it is filled again
  (``check_index --repair`` or ``rebuild_index``). Not a table: a backup restored elsewhere
  would carry another instance's identity (and ``restore`` rebuilds the index anyway).
- A rebuild writes a new index in ``<index>/rebuild/`` while the live one keeps answering; at
  the end, under the live index's lock, it takes in what was flushed into the live index
  meanwhile, then replaces the live index's content in one step. A rebuild that is killed
  leaves the live index as it was (never empty) and a checkpoint to go on from; a damaged live
  index is no obstacle, as nothing of it is read.
- ``check`` reads the whole index (a damaged file is reported, not an ``OSError``), compares
  every entry's stamp with the database, and with ``repair`` mends everything: a damaged index
  is rebuilt, files a failed write left are removed, entries are added, refreshed or removed.
"""

from __future__ import annotations

import json
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from django.conf import settings

from apps.core.searchables import get, searchables

from . import indexing
from .engine import SearchEngine, parent_of
from .indexstate import filled_index_id, record_index
from .models import IndexTask

logger = logging.getLogger(__name__)

BUILD_FOLDER = "rebuild"
RUNNING, INTERRUPTED = "running", "interrupted"


class RebuildRunningError(RuntimeError):
    """Another rebuild of this index is running."""


# --- Which index the database fed: see ``indexstate`` ----------------------------------------
def index_complete() -> bool:
    """Whether the index in the folder is the one last filled from the database (False: it was
    made again, or replaced, since; or it is empty while records wait for nothing to fill it:
    some entries, or all, are missing)."""
    engine = indexing.get_engine()
    current = engine.index_id
    recorded = filled_index_id()
    if recorded is None:  # the first index this installation meets
        record_index(current)
    elif recorded != current:
        return False
    if engine.count() == 0:  # records that are not even queued?
        queued = set(IndexTask.objects.values_list("uid", flat=True)[:1000])
        return not any(
            searchable.include(obj) and searchable.uid(obj.pk) not in queued
            for searchable in searchables()
            for obj in searchable.all()[:20]
        )
    return True


# --- Rebuild --------------------------------------------------------------------------------------
def _chunks(iterable: Iterable[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(iterable)
    while chunk := list(islice(iterator, size)):
        yield chunk


def build_engine() -> SearchEngine:
    """The engine of the index a rebuild writes, beside the live one."""
    live = indexing.get_engine()
    return SearchEngine(live.index_dir / BUILD_FOLDER, live.config)


def checkpoint_path() -> Path:
    return Path(settings.SEARCH_INDEX_DIR) / BUILD_FOLDER / "checkpoint.json"


@contextmanager
def rebuilding() -> Iterator[None]:
    """Held for the whole of a rebuild: two at once would write into the same new index."""
    with indexing.get_engine().store.exclusive("REBUILD") as acquired:
        if not acquired:
            raise RebuildRunningError("another rebuild of the search index is running")
        yield


def rebuild_state() -> str | None:
    """``RUNNING``, ``INTERRUPTED`` (a rebuild stopped before it finished) or None."""
    if not (Path(settings.SEARCH_INDEX_DIR) / BUILD_FOLDER).exists():
        return None
    with indexing.get_engine().store.exclusive("REBUILD") as free:
        return INTERRUPTED if free else RUNNING


def rebuild(
    *,
    batch: int = indexing.BATCH,
    resume: bool = True,
    progress: Callable[[str, int, int], None] | None = None,
) -> int:
    """Index every registered record again, ``batch`` at a time (memory stays bounded), into a
    new index that then replaces the live one; returns how many records this run wrote.

    Searches keep using the live index until the end. A checkpoint after each batch lets an
    interrupted rebuild continue where it stopped (``resume=False`` starts again).
    """
    with rebuilding():
        return _rebuild(batch, resume, progress)


def _rebuild(batch: int, resume: bool, progress: Callable[[str, int, int], None] | None) -> int:
    live, build = indexing.get_engine(), build_engine()
    checkpoint = checkpoint_path()
    state: dict[str, Any] = {}
    if resume and checkpoint.exists():
        try:
            state = json.loads(checkpoint.read_text())
        except ValueError:
            state = {}
        if state and (build.store.damage() or not build.is_current()):
            state = {}  # a new index cannot go on from a damaged or outdated one
    if not state:
        build.store.destroy()
    build.open_or_create()
    written = 0
    for searchable in searchables():
        kind_state = state.setdefault(searchable.kind, {})
        if kind_state.get("done"):
            continue
        records = searchable.all().order_by("pk")
        if kind_state.get("last_pk") is not None:
            records = records.filter(pk__gt=kind_state["last_pk"])
        total, seen = records.count(), 0
        for chunk in _chunks(records.iterator(chunk_size=batch), batch):
            docs = [searchable.document(obj) for obj in chunk if searchable.include(obj)]
            build.upsert(docs)
            written += len(docs)
            seen += len(chunk)
            kind_state["last_pk"] = chunk[-1].pk
            checkpoint.write_text(json.dumps(state))
            if progress:
                progress(searchable.kind, seen, total)
        kind_state["done"] = True
        checkpoint.write_text(json.dumps(state))
    checkpoint.unlink(missing_ok=True)
    index_id = live.store.replace_with(build.store, before=lambda: _catch_up(live, build))
    build.close()
    record_index(index_id)
    indexing.flush()  # what was queued and not yet flushed, into the new index
    return written


def _catch_up(live: SearchEngine, build: SearchEngine) -> None:
    """Runs under the live index's lock, just before the new index replaces it: what workers
    flushed into the live index while the new one was being written goes into the new one too
    (no flush runs meanwhile; what could not be flushed is still queued)."""
    try:
        flushed = live.uids_with_stamps()
    except Exception:
        return  # a damaged live index took nothing in
    built = build.uids_with_stamps()
    changed = {uid for uid, stamp in flushed.items() if built.get(uid) != stamp}
    gone = _deleted(set(built) - set(flushed))
    if changed or gone:
        docs, removed = indexing.documents_for(changed)
        with build.writer() as writer:
            build.write(writer, docs, [*removed, *gone])


def _database_uids(batch: int) -> Iterator[str]:
    """The uid of every record that belongs in the index."""
    for searchable in searchables():
        for chunk in _chunks(searchable.all().order_by("pk").iterator(chunk_size=batch), batch):
            yield from (searchable.uid(obj.pk) for obj in chunk if searchable.include(obj))


def _deleted(uids: Iterable[str]) -> list[str]:
    """The uids whose record is no longer in the database."""
    by_kind: dict[str, set[str]] = defaultdict(set)
    for uid in uids:  # a section entry: its record's (deleting the record deletes its sections)
        kind, _, pk = (parent_of(uid) or uid).partition(":")
        by_kind[kind].add(pk)
    gone = []
    for kind, pks in by_kind.items():
        searchable = get(kind)
        existing: set[str] = set()
        if searchable is not None:
            numeric = sorted((pk for pk in pks if pk.isdigit()), key=int)
            for chunk in _chunks(numeric, 900):
                found = searchable.all().filter(pk__in=chunk).values_list("pk", flat=True)
                existing.update(str(pk) for pk in found)
        gone.extend(f"{kind}:{pk}" for pk in sorted(pks - existing))
    return gone


# --- Check ----------------------------------------------------------------------------------------
@dataclass
class CheckReport:
    missing: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)
    orphaned: list[str] = field(default_factory=list)
    pending: int = 0
    damaged: str | None = None  # what reading the index failed with
    incomplete: bool = False  # made again or replaced since the database fed it
    rebuild: str | None = None  # RUNNING or INTERRUPTED
    leftovers: list[str] = field(default_factory=list)  # files a failed write left
    repaired: bool = False

    @property
    def healthy(self) -> bool:
        return not (
            self.missing
            or self.stale
            or self.orphaned
            or self.pending
            or self.damaged
            or self.incomplete
            or self.rebuild == INTERRUPTED
            or self.leftovers
        )


def check(*, repair: bool = False, batch: int = indexing.BATCH) -> CheckReport:
    """Compare the index with the database: entries missing, stale (the record changed since it
    was indexed) or orphaned (no record any more), and the index itself (damaged, incomplete,
    files left by a failed write, an interrupted rebuild); with ``repair``, fix them all."""
    engine = indexing.get_engine()
    report = CheckReport(pending=IndexTask.objects.count(), rebuild=rebuild_state())
    report.damaged = engine.store.damage()
    if report.damaged:
        # Nothing of a damaged index can be trusted: every entry counts as missing (so callers
        # that look only at the lists, such as the doctor's page, see it too).
        report.missing = list(_database_uids(batch))
        if repair:  # build a new one
            logger.warning("search index damaged (%s): rebuilding it", report.damaged)
            rebuild(batch=batch, resume=False)
            report.repaired = True
        return report
    report.leftovers = engine.store.leftovers()
    report.incomplete = not index_complete()
    if repair:
        engine.store.remove_leftovers()
        if report.rebuild == INTERRUPTED:  # the live index is mended in place instead
            build_engine().store.destroy()
    indexed = engine.uids_with_stamps()
    expected: set[str] = set()
    for searchable in searchables():
        for chunk in _chunks(searchable.all().order_by("pk").iterator(chunk_size=batch), batch):
            fix = []
            for obj in chunk:
                if not searchable.include(obj):
                    continue
                doc = searchable.document(obj)
                uid = searchable.uid(obj.pk)
                expected.add(uid)
                if uid not in indexed:
                    report.missing.append(uid)
                    fix.append(doc)
                elif indexed[uid] != doc["stamp"]:
                    report.stale.append(uid)
                    fix.append(doc)
            if repair and fix:
                engine.upsert(fix)
                indexing.related_out_of_date(fix, [])
    # A section entry (``engine/sections.py``) is written and deleted with its record and
    # carries its stamp: it is orphaned only when its record is not expected any more.
    report.orphaned = sorted(uid for uid in indexed if (parent_of(uid) or uid) not in expected)
    if repair:
        engine.delete(report.orphaned)
        indexing.related_out_of_date([], report.orphaned)
        indexing.flush()
        record_index(engine.index_id)
        report.repaired = True
    return report
