from __future__ import annotations

from django import forms
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.core.concurrency import VersionedFormMixin
from apps.core.forms import BEDateField, BEModelForm, PersonField, PortalForm, StoredFileInput
from apps.core.text import is_blank, strip_invisible
from apps.core.uploads import check_scan

from .models import AppointmentOrder, Membership, Role, Team
from .selectors import duties_by_role
from .services import ORDER_SCAN_MAX_BYTES, overlap_error

MAX_DUTIES = 30  # duties of one role in one team


class TeamForm(BEModelForm):
    class Meta:
        model = Team
        fields = ["name", "kind", "parent", "topic", "description", "order", "is_active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # A team cannot be part of itself.
            self.fields["parent"].queryset = Team.objects.exclude(pk=self.instance.pk)

    def team_fields(self) -> dict:
        """The team's fields, for ``team_create`` / ``team_update``."""
        return {name: self.cleaned_data[name] for name in self._meta.fields}


class MembershipForm(BEModelForm):
    person = PersonField(label=_("Person"))

    class Meta:
        model = Membership
        fields = ["person", "role", "start_date", "end_date", "order", "note"]

    def __init__(self, *args, team: Team, **kwargs):
        super().__init__(*args, **kwargs)
        self.team = team
        self.fields["order"].queryset = AppointmentOrder.objects.all()
        if self.instance.pk:
            # Who holds a term does not change; end it and add another instead.
            self.fields["person"].disabled = True

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        person, role = cleaned.get("person"), cleaned.get("role")
        if start and end and end < start:
            self.add_error("end_date", _("The term cannot end before it starts."))
        if start and person and role and not self.errors:
            overlapping = Membership.objects.overlapping(
                person=person,
                team=self.team,
                role=role,
                start=start,
                end=end,
                exclude=self.instance.pk,
            )
            if overlapping.exists():
                raise overlap_error(person)
        return cleaned

    def membership_fields(self) -> dict:
        """The term's fields, for ``membership_add`` / ``membership_update``."""
        return {name: self.cleaned_data[name] for name in self._meta.fields}


class EndTermForm(PortalForm):
    """Close a term on a given day (today by default)."""

    end_date = BEDateField(label=_("Last day of the term"))

    def __init__(self, *args, membership: Membership, **kwargs):
        super().__init__(*args, **kwargs)
        self.membership = membership

    def clean_end_date(self):
        end = self.cleaned_data["end_date"]
        if end < self.membership.start_date:
            raise forms.ValidationError(_("The term cannot end before it starts."))
        return end


class DutiesForm(VersionedFormMixin, PortalForm):
    """One text box per role; each line is one duty. ``record`` is the team."""

    def __init__(self, *args, duties: dict[str, list[str]], **kwargs):
        super().__init__(*args, **kwargs)
        for role, label in Role.choices:
            self.fields[role] = forms.CharField(
                label=label,
                required=False,
                widget=forms.Textarea(attrs={"rows": 4}),
                initial="\n".join(duties.get(role, [])),
                help_text=_("One duty per line."),
            )

    @staticmethod
    def _lines(text: str) -> list[str]:
        return [strip_invisible(line) for line in text.splitlines() if not is_blank(line)]

    def form_for(self, team: Team) -> DutiesForm:
        return DutiesForm(duties=duties_by_role(team), record=team)

    def duties(self) -> dict[str, list[str]]:
        return {role: self._lines(self.cleaned_data[role]) for role in Role.values}

    def clean(self):
        cleaned = super().clean()
        for role in Role.values:
            lines = self._lines(cleaned.get(role) or "")
            if len(lines) > MAX_DUTIES:
                self.add_error(
                    role,
                    _("Give at most %(limit)s duties for a role (%(count)s were given).")
                    % {"limit": MAX_DUTIES, "count": len(lines)},
                )
            elif any(len(line) > 500 for line in lines):
                self.add_error(role, _("A duty can be at most 500 characters long."))
        return cleaned


class AppointmentOrderForm(BEModelForm):
    scan = forms.FileField(
        label=_("Signed scan"),
        required=False,
        help_text=_("PDF or image, at most 20 MB."),
        widget=StoredFileInput(attrs={"accept": "application/pdf,image/*"}),
    )

    class Meta:
        model = AppointmentOrder
        fields = ["number", "year", "issued_on", "subject", "issuing_office", "teams", "scan"]
        widgets = {"teams": forms.CheckboxSelectMultiple, "subject": forms.TextInput}
        help_texts = {"year": _("In the Buddhist Era, e.g. 2551.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            self.fields["issuing_office"].initial = settings.KM_ORGANISATION_NAME
        elif self.instance.scan:
            widget = self.fields["scan"].widget
            widget.download_url = reverse("teams:order_scan", args=[self.instance.pk])
            widget.download_name = self.instance.scan_filename

    def clean_year(self):
        year = self.cleaned_data["year"]
        if not 2400 <= year <= 2700:
            raise forms.ValidationError(_("Give the year in the Buddhist Era, e.g. 2551."))
        return year

    def clean_scan(self):
        scan = self.cleaned_data.get("scan")
        if scan and scan is not self.initial.get("scan") and hasattr(scan, "content_type"):
            check_scan(scan, max_bytes=ORDER_SCAN_MAX_BYTES)
        return scan

    def appointment_fields(self) -> dict:
        """The order's own fields, for ``order_create`` / ``order_update`` (its teams and scan
        travel separately)."""
        return {
            name: self.cleaned_data[name]
            for name in self._meta.fields
            if name not in {"teams", "scan"}
        }

    def new_scan(self):
        """The scan uploaded with this form, if any (not the one the order had)."""
        scan = self.cleaned_data.get("scan")
        return scan if scan and scan is not self.initial.get("scan") else None

    def cleared_scan(self) -> bool:
        """Whether "clear" was ticked for the order's scan."""
        return self.cleaned_data.get("scan") is False
