"""The dashboard's filters: fiscal year, team and KM step."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.choices import KMStep
from apps.core.forms import PortalForm
from apps.core.thaidates import fiscal_year
from apps.teams.models import Team


class DashboardFilterForm(PortalForm):
    year = forms.TypedChoiceField(label=_("Fiscal year"), coerce=int, required=False)
    team = forms.ModelChoiceField(
        label=_("Team"),
        queryset=Team.objects.order_by("order", "name"),
        required=False,
        empty_label=_("All teams"),
    )
    step = forms.ChoiceField(
        label=_("KM step"), choices=[("", _("All steps")), *KMStep.choices], required=False
    )

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(year, year) for year in years]
        # Unfiltered, the page shows the current fiscal year: the box must select it, not the
        # first (newest) choice, which is next year's once its draft plan exists.
        self.fields["year"].initial = fiscal_year()
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select form-select-sm"

    def scope_values(self) -> tuple[int, Team | None, str]:
        """(year, team, step) from the valid fields; an invalid one falls back to its default
        (the current fiscal year, all teams, all steps) and the form keeps its error to show."""
        cleaned = self.cleaned_data if self.is_bound else {}
        year = cleaned.get("year") or fiscal_year()
        if self.is_bound and cleaned.get("year") != year:
            # A missing or bad year falls back: the box shows the year used, not the first one.
            self.data = self.data.copy()
            self.data["year"] = str(year)
        return year, cleaned.get("team"), cleaned.get("step") or ""
