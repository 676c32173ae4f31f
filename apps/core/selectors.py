"""Reads for the audit page."""

from auditlog.models import LogEntry
from axes.models import AccessFailureLog, AccessLog
from django.db.models import QuerySet


def audit_entries() -> QuerySet[LogEntry]:
    """Every recorded create, change and delete, newest first."""
    return LogEntry.objects.select_related("actor", "content_type").order_by("-timestamp", "-pk")


def recent_sign_ins(*, limit: int) -> list[AccessLog]:
    return list(AccessLog.objects.order_by("-attempt_time")[:limit])


def recent_failed_sign_ins(*, limit: int) -> list[AccessFailureLog]:
    return list(AccessFailureLog.objects.order_by("-attempt_time")[:limit])


def audit_change_rows(entry: LogEntry, *, limit: int = 6) -> tuple[list[tuple[str, str, str]], int]:
    """An update's changed fields as (label, before, after), at most ``limit``, and how many more.

    Creations and deletions list every field; the page shows them as the action alone.
    """
    if entry.action != LogEntry.Action.UPDATE:
        return [], 0
    rows = [(field, *values) for field, values in entry.changes_display_dict.items()]
    return rows[:limit], max(0, len(rows) - limit)
