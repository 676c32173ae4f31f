"""Generated files (an export to Excel or PDF) as downloads."""

from __future__ import annotations

from django.http import HttpResponse


def attachment(data: bytes, filename: str, content_type: str) -> HttpResponse:
    """``data`` as a file to save under ``filename``, never shown or guessed at by the browser."""
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
