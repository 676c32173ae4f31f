from django.contrib import admin
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from .concurrency import (
    DIGEST_FIELD,
    StaleEditError,
    VersionedFormMixin,
    _hash,
    _parse_digest,
    check_version,
    lock_for_edit,
)
from .forms import BEDateField, BEDateInput
from .models import VersionedModel

admin.site.site_header = _("KM Portal administration")
admin.site.site_title = _("KM Portal")
admin.site.index_title = _("Administration")


class BEDateAdminMixin:
    """Admin forms read and show dates in B.E., like every other form in the portal."""

    formfield_overrides = {
        models.DateField: {"form_class": BEDateField, "widget": BEDateInput},
    }


def _thai_audit_admin() -> None:
    """django-auditlog's change list writes some things in English whatever the language: the
    "Correlation ID" heading, "3 changes: title, status", "system" and the record types' raw
    model names; this subclass says them in Thai."""
    from auditlog.admin import LogEntryAdmin  # registers LogEntry
    from auditlog.filters import CIDFilter, ResourceTypeFilter
    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType
    from django.utils.text import capfirst
    from django.utils.translation import ngettext

    class RecordTypeFilter(ResourceTypeFilter):
        def lookups(self, request, model_admin):
            ids = model_admin.get_queryset(request).values_list("content_type_id", flat=True)
            types = ContentType.objects.filter(pk__in=ids.distinct())
            return sorted(((t.pk, capfirst(t.name)) for t in types), key=lambda pair: pair[1])

    class AuditLogEntryAdmin(LogEntryAdmin):
        list_filter = ["action", RecordTypeFilter, CIDFilter]

        @admin.display(description=_("Changes"))
        def msg_short(self, obj):
            if obj.action in (LogEntry.Action.DELETE, LogEntry.Action.ACCESS):
                return ""
            changes = obj.changes if isinstance(obj.changes, dict) else {}
            fields = ", ".join(changes)
            if len(fields) > 60:
                fields = fields[: max(fields.rfind(" ", 0, 60), 0)] + " …"
            return ngettext(
                "%(count)s field: %(fields)s", "%(count)s fields: %(fields)s", len(changes)
            ) % {"count": len(changes), "fields": fields}

        @admin.display(description=_("User"))
        def user_url(self, obj):
            return super().user_url(obj) if obj.actor else _("system")

        @admin.display(description=_("Correlation ID"))
        def cid_url(self, obj):
            return super().cid_url(obj)

    admin.site.unregister(LogEntry)
    admin.site.register(LogEntry, AuditLogEntryAdmin)


_thai_audit_admin()
ROWS = "rows:"  # digest entries for the rows the change form edits inline


class AdminVersionCheck(VersionedFormMixin):
    """An admin change form that refuses to overwrite a record saved after the administrator
    opened it, or rows of it (its inlines) changed since. The check runs in ``clean``: the
    admin's change view validates and saves inside one transaction, so the row stays locked
    until the admin's own save."""

    # (model, foreign key name) of each versioned inline; set by ``VersionCheckedAdminMixin``.
    inline_rows: tuple = ()

    def field_digest(self) -> str:
        digest = super().field_digest()
        target = self.versioned_record()
        if target is None or target.pk is None:
            return digest
        for model, fk_name in self.inline_rows:
            rows = model._base_manager.filter(**{fk_name: target.pk}).values_list(
                "pk", "lock_version"
            )
            name = f"{ROWS}{model._meta.label}"
            digest += f",{name}={_hash(name, [f'{pk}:{version}' for pk, version in rows])}"
        return digest

    def _rows_changed(self) -> bool:
        shown = _parse_digest(self.cleaned_data.get(DIGEST_FIELD) or "")
        now = _parse_digest(self._take_snapshot()[1])
        return bool(shown) and any(
            shown.get(name) != digest for name, digest in now.items() if name.startswith(ROWS)
        )

    def clean(self):
        cleaned = super().clean()
        if self._versioned and self.instance.pk is not None:
            expected = self.expected_version
            try:
                if transaction.get_connection().in_atomic_block:
                    current = lock_for_edit(self.instance, expected_version=expected)
                else:
                    model = self.instance._meta.model
                    current = model._base_manager.filter(pk=self.instance.pk).first()
                    check_version(current, expected_version=expected)
                if expected is not None and self._rows_changed():
                    raise StaleEditError(current)
            except StaleEditError as conflict:
                self.show_conflict(conflict)
        return cleaned


class VersionCheckedAdminMixin:
    """For the admin of a shared record: its change form carries the version it showed (hidden
    fields at the top of the form) and a save based on an older one is refused."""

    change_form_template = "admin/versioned_change_form.html"

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if issubclass(form, AdminVersionCheck):
            return form
        rows = tuple(
            (inline.model, _fk_name(self.model, inline))
            for inline in self.get_inline_instances(request, obj)
            if issubclass(inline.model, VersionedModel)
        )
        attrs = {"__module__": form.__module__, "inline_rows": rows}
        return type(form.__name__, (AdminVersionCheck, form), attrs)


def _fk_name(parent, inline) -> str:
    from django.forms.models import _get_foreign_key

    return _get_foreign_key(parent, inline.model, fk_name=inline.fk_name).name
