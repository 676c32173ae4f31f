"""Admin pages that write through the app's services, the one write path of each record.

A ``ServiceAdminMixin`` admin validates its form as usual (the version check of
``VersionCheckedAdminMixin`` included), then hands the cleaned values to the app's create or
update service instead of saving the model itself; the service checks its permission and rules
again. Inlines of such an admin are shown read-only: their rows change on the portal's pages.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpResponseRedirect


class ServiceAdminMixin:
    """``create(request, form)`` and ``update(request, obj, form)`` call the services and return
    the saved record; the services save the many-to-many fields too."""

    def create(self, request, form) -> models.Model:  # pragma: no cover - each admin defines it
        raise NotImplementedError

    def update(self, request, obj, form) -> models.Model:  # pragma: no cover
        raise NotImplementedError

    @staticmethod
    def cleaned(form, names: frozenset[str]) -> dict[str, Any]:
        """The form's values of the fields ``names`` that the admin form has."""
        return {name: form.cleaned_data[name] for name in names if name in form.cleaned_data}

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # A service's refusal the form could not foresee (a term overlapping another, a name
        # taken at the same moment): the admin's transaction is rolled back and the page says
        # why, instead of a server error.
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return HttpResponseRedirect(request.get_full_path())

    def save_model(self, request, obj, form, change) -> None:
        if change:
            self.update(request, obj, form)
            return
        saved = self.create(request, form)
        # The admin goes on with ``obj`` (its log entry, its redirect): make it the saved row.
        obj.pk, obj.lock_version = saved.pk, saved.lock_version
        obj._state.adding, obj._state.db = False, saved._state.db

    def save_related(self, request, form, formsets, change) -> None:
        # The service saved the many-to-many fields; the inlines are read-only.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)


class ReadOnlyInlineMixin:
    """An inline shown for reference: its rows are kept on the portal's own pages."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
