from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from .forms import BEDateField, BEDateInput

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
