"""Optimistic concurrency: a save made from a page that is out of date is refused, never applied.

Every shared record is a ``VersionedModel`` whose ``lock_version`` goes up with each save. The
pieces, used by every edit path:

- Forms (``VersionedFormMixin``, part of every ``BEModelForm``): two hidden fields carry the
  version the page showed and a digest of each field's value then. ``form.expected_version`` is
  what the view hands to the service.
- Services (``lock_for_edit``, ``check_version``): inside the service's transaction the row is
  re-read and locked, and ``StaleEditError`` is raised if someone saved it after that version.
  Two people saving from the same version: exactly one save wins, the other is refused.
- Views (``form.show_conflict``): the refused form is shown again with the person's own input,
  what the other person changed (field by field, with the new values) and the new version, so a
  second save is a deliberate choice to replace their changes.

A save that moved the version without touching anything this form edits (a workflow step, a new
attachment, a sign-in) is no conflict: the digest shows every field of the form is as the page
showed it, so the edit counts as made on the present version.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django import forms
from django.db import models
from django.db.models import F
from django.utils.translation import gettext as _

from .models import VersionedModel

VERSION_FIELD = "lock_version"
DIGEST_FIELD = "lock_digest"
TOKEN_FIELDS = frozenset({VERSION_FIELD, DIGEST_FIELD})
# A value longer than this is shown folded (a knowledge set's body, minutes' discussion).
LONG_VALUE = 160


# --- Services ------------------------------------------------------------------------------------
class StaleEditError(Exception):
    """Someone saved the record after the version a change was based on; nothing was changed.

    ``current`` is the record as it is now (None when it is gone).
    """

    def __init__(self, current: models.Model | None):
        self.current = current
        super().__init__(stale_message(current))


def check_version(current: models.Model | None, *, expected_version: int | None) -> None:
    """Raise ``StaleEditError`` unless ``current`` (already locked) is at ``expected_version``.

    ``expected_version=None`` means the caller did not say (a script, the demo data): nothing is
    checked. ``0`` means the page showed no record yet (minutes not written, a quarter without a
    summary), so any record now there is someone else's.
    """
    if expected_version is None or current is None:
        return
    if current.lock_version != expected_version:
        raise StaleEditError(current)


def lock_for_edit(record: VersionedModel, *, expected_version: int | None) -> VersionedModel:
    """``record`` re-read and locked for the rest of the transaction, checked against
    ``expected_version``. The copy in hand takes the row's version, so its save counts on."""
    model = record._meta.model  # not type(): request.user is a lazy proxy
    current = model._base_manager.select_for_update().filter(pk=record.pk).first()
    if current is None:
        raise StaleEditError(None)
    check_version(current, expected_version=expected_version)
    record.lock_version = current.lock_version
    return current


def lock_rows(
    model: type[VersionedModel], expected_versions: Mapping[Any, int | None]
) -> dict[Any, VersionedModel]:
    """Lock several rows of one model (the rows of a formset) and check each one's version."""
    rows = model._base_manager.select_for_update().in_bulk(list(expected_versions))
    for pk, expected in expected_versions.items():
        if pk not in rows:
            raise StaleEditError(None)
        check_version(rows[pk], expected_version=expected)
    return rows


def bump_version(record: VersionedModel) -> None:
    """Count a change made through the record's relations (its reviewers, its duties, a row of
    a plan), so that pages showing the record before it are out of date too."""
    record._meta.model._base_manager.filter(pk=record.pk).update(lock_version=F("lock_version") + 1)
    record.lock_version += 1


def last_change(record: models.Model | None) -> tuple[Any, Any]:
    """(who, when) of the latest recorded change of ``record``, from the audit trail."""
    if record is None:
        return None, None
    from auditlog.models import LogEntry

    entry = LogEntry.objects.get_for_object(record).select_related("actor").first()
    if entry is None:
        return None, getattr(record, "updated_at", None)
    return entry.actor, entry.timestamp


