"""Stored files, one way for every app: generated names on disk, and downloads through a view.

Uploads keep their original (often Thai) name in the database and are stored under a random
name, so nothing on disk depends on what the uploader called the file. Downloads go through the
app's permission check and then :func:`serve`, which never lets a browser render active content
(HTML, SVG, XML) from the portal's origin.
"""

from __future__ import annotations

import uuid
from pathlib import PurePosixPath

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
