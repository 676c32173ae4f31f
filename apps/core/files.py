"""Stored files, one way for every app: generated names on disk, and downloads through a view.

Uploads keep their original (often Thai) name in the database and are stored under a random
name, so nothing on disk depends on what the uploader called the file. Downloads go through the
app's permission check and then :func:`serve`, which never lets a browser render active content
(HTML, SVG, XML) from the portal's origin.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
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


@contextmanager
def atomic_with_files() -> Iterator[list]:
    """A transaction for a write that stores files. The block appends ``(storage, name)`` for
    each file it writes to the list it is given; if the transaction does not commit, those
    files are deleted again, so a refused or failed write leaves nothing on disk.

    Once the transaction has committed, the files belong to committed rows and stay, whatever
    fails afterwards: an on-commit hook (the search index update) cut short by the web
    server's worker timeout must not leave a saved document whose file is gone.
    """
    written: list = []
    committed = False

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
