"""The lists behind the dashboard's figures: ``/dashboard/list/<kind>/?year=…&team=…&step=…``
plus the figure's own filters (a status, a month, a group …).

Each list filters the same :class:`~apps.dashboard.scope.Scope` queryset the figure counted, so
the list is exactly what the number says. Filters are checked by a form; a bad one is reported
and lists nothing rather than something else.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from apps.core.forms import PortalForm
from apps.core.thaidates import format_month
from apps.knowledge.models import Status
from apps.plans.models import ActivityStatus, DesiredState, FocusArea
from apps.teams.models import Team

from .figures import WORKING
from .scope import Scope, local_range, next_month

NONE = "none"


class KeyField(forms.CharField):
    """A record's number, or ``none`` for "without one"."""

    default_error_messages = {"invalid": _("Enter a number or “none”.")}

    def __init__(self, *args, model=None, **kwargs):
        self.model = model  # to name the record in the list's heading
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        value = super().to_python(value).strip()
        if not value:
            return None
        if value == NONE:
            return NONE
        if not value.isdigit() or len(value) > 12:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return int(value)


class MonthField(forms.CharField):
    """A month as ``YYYY-MM`` (C.E., as in the links the dashboard makes)."""

    default_error_messages = {"invalid": _("Enter a month as YYYY-MM.")}

    def to_python(self, value):
        value = super().to_python(value).strip()
        if not value:
            return None
        match = re.fullmatch(r"(\d{4})-(\d{2})", value)
        if not match or not 1 <= int(match[2]) <= 12 or not 1900 <= int(match[1]) <= 2200:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return dt.date(int(match[1]), int(match[2]), 1)


def _month_range(field: str, month: dt.date) -> Q:
    return local_range(field, month, next_month(month))


def _key_filter(field: str, key) -> Q:
    return Q(**{f"{field}__isnull": True}) if key == NONE else Q(**{f"{field}_id": key})


# --- Activities ----------------------------------------------------------------------------------
class ActivityFilters(PortalForm):
    status = forms.ChoiceField(label=_("Status"), choices=ActivityStatus.choices, required=False)
    late = forms.BooleanField(label=_("Late"), required=False)
    unreported = forms.BooleanField(label=_("Not reported this quarter"), required=False)
    cm = forms.BooleanField(label=_("Change management"), required=False)
    area = KeyField(label=_("KM focus area"), required=False, model=FocusArea)
    state = KeyField(label=_("Desired state"), required=False, model=DesiredState)
    by_team = KeyField(label=_("Responsible team"), required=False, model=Team)


def activity_records(scope: Scope, filters: dict) -> QuerySet:
    """The plan's activities behind a figure, narrowed by the list's own ``filters``."""
    records = scope.activities().select_related("team", "desired_state").order_by("order", "pk")
    if filters.get("status"):
        records = records.filter(status=filters["status"])
    if filters.get("late"):
        records = records.filter(scope.late_filter())
    if filters.get("unreported"):
        records = records.filter(scope.unreported_filter())
    if filters.get("cm"):
        records = records.filter(km_step="")
    if filters.get("area"):
        records = records.filter(_key_filter("desired_state__focus_area", filters["area"]))
    if filters.get("state"):
        records = records.filter(_key_filter("desired_state", filters["state"]))
    if filters.get("by_team"):
        records = records.filter(_key_filter("team", filters["by_team"]))
    return records


# --- Knowledge sets ------------------------------------------------------------------------------
class SetFilters(PortalForm):
    status = forms.ChoiceField(
        label=_("Stage"),
        choices=[*Status.choices, ("working", _("Being written or reviewed"))],
        required=False,
    )
    group = KeyField(label=_("Group"), required=False, model=Team)
    overdue = forms.BooleanField(label=_("Past the review date"), required=False)
    published = MonthField(label=_("First published in"), required=False)


def set_records(scope: Scope, filters: dict) -> QuerySet:
    """The knowledge sets behind a figure, narrowed by the list's own ``filters``."""
    records = scope.knowledge_sets().select_related("published_version", "group")
    if filters.get("status") == "working":
        records = records.filter(status__in=WORKING)
    elif filters.get("status"):
        records = records.filter(status=filters["status"])
    if filters.get("group"):
        records = records.filter(_key_filter("group", filters["group"]))
    if filters.get("overdue"):
        records = records.filter(scope.review_overdue_filter())
    if filters.get("published"):
        records = records.filter(
            _month_range("versions__published_at", filters["published"]), versions__number=1
        )
    return records.order_by("-updated_at", "-pk")


# --- Documents -----------------------------------------------------------------------------------
class DocumentFilters(PortalForm):
    month = MonthField(label=_("Added in"), required=False)


def document_records(scope: Scope, filters: dict) -> QuerySet:
    """The documents behind a figure, narrowed by the list's own ``filters``."""
    records = scope.documents().select_related("category")
    if filters.get("month"):
        records = records.filter(_month_range("created_at", filters["month"]))
    return records.order_by("-created_at", "-pk")


@dataclass(frozen=True)
class DrillList:
    title: Any
    filters: type[forms.Form]
    records: Callable[[Scope, dict], QuerySet]
    template: str


LISTS = {
    "activities": DrillList(
        _("Activities"),
        ActivityFilters,
        activity_records,
        "dashboard/includes/list_activities.html",
    ),
    "sets": DrillList(
        _("Knowledge sets"), SetFilters, set_records, "dashboard/includes/list_sets.html"
    ),
    "documents": DrillList(
        _("Documents"), DocumentFilters, document_records, "dashboard/includes/list_documents.html"
    ),
}


def describe(form: forms.Form) -> list[tuple[Any, str]]:
    """The filters in force, as (label, value) for the page's heading."""
    described = []
    for name, value in form.cleaned_data.items():
        if value in (None, "", False):
            continue
        field = form.fields[name]
        if isinstance(field, forms.ChoiceField):
            shown = str(dict(field.choices).get(value, value))
        elif isinstance(field, MonthField):
            shown = format_month(value)
        elif value is True:
            shown = str(_("yes"))
        elif value == NONE:
            shown = str(_("none"))
        elif getattr(field, "model", None) is not None:
            record = field.model.objects.filter(pk=value).first()
            shown = str(record) if record is not None else str(value)
        else:
            shown = str(value)
        described.append((field.label, shown))
    return described
