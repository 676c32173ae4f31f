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
