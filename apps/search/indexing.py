"""Keeping the index in step with the database.

A change to a registered record writes an ``IndexTask`` in the same transaction; once the
transaction commits, a background job (``flush_index``, run by the worker) applies the pending
tasks to the index (one writer at a time, other processes wait for Whoosh's lock with
retries). A task is removed only after the index has taken it, so a busy index, a lost job or a
crash delays an update but never loses it: the job is retried, ``flush`` runs again on the next
commit, the worker's once-a-minute sweep (``tasks.retry_index``) takes what has waited, and
``check_index --repair`` settles everything.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connections, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.urls import get_resolver
from django.utils import timezone
from huey.contrib.djhuey import HUEY, db_task

from apps.core.jobs import enqueue_now
from apps.core.searchables import Searchable, searchables

from .engine import IndexLockedError, SearchEngine, parent_of
from .engine.analysis import analyse
from .indexstate import adopt_index
from .models import IndexTask, RelatedList

logger = logging.getLogger(__name__)

BATCH = 500
#: A change saved in a request waits this long for the index's write lock (an import may hold it
#: for a while); then its update stays queued and the next flush, or the import's own, applies it.
REQUEST_WAIT = 1.0
#: A bulk flush (after an import) writes this many entries per commit and then lets go of the
#: lock for ``BULK_PAUSE`` seconds, longer than a waiting writer's longest backoff (store.py).
#: Not fewer: Whoosh merges small segments with approximated field lengths, so 500-entry commits
#: moved BM25 scores of a 12,000-section import by up to 1% (bench/search_quality.py on
#: thai-legal-dev); 5,000 keeps the index, and so the ranking, as it was.
BULK_BATCH = 5000
BULK_PAUSE = 0.6
_engines: dict[str, SearchEngine] = {}
_engines_lock = threading.Lock()


def get_engine() -> SearchEngine:
    """The engine for ``SEARCH_INDEX_DIR`` (one per process and folder)."""
    key = str(settings.SEARCH_INDEX_DIR)
    with _engines_lock:
        if key not in _engines:
            _engines[key] = SearchEngine(Path(key), on_new=_index_made)
        return _engines[key]


def index_state():
    """What changes with every commit to the index (None: no index yet), for values kept
    while the index is unchanged, such as the dashboard's searches that find nothing hidden.
    A folder that cannot be read counts as no index: the searches say so in their own way."""
    try:
        return get_engine().store.identity()
    except OSError:
        return None


def _index_made(index_id: str) -> None:
    """An index was made in the folder: if none was ever recorded as filled, this is it (a new
    installation); otherwise it counts as incomplete until filled (``upkeep``)."""
    adopt_index(index_id)


# --- Change tracking -----------------------------------------------------------------------------
_local = threading.local()


@contextmanager
def deferred(*, alongside: bool = False) -> Iterator[None]:
    """Bulk changes (imports): collect the uids and index them in one go at the end.

    Inside the block, call ``persist_deferred()`` before each transaction commits, so the tasks
    are as durable as the records; the index itself is written once, after the block.

    ``alongside``: a child process writes the index while the block goes on, taking each
    batch's tasks as soon as its transaction has committed (``Alongside``); the block's end
    then only waits for its last commit. Where no child can see the block's commits (inside
    a transaction, an in-memory database), the index is written after the block, as without.
    """
    if getattr(_local, "deferred", None) is not None:
        yield
        return
    _local.deferred = set()
    helper = Alongside.start() if alongside else None
    try:
        yield
    finally:
        # Back to ordinary tracking even if the queue cannot be written (the block failed on a
        # broken database): otherwise every later change in this thread would be collected
        # in a set nobody writes.
        try:
            persist_deferred()
        finally:
            _local.deferred = None
            if helper is not None:
                helper.finish()
        # What the child did not take (it failed, or another process queued a task it could
        # not see in order): written here, as without a child.
        flush(batch=BULK_BATCH, pause=BULK_PAUSE)


def persist_deferred() -> None:
    uids = getattr(_local, "deferred", None)
    if uids:
        IndexTask.objects.bulk_create([IndexTask(uid=uid) for uid in sorted(uids)])
        uids.clear()


def enqueue(uids: Iterable[str]) -> None:
    """Record that these index entries must be refreshed, and flush once the change commits."""
    pending = getattr(_local, "deferred", None)
    if pending is not None:
        pending.update(uids)
        return
    uids = sorted(set(uids))
    if not uids:
        return
    IndexTask.objects.bulk_create([IndexTask(uid=uid) for uid in uids])
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        _flush_after_commit()
    elif not _flush_pending(connection):
        transaction.on_commit(_flush_after_commit)


class IndexBehindError(Exception):
    """Updates older than the job stayed queued (the index was busy or failed): retry later."""


#: Ahead of other jobs (text extractions of a large upload or an import may queue for minutes):
#: search should show a saved change within a second or two.
FLUSH_PRIORITY = 10


# The job lives here rather than in ``tasks.py``: the change tracking above enqueues it, and
# ``tasks.py`` needs this module (a cycle otherwise).
@db_task(retries=5, retry_delay=20, priority=FLUSH_PRIORITY)
def flush_index() -> None:
    """Apply the queued index updates (the worker's part of every change). Retried while
    updates that were queued before it started are still waiting."""
    last = IndexTask.objects.order_by("-pk").values_list("pk", flat=True).first()
    if last is None:
        return
    flush(wait=REQUEST_WAIT)
    # In immediate mode (tests) there is no later: the sweep and the next change take it.
    if not HUEY.immediate and IndexTask.objects.filter(pk__lte=last).exists():
        raise IndexBehindError("index updates are still queued")


def _flush_after_commit() -> None:
    """Hand the flush to the worker; if the queue cannot take it (Redis down), flush here, as
    the portal did before it had a worker, rather than wait for the sweep."""
    if not enqueue_now(flush_index):
        flush(wait=REQUEST_WAIT)


def _flush_pending(connection) -> bool:
    """Whether this transaction already flushes once it commits.

    Asked of the transaction itself (its on-commit hooks), never of a flag on the connection:
    a rollback (of the transaction or of the savepoint that scheduled the flush) drops the
    hook, and the next change must schedule it again.
    """
    return any(hook is _flush_after_commit for _sids, hook, *_rest in connection.run_on_commit)


def _record_changed(searchable: Searchable, pks: Callable[[Any], Iterable[Any]]):
    def handler(sender, instance, raw=False, **kwargs):
        if raw:  # loading fixtures
            return
        enqueue(searchable.uid(pk) for pk in pks(instance) if pk is not None)

    return handler


def _m2m_changed(searchable: Searchable):
    def handler(sender, instance, action, reverse, pk_set, **kwargs):
        if action not in {"post_add", "post_remove", "post_clear"}:
            return
        if isinstance(instance, searchable.model):
            enqueue([searchable.uid(instance.pk)])
        elif pk_set:
            enqueue(searchable.uid(pk) for pk in pk_set)

    return handler


def connect_signals() -> None:
    """Watch every registered model, its many-to-many fields and its declared dependencies."""
    for searchable in searchables():
        own = _record_changed(searchable, lambda obj: [obj.pk])
        uid = f"search-{searchable.kind}"
        post_save.connect(own, sender=searchable.model, weak=False, dispatch_uid=uid + "-save")
        post_delete.connect(own, sender=searchable.model, weak=False, dispatch_uid=uid + "-del")
        for m2m in searchable.model._meta.many_to_many:
            m2m_changed.connect(
                _m2m_changed(searchable),
                sender=m2m.remote_field.through,
                weak=False,
                dispatch_uid=f"{uid}-m2m-{m2m.name}",
            )
        for model, pks in searchable.dependencies().items():
            handler = _record_changed(searchable, pks)
            dep = f"{uid}-dep-{model._meta.label}"
            post_save.connect(handler, sender=model, weak=False, dispatch_uid=dep + "-save")
            post_delete.connect(handler, sender=model, weak=False, dispatch_uid=dep + "-del")
        for model, pks in searchable.before_delete.items():
            pre_delete.connect(
                _record_changed(searchable, pks),
                sender=model,
                weak=False,
                dispatch_uid=f"{uid}-pre-{model._meta.label}",
            )


# --- Applying changes ----------------------------------------------------------------------------
def _split(uid: str) -> tuple[str, str]:
    kind, _, pk = uid.partition(":")
    return kind, pk


def documents_for(uids: Iterable[str]) -> tuple[list[dict], list[str]]:
    """(documents to write, uids to delete) for these uids, reading each kind in one query (a
    section entry's uid stands for its record's: the record writes or deletes its sections)."""
    by_kind: dict[str, set[str]] = defaultdict(set)
    for uid in uids:
        kind, pk = _split(parent_of(uid) or uid)  # a section entry: its record's
        by_kind[kind].add(pk)
    registered = {s.kind: s for s in searchables()}
    docs, gone = [], []
    for kind, pks in by_kind.items():
        searchable = registered.get(kind)
        if searchable is None:
            gone.extend(f"{kind}:{pk}" for pk in pks)
            continue
        found = set()
        for obj in searchable.all().filter(pk__in=pks):
            found.add(str(obj.pk))
            if searchable.include(obj):
                docs.append(searchable.document(obj))
            else:
                gone.append(searchable.uid(obj.pk))
        gone.extend(searchable.uid(pk) for pk in pks - found)
    return docs, gone


def flush(
    *,
    limit: int | None = None,
    batch: int = BATCH,
    wait: float | None = None,
    pause: float = 0.0,
) -> int:
    """Apply pending index tasks; returns how many were done. Never raises: an index that is
    busy or broken leaves the tasks for the next flush, and the user never sees an error.

    Each batch of ``batch`` tasks (the last with up to half a batch more) is one commit under
    the index's write lock, waited for up to ``wait`` seconds (the engine's ``lock_timeout`` if
    None); between batches the lock is let go for ``pause`` seconds, so that a long run does not
    keep other writers out. The tasks and the records are read while this process holds the
    lock: a process that flushes later reads the records later, so an older state can never
    overwrite a newer one in the index.
    """
    done = 0
    engine = get_engine()
    try:
        while (limit is None or done < limit) and IndexTask.objects.exists():
            if done and pause:
                time.sleep(pause)
            with engine.writer(wait) as writer:
                tasks = _next_tasks(batch)
                if not tasks:
                    break
                docs, gone = documents_for({uid for _pk, uid in tasks})
                engine.write(writer, docs, gone)
            related_out_of_date(docs, gone)
            # Exactly the tasks read: one queued meanwhile for the same record runs next time.
            IndexTask.objects.filter(pk__in=[pk for pk, _uid in tasks]).delete()
            done += len(tasks)
    except IndexLockedError:
        logger.info("search index busy: updates stay queued for the next flush")
    except Exception:
        logger.exception("search index update postponed; the tasks stay queued")
    return done


def related_out_of_date(docs: list[dict], gone: list[str]) -> None:
    """The kept related items of entries the index has just changed are out of date from now
    (``related.py``); those of entries it no longer holds go."""
    written = [f"{doc['kind']}:{doc['pk']}" for doc in docs]
    if written:
        RelatedList.objects.filter(uid__in=written).update(changed_at=timezone.now())
    if gone:
        RelatedList.objects.filter(uid__in=gone).delete()


def _next_tasks(batch: int) -> list[tuple[int, str]]:
    """The next ``batch`` tasks, oldest first; the whole queue when no more than half a batch
    would be left after them (5,127 imported records: one commit, not a commit of 5,000, a
    pause, and another of 127)."""
    most = batch + batch // 2
    tasks = list(IndexTask.objects.order_by("pk").values_list("pk", "uid")[: most + 1])
    return tasks[:batch] if len(tasks) > most else tasks


# --- Indexing alongside an import ---------------------------------------------------------------
#: How often the child looks for the next batch of an import while none is waiting.
ALONGSIDE_POLL = 0.05


class Alongside:
    """A child process that indexes an import's batches while the importer shelves the next.

    Importing is two kinds of work of about the same size: the library's (reading, storing and
    recording each file) and the index's (analysing the text, Whoosh's postings and commit).
    One after the other they left one of the machine's cores idle; side by side the import
    takes about as long as the larger of the two. The child is forked from the importer (so it
    starts with the same code and settings at no cost), opens its own database connection, and
    holds the index's write lock while it works, as any flush does.

    Nothing is lost if it fails or is killed: it deletes only the tasks it has committed to
    the index, and whatever is left is flushed by the importer after the block (or by the
    worker's sweep).
    """

    def __init__(self, process, done) -> None:
        self.process, self.done = process, done

    @classmethod
    def start(cls) -> Alongside | None:
        if not cls.possible():
            return None
        # What the child needs once and would otherwise make while the importer waits on it:
        # the URL configuration (each entry's address) and the segmenter's dictionary. Made
        # here, they are shared with the child from the fork on.
        get_resolver().reverse_dict  # noqa: B018 - populates the resolver
        analyse("ทดสอบ 1/2568")
        # A forked child must not share the parent's connections: both would talk on one socket.
        connections.close_all()
        context = multiprocessing.get_context("fork")
        done = context.Event()
        process = context.Process(
            target=_index_alongside, args=(done, os.getpid()), name="index-alongside", daemon=True
        )
        try:
            process.start()
        except OSError:  # no memory or no process left for it: index after the block instead
            logger.warning("could not start indexing alongside the import", exc_info=True)
            return None
        return cls(process, done)

    @staticmethod
    def possible() -> bool:
        """Whether a child process would see the importer's commits as they happen."""
        if not settings.SEARCH_INDEX_ALONGSIDE:
            return False
        if "fork" not in multiprocessing.get_all_start_methods():
            return False
        connection = transaction.get_connection()
        if connection.in_atomic_block:  # the batches commit only into this transaction
            return False
        return not (connection.vendor == "sqlite" and connection.is_in_memory_db())

    def finish(self) -> None:
        """Tell the child that every batch has committed, and wait for its last commit."""
        self.done.set()
        self.process.join()
        if self.process.exitcode != 0:
            logger.warning(
                "indexing alongside the import stopped (exit code %s); the importer indexes "
                "what is left",
                self.process.exitcode,
            )


def _index_alongside(done, parent: int) -> None:
    """The child's part: index the tasks as the importer's batches commit, in commits of
    ``BULK_BATCH`` or more (never a small one in the middle), until the importer is done."""
    # Ctrl+C reaches the whole process group: the importer decides when the child stops.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _local.deferred = None
    _engines.clear()  # the parent's engine, if any, belongs to the parent
    try:
        written, commits = index_tasks_as_they_come(done, parent)
        logger.info(
            "search index: %d entries written alongside the import in %d commit(s)",
            written,
            commits,
        )
    except Exception:
        logger.exception("indexing alongside the import failed; the importer takes over")
        raise
    finally:
        connections.close_all()


class _ParentGoneError(Exception):
    """The importer died: what is in the writer is dropped and its tasks stay queued."""


def index_tasks_as_they_come(done, parent: int) -> tuple[int, int]:
    """Write queued tasks to the index as they appear until ``done`` is set and none is left;
    returns (entries written, commits). Deletes exactly the tasks it read once their commit is
    made: a task that becomes visible out of order (a concurrent transaction with a lower
    number) is left for the next flush."""
    engine = get_engine()
    last, written, commits = 0, 0, 0
    while _wait_for_tasks(done, parent, last):
        taken: list[int] = []
        changed: tuple[list[dict], list[str]] = ([], [])
        with engine.writer() as writer:
            while True:
                finished = done.is_set()  # before reading: what committed before it is seen
                tasks = list(
                    IndexTask.objects.filter(pk__gt=last)
                    .order_by("pk")
                    .values_list("pk", "uid")[:BATCH]
                )
                if tasks:
                    docs, gone = documents_for({uid for _pk, uid in tasks})
                    written += engine.write(writer, docs, gone)
                    changed[0].extend(docs)
                    changed[1].extend(gone)
                    taken += [pk for pk, _uid in tasks]
                    last = tasks[-1][0]
                    if _commit_now(len(taken), last):
                        break
                elif finished:
                    break
                else:
                    _pause(parent)
        commits += 1
        related_out_of_date(*changed)
        for start in range(0, len(taken), BATCH):
            IndexTask.objects.filter(pk__in=taken[start : start + BATCH]).delete()
        time.sleep(BULK_PAUSE if not done.is_set() else 0)  # let a waiting writer in
    return written, commits


def _wait_for_tasks(done, parent: int, last: int) -> bool:
    """Wait until a task after ``last`` is queued (True) or the importer is done (False)."""
    while True:
        finished = done.is_set()
        if IndexTask.objects.filter(pk__gt=last).exists():
            return True
        if finished:
            return False
        _pause(parent)


def _pause(parent: int) -> None:
    if os.getppid() != parent:
        raise _ParentGoneError
    time.sleep(ALONGSIDE_POLL)


def _commit_now(taken: int, last: int) -> bool:
    """Commit after ``BULK_BATCH`` entries when more than half a batch is queued already (so
    the next commit is not a small one; ``_next_tasks``'s rule), and after twice that anyway."""
    if taken < BULK_BATCH:
        return False
    if taken >= 2 * BULK_BATCH:
        return True
    return IndexTask.objects.filter(pk__gt=last).count() > BULK_BATCH // 2


RETRY_AFTER = 60.0  # seconds
_next_retry = 0.0


def retry_stale(*, throttle: bool = True) -> int:
    """Flush updates that have waited longer than ``RETRY_AFTER`` (their own flush failed: a
    full disk, a damaged index, a lost job). The worker's sweep calls this each minute
    (``throttle=False``) and searches at most once a minute per process, so the index catches
    up even when nothing else is written or no worker runs. Never raises."""
    global _next_retry
    now = time.monotonic()
    if throttle and now < _next_retry:
        return 0
    _next_retry = now + RETRY_AFTER
    cutoff = timezone.now() - timedelta(seconds=RETRY_AFTER)
    try:
        if not IndexTask.objects.filter(created_at__lt=cutoff).exists():
            return 0
    except Exception:
        logger.exception("could not read the search index queue")
        return 0
    return flush(wait=REQUEST_WAIT)


__all__ = [
    "BATCH",
    "Alongside",
    "deferred",
    "documents_for",
    "enqueue",
    "flush",
    "flush_index",
    "get_engine",
    "persist_deferred",
    "related_out_of_date",
    "retry_stale",
]
