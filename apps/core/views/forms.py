"""The one shape of a page that changes something: bind the form, call one service with the
form's plain data, show the service's refusal (a stale edit, a rule) on the form with everything
typed kept, or say it is done and go on.

Every app's edit pages use ``ServiceFormView`` (or ``ServiceFormMixin`` with another generic
base); the service, never the view, decides whether the change is allowed and saves it.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView

from apps.core.concurrency import StaleEditError

NOTHING_SAVED = _("Nothing was saved. Please correct the errors below.")


def nothing_saved(request) -> None:
    """The message shown above a form that was refused."""
    messages.error(request, NOTHING_SAVED)


def show_service_error(
    request, error: ValidationError, form=None, *, field: str | None = None
) -> None:
    """A service's refusal: on the form (its fields where it names them, else on ``field`` or
    above the form) and as a message."""
    if form is not None:
        if hasattr(error, "error_dict"):
            for name, errors in error.error_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            form.add_error(field if field in form.fields else None, error)
    messages.error(request, " ".join(error.messages))


class ServiceFormMixin:
    """``form_valid`` calls ``perform(form)`` (which calls one service with plain data and
    returns what it saved); a ``StaleEditError`` shows the other person's change on the form, a
    ``ValidationError`` the reason; otherwise ``success_message`` and a redirect to
    ``get_success_url()`` (which may use ``self.saved``)."""

    success_message: Any = ""
    saved: Any = None
    # The field a refusal that names none belongs to (the files of an upload), if not the form.
    error_field: str | None = None

    def perform(self, form) -> Any:  # pragma: no cover - every view defines it
        raise NotImplementedError

    def get_success_message(self) -> str:
        return str(self.success_message)

    def form_valid(self, form) -> HttpResponse:
        try:
            self.saved = self.perform(form)
        except StaleEditError as conflict:
            form.show_conflict(conflict)
            return self.render_to_response(self.get_context_data(form=form))
        except ValidationError as error:
            show_service_error(self.request, error, form, field=self.error_field)
            return self.render_to_response(self.get_context_data(form=form))
        message = self.get_success_message()
        if message:
            messages.success(self.request, message)
        return HttpResponseRedirect(self.get_success_url())

    def form_invalid(self, form) -> HttpResponse:
        nothing_saved(self.request)
        return super().form_invalid(form)

    def get_success_url(self) -> str:
        if self.success_url:
            return str(self.success_url)
        return self.saved.get_absolute_url()


class ServiceFormView(ServiceFormMixin, FormView):
    """A ``FormView`` whose valid form goes to one service (see ``ServiceFormMixin``)."""
