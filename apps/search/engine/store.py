"""The folder an index lives in: making it, knowing when it changed, writing to it safely,
checking it, and replacing its content in one step.

Whoosh keeps an index as segment files plus a table of contents (``_MAIN_<generation>.toc``)
that names them; a reader opens whatever the newest table of contents names. Everything here
keeps three promises Whoosh alone does not:

- a folder that is gone (or has no table of contents) is made again, with a new identity, so the
  portal can tell an index it fed from a new, empty one (``index_id`` and ``on_new``);
- a write that fails half-way (a full disk, a crash) leaves no lock held and no half-written
  files: they are removed at once, or by the next writer before it writes anything;
- another index (a rebuild, written beside this one) replaces this one's content in one step
  that readers see atomically: its segments move in and a newer table of contents names them.
"""

from __future__ import annotations

import logging
import os
import random
import re
import shutil
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from whoosh.codec.whoosh3 import W3Codec
from whoosh.filedb.filestore import FileStorage
from whoosh.index import TOC, clean_files
from whoosh.writing import CLEAR

from .schema import INDEX_NAME, EngineConfig, IndexLockedError, build_schema

logger = logging.getLogger(__name__)

ID_FILE = "index-id"  # a new identity each time an index is made or replaced
_TOC = re.compile(rf"^_{INDEX_NAME}_(\d+)\.toc$")
_TOC_TEMP = re.compile(rf"^_{INDEX_NAME}_\d+\.toc\..+$")  # a table of contents being written
_SEGMENT = re.compile(rf"^({INDEX_NAME}_[0-9a-z]+)\.[A-Za-z0-9_.]+$")
_TEMP_FOLDER = f"{INDEX_NAME}.tmp"  # Whoosh's scratch folder for a writer's posting runs


