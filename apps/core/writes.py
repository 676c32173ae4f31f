"""Small pieces every app's services share."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def checked_fields(fields: Mapping[str, Any], allowed: frozenset[str]) -> dict[str, Any]:
    """``fields`` as a dict, refused (``TypeError``, a bug in the caller) when it names a field
    the service does not let its callers set (a status, a reviewer, a version)."""
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"fields that cannot be set here: {sorted(unknown)}")
    return dict(fields)
