"""One answer everywhere for what a person may not open or do.

- A record the person may not *open* answers 404, as if it did not exist: a 403 would tell them
  it does (a draft's title in the URL, a team-only document's number).
- A record they may open but not *act on* (edit, approve, delete) answers 403 with the Thai
  "not allowed" page.

Views use ``require`` (an action) and ``visible_or_404`` (a record); class views use
``ObjectPermissionMixin`` (a record) or ``PagePermissionMixin`` (a list, a new record).
Services check the same rules again on their own (see each app's ``services``): the view's
check only chooses the answer page.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404
from django.shortcuts import get_object_or_404
from rules.contrib.views import PermissionRequiredMixin


def require(user, perm: str, obj: Any = None) -> None:
    """Refuse with 403 unless ``user`` has ``perm`` (for ``obj``)."""
    if not user.has_perm(perm, obj):
        raise PermissionDenied


def require_visible(user, perm: str, obj: Any) -> None:
    """Refuse with 404 unless ``user`` may open ``obj`` (``perm`` is its view rule)."""
    if not user.has_perm(perm, obj):
        raise Http404


def visible_or_404(queryset: type[models.Model] | models.QuerySet, user, perm: str, **lookup):
    """The record ``lookup`` finds, if ``user`` may open it (``perm``); else 404 either way."""
    obj = get_object_or_404(queryset, **lookup)
    require_visible(user, perm, obj)
    return obj


class ObjectPermissionMixin:
    """For a ``SingleObjectMixin`` view: 404 unless the person may open the object
    (``view_permission``), then 403 unless they may do this page's action
    (``permission_required``, optional)."""

    view_permission: str = ""
    permission_required: str = ""

    def get_object(self, queryset=None):
        obj = super().get_object(queryset)
        if self.view_permission:
            require_visible(self.request.user, self.view_permission, obj)
        if self.permission_required:
            require(self.request.user, self.permission_required, obj)
        return obj


class PagePermissionMixin(PermissionRequiredMixin):
    """For a page that is no one record (a list, a "new" form): 403 unless the person has
    ``permission_required``. The anonymous never get this far (the sign-in middleware)."""

    raise_exception = True
