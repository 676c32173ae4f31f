"""The old helpers of the plans views, now thin calls of the core ones (``apps.core.permissions``,
``apps.core.views.forms``, ``apps.core.views.downloads``).

The plans views no longer use this module; it stays only for ``apps/meetings/views.py``, which
still imports it, and goes once that imports the core helpers directly.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse

from apps.core import permissions
from apps.core.views.downloads import attachment
from apps.core.views.forms import nothing_saved


def require(request, perm: str, obj: Any = None) -> None:
    """``apps.core.permissions.require`` for the request's person."""
    permissions.require(request.user, perm, obj)


require_to_edit = permissions.require_to_edit
invalid = nothing_saved


def service_error(request, error: ValidationError, form=None) -> None:
    """A service's refusal above the form (never on a field) and as a message."""
    text = " ".join(error.messages)
    if form is not None:
        form.add_error(None, text)
    messages.error(request, text)


def download(data: bytes, filename: str, content_type: str) -> HttpResponse:
    """``apps.core.views.downloads.attachment``."""
    return attachment(data, filename, content_type)