def stale_message(current: models.Model | None) -> str:
    """The message for a refused step or save (who changed the record, when)."""
    if current is None:
        return _("Someone else removed this record after you opened the page, so nothing was done.")
    from .thaidates import format_datetime

    who, when = last_change(current)
    if who is not None and when is not None:
        return _(
            "%(person)s changed this record (%(time)s) after you opened the page, so nothing "
            "was done. Look at it again, then try again."
        ) % {"person": who, "time": format_datetime(when)}
    return _(
        "Someone else changed this record after you opened the page, so nothing was done. "
        "Look at it again, then try again."
    )


def posted_version(data: Mapping[str, Any], prefix: str = "") -> int | None:
    """The version a POSTed page was showing (its hidden ``lock_version``), or None."""
    raw = data.get(f"{prefix}-{VERSION_FIELD}" if prefix else VERSION_FIELD, "")
    try:
        value = int(str(raw).strip())
    except ValueError:
        return None
    return value if value >= 0 else None


def sent_from_edit_page(data: Mapping[str, Any]) -> bool:
    """Whether a POST came from an edit page of a versioned record (it carries the hidden
    version, possibly with a formset's prefix): what it typed deserves to come back."""
    return any(key == VERSION_FIELD or key.endswith(f"-{VERSION_FIELD}") for key in data)


# --- Forms ---------------------------------------------------------------------------------------
def _canonical(value: Any) -> str:
    if isinstance(value, str):
        # A browser sends CRLF line ends, and Django strips what it cleans.
        return value.replace("\r\n", "\n").strip()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, (list, tuple, set, frozenset, models.QuerySet)):
        return "[" + ",".join(sorted(_canonical(item) for item in value)) + "]"
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)


def _hash(name: str, value: Any) -> str:
    return hashlib.sha256(f"{name}\0{_canonical(value)}".encode()).hexdigest()[:12]


def _parse_digest(text: str) -> dict[str, str]:
    pairs = (part.partition("=") for part in (text or "").split(",") if "=" in part)
    return {name: digest for name, _sep, digest in pairs}


@dataclass
class Change:
    """A field someone else changed: its label, its value now saved, and whether this person
    changed it too (then their own input stays in the form; otherwise the form takes the new
    value, so that saving again keeps both people's work)."""

    label: str
    value: str
    both: bool = False

    @property
    def long(self) -> bool:
        return len(self.value) > LONG_VALUE or "\n" in self.value


@dataclass
class Conflict:
    """What a refused form shows: who saved meanwhile, when, and the fields they changed."""

    changes: list[Change] = field(default_factory=list)
    saved_by: Any = None
    saved_at: Any = None
    removed: bool = False