class IndexStore:
    """One index folder. ``on_new(index_id)`` is called when an index is made there (or an
    index made before identities existed is given one); ``schema()`` gives the fields of an
    index made there (``build_schema(config)`` unless told otherwise)."""

    def __init__(
        self,
        folder: Path | str,
        config: EngineConfig,
        on_new: Callable[[str], None] | None = None,
        schema: Callable[[], Any] | None = None,
    ):
        self.folder = Path(folder)
        self.config = config
        self.on_new = on_new
        self.new_schema = schema or (lambda: build_schema(config))
        self._lock = threading.Lock()
        self._write_lock = threading.Lock()
        self._ix: Any = None

    @property
    def storage(self) -> FileStorage:
        return FileStorage(str(self.folder))

    # ---------------------------------------------------------------- identity

    def generation(self) -> int:
        """The newest table of contents' number, or -1 when there is none (or no folder)."""
        try:
            names = os.listdir(self.folder)
        except FileNotFoundError:
            return -1
        return max((int(m.group(1)) for m in map(_TOC.match, names) if m), default=-1)

    def identity(self) -> tuple[Any, ...] | None:
        """What changes whenever the index does: the folder, the newest table of contents and
        that file itself (a folder made again starts its numbers again). None: no index."""
        for _attempt in range(5):
            try:
                folder = os.stat(self.folder)
                generation = self.generation()
                if generation < 0:
                    return None
                toc = os.stat(self.folder / TOC._filename(INDEX_NAME, generation))
            except FileNotFoundError:
                continue  # a commit replaced the table of contents meanwhile: look again
            return (folder.st_dev, folder.st_ino, generation, toc.st_ino, toc.st_mtime_ns)
        return None

    @property
    def index_id(self) -> str:
        """This index's identity, made when the index was (read from the folder)."""
        self.open()
        try:
            return (self.folder / ID_FILE).read_text().strip()
        except FileNotFoundError:  # the folder went away just now
            return ""

    # ---------------------------------------------------------------- opening

    def open(self) -> Any:
        """The index, made first (safely across processes) if the folder has none."""
        made = None
        with self._lock:
            if self._ix is not None and self.exists() and (self.folder / ID_FILE).exists():
                return self._ix  # opening reads (unpickles) the table of contents: keep it
            self.folder.mkdir(parents=True, exist_ok=True)
            storage = self.storage
            if self.generation() < 0 or not (self.folder / ID_FILE).exists():
                lock = storage.lock(f"{INDEX_NAME}_CREATE")
                lock.acquire(blocking=True)
                try:
                    if self.generation() < 0:
                        storage.create_index(self.new_schema(), indexname=INDEX_NAME)
                        made = self._new_id()
                    elif not (self.folder / ID_FILE).exists():
                        made = self._new_id()  # an index from before identities
                finally:
                    lock.release()
            self._ix = ix = storage.open_index(indexname=INDEX_NAME)
        self._tidy()
        if made and self.on_new is not None:
            self.on_new(made)
        return ix

    def _tidy(self) -> None:
        """When a process first opens the index: remove what failed writes left, if no writer
        is at work right now (otherwise the next writer does it)."""
        if not self._write_lock.acquire(blocking=False):
            return  # this very thread is opening it for a writer, which tidies up itself
        try:
            lock = self.storage.lock(f"{INDEX_NAME}_WRITELOCK")
            if lock.acquire():
                try:
                    self._remove_leftovers()
                finally:
                    lock.release()
        except OSError:
            logger.warning("could not tidy the search index %s", self.folder, exc_info=True)
        finally:
            self._write_lock.release()

    def _new_id(self, value: str | None = None) -> str:
        value = value or uuid.uuid4().hex
        temporary = self.folder / f"{ID_FILE}.{os.getpid()}.tmp"
        temporary.write_text(value + "\n")
        os.replace(temporary, self.folder / ID_FILE)
        return value

    def exists(self) -> bool:
        return self.generation() >= 0

    # ---------------------------------------------------------------- writing

    @contextmanager
    def writer(
        self, timeout: float | None = None, *, replace_all: bool = False, optimize: bool = False
    ) -> Iterator[Any]:
        """A Whoosh writer, committed at the end of the block. If making the writer, the block
        or the commit fails, everything it wrote is removed; the lock is ours, not the writer's,
        so it is released whatever happened (Whoosh would leave it to the garbage collector)."""
        timeout = self.config.lock_timeout if timeout is None else timeout
        with self._locked(timeout):
            ix = self.open()
            try:
                # Postings uncompressed: zlib was a fifth of indexing time; the index is small.
                writer = ix.writer(
                    _lk=False, limitmb=256, codec=W3Codec(compression=0), compound=False
                )
            except BaseException:
                self._remove_leftovers()
                raise
            _ask_columns_once(writer)
            try:
                self._remove_leftovers(writer)
                yield writer
                if replace_all:
                    writer.commit(mergetype=CLEAR)
                else:
                    writer.commit(optimize=optimize)
            except BaseException:
                self._abandon(writer)
                raise

    @contextmanager
    def _locked(self, timeout: float) -> Iterator[None]:
        """The index's write lock (Whoosh's, so writers of other processes wait too). Other
        processes are waited for with backoff for up to ``timeout`` seconds, then
        ``IndexLockedError``."""
        deadline = time.monotonic() + timeout
        if not self._write_lock.acquire(timeout=max(0.0, timeout)):
            raise IndexLockedError(f"search index {self.folder} is busy")
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            lock = self.storage.lock(f"{INDEX_NAME}_WRITELOCK")
            delay = 0.01
            while not lock.acquire():
                if time.monotonic() + delay > deadline:
                    raise IndexLockedError(
                        f"search index {self.folder} stayed locked by another writer"
                    )
                time.sleep(delay * random.uniform(0.5, 1.5))  # noqa: S311 - jitter
                delay = min(delay * 2, 0.5)
            try:
                yield
            finally:
                lock.release()
        finally:
            self._write_lock.release()

    def _abandon(self, writer: Any) -> None:
        """Undo a writer that failed, step by step (each step may fail again on a full disk):
        close its files, delete its new segment and scratch files."""
        if getattr(writer, "is_closed", True):
            return
        for step in (
            lambda: writer.perdocwriter.close(),
            lambda: writer.fieldwriter.close(),
            lambda: writer.pool.cleanup(),
            lambda: writer._tempstorage.destroy(),
        ):
            with suppress(Exception):
                step()
        try:
            named = self._segments_named()
            new = writer.newsegment.segment_id()
            if named is not None and new not in named:
                for name in os.listdir(self.folder):
                    match = _SEGMENT.match(name)
                    if (match and match.group(1) == new) or _TOC_TEMP.match(name):
                        with suppress(OSError):
                            os.remove(self.folder / name)
        except Exception:
            logger.exception("could not remove what a failed index write left")
        finally:
            writer.is_closed = True

    def _segments_named(self) -> set[str] | None:
        """The segments the newest table of contents names (None if it cannot be read)."""
        try:
            return {s.segment_id() for s in TOC.read(self.storage, INDEX_NAME).segments}
        except Exception:
            return None

    def leftovers(self, keep: set[str] | None = None, scratch: bool = True) -> list[str]:
        """Files no table of contents names: segments and tables of contents half-written by a
        write that failed, and (``scratch``) a writer's scratch files. Only safe to delete
        under the lock."""
        named = self._segments_named() if keep is None else keep
        if named is None or not self.folder.is_dir():
            return []
        found = []
        for name in sorted(os.listdir(self.folder)):
            match = _SEGMENT.match(name)
            if _TOC_TEMP.match(name) or (match and match.group(1) not in named):
                found.append(name)
        folder = self.folder / _TEMP_FOLDER
        if scratch and folder.is_dir():
            found += [f"{_TEMP_FOLDER}/{entry.name}" for entry in os.scandir(folder)]
        return found

    def _remove_leftovers(self, writer: Any | None = None) -> list[str]:
        """Delete ``leftovers`` (the caller holds the write lock): before a write, so that a
        full disk has its space back before it is needed again. The scratch folder is the
        new writer's own by then (Whoosh empties it when the writer finishes)."""
        keep = None
        if writer is not None:
            keep = {s.segment_id() for s in writer.segments} | {writer.newsegment.segment_id()}
        removed = self.leftovers(keep, scratch=writer is None)
        for name in removed:
            with suppress(OSError):
                os.remove(self.folder / name)
        return removed

    def remove_leftovers(self) -> list[str]:
        """``check_index --repair``: delete what failed writes left."""
        if not self.exists():
            return []
        with self._locked(self.config.lock_timeout):
            return self._remove_leftovers()

    # ---------------------------------------------------------------- checking

    def damage(self) -> str | None:
        """What is wrong with the index, read from end to end (every stored document, every
        term and its postings); None when it reads cleanly or there is no index at all."""
        if not self.exists():
            return None
        try:
            ix = self.storage.open_index(indexname=INDEX_NAME)
            with ix.searcher() as searcher:
                for reader, _offset in searcher.reader().leaf_readers():  # segment by segment
                    for _fields in reader.all_stored_fields():
                        pass
                    for fieldname, text in reader.all_terms():
                        for _docnum in reader.postings(fieldname, text).all_ids():
                            pass
        except Exception as error:  # anything at all: a damaged file fails in many ways
            return f"{type(error).__name__}: {error}"
        return None

    # ---------------------------------------------------------------- replacing

    def replace_with(self, other: IndexStore, before: Callable[[], None] | None = None) -> str:
        """Make ``other``'s index this one's, in one step readers see atomically; ``other``'s
        folder is removed. ``before`` runs first, while this index's writers are held off.
        Works whatever state this index is in (missing, damaged). Returns the new identity."""
        with self._locked(max(self.config.lock_timeout, 120.0)):
            if before is not None:
                before()
            toc = TOC.read(other.storage, INDEX_NAME)
            named = {segment.segment_id() for segment in toc.segments}
            for name in os.listdir(other.folder):
                match = _SEGMENT.match(name)
                if match and match.group(1) in named:
                    os.replace(other.folder / name, self.folder / name)
            generation = max(self.generation(), toc.generation) + 1
            TOC(toc.schema, toc.segments, generation).write(self.storage, INDEX_NAME)
            index_id = self._new_id(other.index_id)
            clean_files(self.storage, INDEX_NAME, generation, toc.segments)
            self._remove_leftovers()
        other.destroy()
        return index_id

    def destroy(self) -> None:
        """Delete the folder and everything in it."""
        shutil.rmtree(self.folder, ignore_errors=True)

    @contextmanager
    def exclusive(self, name: str) -> Iterator[bool]:
        """A named lock of this folder held for the block; yields False if another process
        (or thread) holds it."""
        self.folder.mkdir(parents=True, exist_ok=True)
        lock = self.storage.lock(f"{INDEX_NAME}_{name}")
        acquired = lock.acquire()
        try:
            yield acquired
        finally:
            if acquired:
                lock.release()


def _ask_columns_once(writer: Any) -> None:
    """Whoosh's commit asks, for every posting it writes, whether the new segment has a column
    of field lengths for the posting's field: a look at the file system each time (117,867 of
    them for the 5,127 sections of the legal corpus, a tenth of the commit). The segment's
    files are complete by then, so each field's answer is kept for the rest of the commit."""
    make = getattr(writer, "per_document_reader", None)
    if make is None:
        return

    def per_document_reader() -> Any:
        reader = make()
        has_column, known = reader.has_column, {}

        def has_column_once(fieldname: str) -> bool:
            if fieldname not in known:
                known[fieldname] = has_column(fieldname)
            return known[fieldname]

        reader.has_column = has_column_once
        return reader

    writer.per_document_reader = per_document_reader
