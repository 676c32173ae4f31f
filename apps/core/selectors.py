"""Reads for the audit page."""

import json
from dataclasses import dataclass
from typing import Any

from auditlog.models import LogEntry
from axes.models import AccessFailureLog, AccessLog
from django.core.exceptions import FieldDoesNotExist
from django.db.models import QuerySet


def audit_entries() -> QuerySet[LogEntry]:
    """Every recorded create, change and delete, newest first."""
    return LogEntry.objects.select_related("actor", "content_type").order_by("-timestamp", "-pk")


def recent_sign_ins(*, limit: int) -> list[AccessLog]:
    return list(AccessLog.objects.order_by("-attempt_time")[:limit])


def recent_failed_sign_ins(*, limit: int) -> list[AccessFailureLog]:
    return list(AccessFailureLog.objects.order_by("-attempt_time")[:limit])


@dataclass(frozen=True)
class ChangeRow:
    """One changed field of an update. ``kind`` is "value" (``before`` → ``after``), or "added" /
    "removed" for a many-to-many field, whose related objects are in ``after``."""

    label: str
    kind: str
    before: str = ""
    after: str = ""


def audit_change_rows(entry: LogEntry, *, limit: int = 6) -> tuple[list[ChangeRow], int]:
    """An update's changed fields, at most ``limit``, and how many more.

    Reads every shape django-auditlog stores: ``{field: [before, after]}`` for a field,
    ``{field: {"type": "m2m", "operation": "add"|"delete", "objects": [...]}}`` for a
    many-to-many field, values of any JSON type, fields and models that no longer exist.
    Creations and deletions list every field; the page shows them as the action alone.
    """
    if entry.action != LogEntry.Action.UPDATE:
        return [], 0
    changes = _stored_changes(entry)
    model = entry.content_type.model_class()
    rows = [_change_row(entry, model, field, change) for field, change in changes.items()]
    return rows[:limit], max(0, len(rows) - limit)


def _stored_changes(entry: LogEntry) -> dict[str, Any]:
    changes = entry.changes
    if not changes and entry.changes_text:  # entries written before auditlog 3 kept text
        try:
            changes = json.loads(entry.changes_text)
        except ValueError:
            return {}
    return changes if isinstance(changes, dict) else {}


def _change_row(entry: LogEntry, model, field_name: str, change: Any) -> ChangeRow:
    field = _field(model, field_name)
    label = str(getattr(field, "verbose_name", field_name))
    if isinstance(change, dict) and change.get("type") == "m2m":
        kind = "removed" if change.get("operation") == "delete" else "added"
        objects = change.get("objects") or []
        if not isinstance(objects, list):
            objects = [objects]
        return ChangeRow(label, kind, after=", ".join(_text(o) for o in objects))
    if isinstance(change, list | tuple) and len(change) == 2:
        before, after = (_display(entry, field, field_name, value) for value in change)
        return ChangeRow(label, "value", before, after)
    # Not a pair (a hand-made or damaged entry): show what is stored as the new value.
    if isinstance(change, list | tuple):
        return ChangeRow(label, "value", after=", ".join(_text(v) for v in change))
    return ChangeRow(label, "value", after=_text(change))


def _field(model, field_name: str):
    if model is None:
        return None
    try:
        return model._meta.get_field(field_name)
    except FieldDoesNotExist:
        return None


def _display(entry: LogEntry, field, field_name: str, value: Any) -> str:
    """A stored value as auditlog shows it (choice labels, related objects' names, local dates),
    or as stored when auditlog cannot read it."""
    if field is None or value is None or not isinstance(value, str):
        return _text(value)
    probe = LogEntry(content_type=entry.content_type, changes={field_name: [value]})
    shown = list(probe.changes_display_dict.values())
    if shown and isinstance(shown[0], list) and shown[0]:
        # auditlog shows a choice it no longer knows as "None"; keep the stored value then
        return _text(shown[0][0]) or _text(value)
    return _text(value)


def _text(value: Any) -> str:
    if value is None or value == "None":
        return ""
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)