class VersionedFormMixin:
    """Hidden ``lock_version`` and ``lock_digest`` fields for a form that edits a versioned
    record; inert for anything else.

    A ModelForm edits its ``instance``; a plain form passes ``record=`` (and builds its initial
    values from it). ``form_for(record)`` makes the same form, unbound, for another copy of the
    record; a form whose constructor needs more than its keyword arguments overrides it.
    Forms whose record may not exist yet (minutes, a quarter's summary) set
    ``guards_creation = True``: their page then says "no record yet" (version 0).
    """

    guards_creation = False

    def __new__(cls, *args, **kwargs):
        # Every keyword the form was made with (a subclass may take some before this __init__
        # sees them), to make the same form again for another copy of the record.
        form = super().__new__(cls)
        form._form_kwargs = {
            key: value
            for key, value in kwargs.items()
            if key not in {"data", "files", "initial", "instance", "record"}
        }
        return form

    def __init__(self, *args, **kwargs):
        record = kwargs.pop("record", None)
        super().__init__(*args, **kwargs)
        if record is not None:
            self.record = record
        self.edit_conflict: Conflict | None = None
        self._snapshot: tuple[int, str] | None = None
        target = self.versioned_record()
        self._versioned = target is not None and (target.pk is not None or self.guards_creation)
        if self._versioned:
            # Read lazily: the subclass's __init__ has not set its choices and initial values yet.
            self.fields[VERSION_FIELD] = forms.IntegerField(
                required=False, min_value=0, widget=forms.HiddenInput, initial=self._shown_version
            )
            self.fields[DIGEST_FIELD] = forms.CharField(
                required=False,
                max_length=4000,
                widget=forms.HiddenInput,
                initial=self._shown_digest,
            )

    def _take_snapshot(self) -> tuple[int, str]:
        """The record's version and digest as the form found it: taken before validation
        (which writes the person's input into a ModelForm's instance) or when first shown."""
        if self._snapshot is None:
            target = self.versioned_record()
            version = target.lock_version if target.pk is not None else 0
            self._snapshot = (version, self.field_digest())
        return self._snapshot

    def _shown_version(self) -> int:
        return self._take_snapshot()[0]

    def _shown_digest(self) -> str:
        return self._take_snapshot()[1]

    def full_clean(self):
        if self._versioned:
            self._take_snapshot()
        super().full_clean()
        # Out of ``cleaned_data``, which views and services take as the record's own fields.
        cleaned = getattr(self, "cleaned_data", None)
        if cleaned is not None:
            self._tokens = {name: cleaned.pop(name, None) for name in TOKEN_FIELDS}

    # The record and its digest ---------------------------------------------------------------
    def versioned_record(self) -> VersionedModel | None:
        record = getattr(self, "record", None)
        if record is None:
            record = getattr(self, "instance", None)
        return record if isinstance(record, VersionedModel) else None

    def form_for(self, record: VersionedModel):
        """The same form, unbound, showing ``record`` (to compare and show its values)."""
        if isinstance(self, forms.BaseModelForm):
            return type(self)(instance=record, **self._form_kwargs)
        return type(self)(record=record, **self._form_kwargs)

    def _edited_fields(self) -> Iterable[str]:
        return (name for name in self.fields if name not in TOKEN_FIELDS)

    def _shown_value(self, name: str) -> Any:
        bound = self[name]
        return bound.field.prepare_value(bound.initial)

    def field_digest(self) -> str:
        """One short hash per field of the value the form shows when unbound."""
        return ",".join(
            f"{name}={_hash(name, self._shown_value(name))}" for name in self._edited_fields()
        )

    # What the view asks -----------------------------------------------------------------------
    @property
    def expected_version(self) -> int | None:
        """The version this edit is based on, for the service (None: the page did not say).

        When the record was saved after the page was shown but none of this form's fields
        changed, the edit is as good as one made on the present version.
        """
        if not self._versioned:
            return None
        # While the form is still cleaning (an admin form's ``clean``) they are in cleaned_data.
        tokens = getattr(self, "_tokens", None) or getattr(self, "cleaned_data", {})
        posted = tokens.get(VERSION_FIELD)
        if posted is None:
            return None
        version_now, digest_now = self._take_snapshot()
        if posted != version_now:
            shown = tokens.get(DIGEST_FIELD) or ""
            if shown and _parse_digest(shown) == _parse_digest(digest_now):
                return version_now
        return posted

    def show_conflict(self, error: StaleEditError) -> None:
        """Keep the person's input, say what someone else changed, and carry the present
        version so that saving again replaces their changes on purpose."""
        current = error.current
        conflict = Conflict(removed=current is None)
        if current is None:
            self.add_error(None, stale_message(None))
            self.edit_conflict = conflict
            return
        fresh = self.form_for(current)
        shown = _parse_digest(self.data.get(self.add_prefix(DIGEST_FIELD), ""))
        theirs = _parse_digest(fresh.field_digest())
        data = self.data.copy()
        for name in fresh._edited_fields():
            if name not in self.fields or shown.get(name) == theirs.get(name):
                continue
            both = not shown or self._own_hash(name) != shown.get(name)
            if not both:
                self._take_value(data, name, fresh)
            conflict.changes.append(
                Change(
                    label=str(fresh[name].label or name),
                    value=display_value(fresh, name),
                    both=both,
                )
            )
        conflict.saved_by, conflict.saved_at = last_change(current)
        self.edit_conflict = conflict
        labels = ", ".join(change.label for change in conflict.changes)
        if labels:
            message = _(
                "Someone else saved this record while you were editing it (changed: "
                "%(fields)s), so nothing of yours was saved yet. Your input is kept below: "
                "check their changes, then save again."
            ) % {"fields": labels}
        else:
            message = _(
                "Someone else saved this record while you were editing it, so nothing of yours "
                "was saved yet. Your input is kept below: save again to keep it."
            )
        self.add_error(None, message)
        data[self.add_prefix(VERSION_FIELD)] = str(current.lock_version)
        data[self.add_prefix(DIGEST_FIELD)] = fresh.field_digest()
        self.data = data

    def _own_hash(self, name: str) -> str | None:
        """The digest of what this person sent for ``name`` (None if it did not validate)."""
        if name not in self.cleaned_data:
            return None
        return _hash(name, self.fields[name].prepare_value(self.cleaned_data[name]))

    def _take_value(self, data, name: str, fresh) -> None:
        """Put the value now saved for ``name`` into the form's data, as a browser would send it."""
        field_ = self.fields[name]
        if field_.disabled or isinstance(field_, forms.FileField):
            return
        key = self.add_prefix(name)
        value = fresh[name].value()
        if isinstance(field_, forms.BooleanField):
            if value:
                data[key] = "on"
            elif key in data:
                del data[key]
        elif getattr(field_.widget, "allow_multiple_selected", False):
            values = [_canonical(item) for item in (value or [])]
            if hasattr(data, "setlist"):
                data.setlist(key, values)
            else:
                data[key] = values
        elif isinstance(field_.widget, forms.widgets.ChoiceWidget):
            data[key] = _canonical(value)
        else:
            shown = field_.widget.format_value(value)
            data[key] = "" if shown is None else str(shown)


