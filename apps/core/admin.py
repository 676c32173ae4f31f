from django.contrib import admin
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from .concurrency import StaleEditError, VersionedFormMixin, check_version, lock_for_edit
from .forms import BEDateField, BEDateInput

admin.site.site_header = _("KM Portal administration")
admin.site.site_title = _("KM Portal")
admin.site.index_title = _("Administration")


class BEDateAdminMixin:
    """Admin forms read and show dates in B.E., like every other form in the portal."""

    formfield_overrides = {
        models.DateField: {"form_class": BEDateField, "widget": BEDateInput},
    }


class AdminVersionCheck(VersionedFormMixin):
    """An admin change form that refuses to overwrite a record saved after the administrator
    opened it. The check runs in ``clean``: the admin's change view validates and saves inside
    one transaction, so the row stays locked until the admin's own save."""

    def clean(self):
        cleaned = super().clean()
        if self._versioned and self.instance.pk is not None:
            expected = self.expected_version
            try:
                if transaction.get_connection().in_atomic_block:
                    lock_for_edit(self.instance, expected_version=expected)
                else:
                    model = self.instance._meta.model
                    current = model._base_manager.filter(pk=self.instance.pk).first()
                    check_version(current, expected_version=expected)
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
        return type(form.__name__, (AdminVersionCheck, form), {"__module__": form.__module__})
