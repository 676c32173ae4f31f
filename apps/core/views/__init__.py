"""Core views: the portal's own pages (``pages``) and the bases every app's views build on
(``forms``: form → service → message → redirect; ``apps.core.permissions``: 404 or 403)."""

from .pages import audit_trail, csrf_failure, home, server_error, set_language, storage_full
from .pickers import pick_people, pick_records

__all__ = [
    "audit_trail",
    "csrf_failure",
    "home",
    "pick_people",
    "pick_records",
    "server_error",
    "set_language",
    "storage_full",
]