def display_value(form, name: str) -> str:
    """A field's value as the person would read it (choice labels, names, B.E. dates)."""
    bound = form[name]
    field_ = bound.field
    value = field_.prepare_value(bound.initial)
    if isinstance(field_, forms.BooleanField):
        return str(_("Yes") if value else _("No"))
    if isinstance(field_, forms.FileField):
        return str(getattr(value, "name", value) or "—")
    choices = getattr(field_, "choices", None)
    if choices is not None:
        labels: dict[str, str] = {}
        for key, label in choices:
            if isinstance(label, (list, tuple)):
                labels.update({str(k): str(v) for k, v in label})
            else:
                labels[str(getattr(key, "value", key))] = str(label)
        if isinstance(value, (list, tuple, set, models.QuerySet)):
            return ", ".join(labels.get(_canonical(item), _canonical(item)) for item in value)
        return labels.get(_canonical(value), _canonical(value)) if value not in (None, "") else ""
    if hasattr(field_.widget, "format_value") and not isinstance(value, str):
        shown = field_.widget.format_value(value)
        return "" if shown is None else str(shown)
    return "" if value is None else str(value)


def formset_versions(formset) -> dict[Any, int | None]:
    """pk → the version each existing row of a formset was shown at."""
    return {
        form.instance.pk: form.expected_version
        for form in formset.initial_forms
        if form.instance.pk is not None and isinstance(form, VersionedFormMixin)
    }


def show_formset_conflict(formset, error: StaleEditError) -> bool:
    """Show a refused row's conflict on its form; False when no form of the formset has it."""
    current = error.current
    for form in formset.initial_forms:
        if current is not None and form.instance.pk == current.pk:
            form.show_conflict(error)
            return True
    return False
