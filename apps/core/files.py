"""Stored files, one way for every app: generated names on disk, and downloads through a view.

Uploads keep their original (often Thai) name in the database and are stored under a random
name, so nothing on disk depends on what the uploader called the file. Downloads go through the
app's permission check and then :func:`serve`, which never lets a browser render active content
(HTML, SVG, XML) from the portal's origin.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import PurePosixPath

from django.db import transaction
from django.http import FileResponse, Http404

# Types a browser would run or render as a page: always served as plain bytes to download.
NEVER_INLINE = frozenset(
    {"text/html", "image/svg+xml", "application/xhtml+xml", "text/xml", "application/xml"}
)


def generated_name(folder: str, filename: str, *, spread: bool = False) -> str:
    """``folder/<random hex><.suffix>`` (``folder/ab/<random hex>.pdf`` with ``spread``, for
    folders that grow to many thousands of files)."""
    suffix = PurePosixPath(filename).suffix.lower()[:10]
    name = uuid.uuid4().hex
    shard = f"{uuid.uuid4().hex[:2]}/" if spread else ""
    return f"{folder}/{shard}{name}{suffix}"


# The lists of the atomic_with_files blocks open in this thread (or task), innermost last.
_open_blocks: ContextVar[tuple[list, ...]] = ContextVar("atomic_with_files", default=())


@contextmanager
def atomic_with_files() -> Iterator[list]:
    """A transaction for a write that stores files. The block appends ``(storage, name)`` for
    each file it writes to the list it is given; if the transaction does not commit, those
    files are deleted again, so a refused or failed write leaves nothing on disk.

    Once the transaction has committed, the files belong to committed rows and stay, whatever
    fails afterwards: an on-commit hook (the search index update) cut short by the web
    server's worker timeout must not leave a saved document whose file is gone.

    Blocks nest (a service called by a batch import): an inner block that succeeds hands its
    files to the block around it, so they go if the outer transaction is rolled back.
    """
    written: list = []
    committed = False
    outer = _open_blocks.get()
    token = _open_blocks.set((*outer, written))

    def mark_committed() -> None:
        nonlocal committed
        committed = True

    try:
        with transaction.atomic():
            # Registered first, so it runs before any hook the block registers.
            transaction.on_commit(mark_committed)
            yield written
    except BaseException:
        if not committed:
            for storage, name in written:
                storage.delete(name)
        raise
    finally:
        _open_blocks.reset(token)
    if outer and not committed:
        outer[-1].extend(written)


@contextmanager
def replacing_file(instance, field: str, *, old_name: str | None) -> Iterator[None]:
    """A save that may write a new file into ``instance.<field>`` in place of the stored
    ``old_name`` (a new photo, a new scan). If the block fails, the new file (written to disk
    before the row was refused) is deleted again; if it succeeds, the old file is deleted once
    the transaction commits."""
    try:
        yield
    except BaseException:
        new = getattr(instance, field)
        if new and new._committed and new.name != old_name:
            new.storage.delete(new.name)
        raise
    new = getattr(instance, field)
    if old_name and old_name != new.name:
        delete_after_commit([(new.storage, old_name)])


def save_upload(field_file, content, written: list, *, name: str | None = None) -> str:
    """Write ``content`` (an upload or a ``File``) into ``field_file`` (a model's ``FileField``,
    not saved yet) and note it in ``written``, the list :func:`atomic_with_files` gave, so that
    it is removed again if the transaction does not commit. Returns the stored name."""
    field_file.save(name or content.name, content, save=False)
    written.append((field_file.storage, field_file.name))
    return field_file.name


def stored_files(field_files: Iterable) -> list[tuple]:
    """``(storage, name)`` of each stored file among ``field_files`` (empty ones left out), taken
    before the rows are deleted, for :func:`delete_after_commit`."""
    return [(f.storage, f.name) for f in field_files if f]


def delete_after_commit(files: Iterable[tuple]) -> None:
    """Delete these ``(storage, name)`` files once the current transaction commits (the rows that
    named them are gone then); never if it rolls back, so a refused delete keeps its files."""
    files = list(files)
    if not files:
        return

    def remove() -> None:
        for storage, name in files:
            storage.delete(name)

    transaction.on_commit(remove)


def serve(field_file, *, filename: str, mime: str, inline: bool = False) -> FileResponse:
    """A stored file as the response: an attachment under ``filename`` (RFC 5987 for Thai
    names), or shown in the browser when ``inline`` and its type is safe to show. A file
    missing on disk is a 404, not a server error."""
    inline = inline and mime not in NEVER_INLINE
    try:
        handle = field_file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    content_type = "application/octet-stream" if mime in NEVER_INLINE else mime
    response = FileResponse(
        handle, as_attachment=not inline, filename=filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
