"""Forms of the yearly plan and of progress reports."""

from __future__ import annotations

import dataclasses
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core import steps
from apps.core.choices import KMStep
from apps.core.concurrency import VersionedFormMixin
from apps.core.forms import (
    BEModelForm,
    MultipleFileField,
    PeopleField,
    PortalForm,
    RecordLinksTextarea,
    active_people,
)
from apps.core.thaidates import fiscal_year, fiscal_year_range, format_date_long

from ..evidence import EVIDENCE_MAX_BYTES, EVIDENCE_MAX_FILES, EVIDENCE_MAX_LINKS, evidence_type
from ..models import (
    Activity,
    ActivityStatus,
    ChangeElement,
    DesiredState,
    FocusArea,
    KnowledgeNeed,
    Plan,
    ProgressReport,
)
from ..services.plans import (
    ActivityData,
    DesiredStateData,
    FocusAreaData,
    KnowledgeNeedData,
    PartData,
    PlanData,
)
from ..services.progress import ReportData


def data_from(data_class: type, cleaned: dict[str, Any]) -> Any:
    """The service's plain data (a dataclass) from a form's cleaned data, field by field."""
    names = [field.name for field in dataclasses.fields(data_class)]
    return data_class(**{name: cleaned[name] for name in names if name in cleaned})


def people_field(label, *, required: bool, help_text=""):
    return PeopleField(
        label=label,
        queryset=active_people(),
        required=required,
        help_text=help_text,
    )


# --- The plan itself -----------------------------------------------------------------------------
class PlanForm(BEModelForm):
    copy_previous = forms.BooleanField(
        label=_("Carry over the inventory, focus areas and desired states of the latest plan"),
        required=False,
    )

    class Meta:
        model = Plan
        fields = ["fiscal_year", "title", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # A plan's year is its identity (and its address); it never changes.
            self.fields["fiscal_year"].disabled = True
            del self.fields["copy_previous"]
        else:
            year = fiscal_year() + (1 if timezone.localdate().month >= 7 else 0)
            while Plan.objects.filter(fiscal_year=year).exists():
                year += 1
            self.fields["fiscal_year"].initial = year
            self.fields["title"].initial = _("Knowledge management plan, fiscal year %(year)s") % {
                "year": year
            }
            if not Plan.objects.exists():
                del self.fields["copy_previous"]

    def clean_fiscal_year(self):
        year = self.cleaned_data["fiscal_year"]
        if not 2400 <= year <= 2700:
            raise ValidationError(_("Give the fiscal year in the Buddhist Era, e.g. 2568."))
        return year

    def to_data(self) -> PlanData:
        return data_from(PlanData, self.cleaned_data)

    def previous_plan(self) -> Plan | None:
        if not self.cleaned_data.get("copy_previous"):
            return None
        return (
            Plan.objects.filter(fiscal_year__lt=self.cleaned_data["fiscal_year"])
            .order_by("-fiscal_year")
            .first()
        )


class PlanPartForm(BEModelForm):
    """A row of a given plan: choices that point to other rows are that plan's own."""

    data_class: type  # the service's plain data for the row

    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan

    def to_data(self) -> PartData:
        """The row as the service takes it."""
        return data_from(self.data_class, self.cleaned_data)


class KnowledgeNeedForm(PlanPartForm):
    data_class = KnowledgeNeedData
    holders = people_field(_("Who holds it"), required=False)

    class Meta:
        model = KnowledgeNeed
        fields = [
            "topic",
            "reason",
            "current_form",
            "holders",
            "source",
            "gap",
            "priority",
            "order",
        ]
        widgets = {
            "reason": forms.Textarea(attrs={"rows": 2}),
            "gap": forms.Textarea(attrs={"rows": 2}),
        }


class FocusAreaForm(PlanPartForm):
    data_class = FocusAreaData

    class Meta:
        model = FocusArea
        fields = ["title", "description", "order"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class DesiredStateForm(PlanPartForm):
    data_class = DesiredStateData

    class Meta:
        model = DesiredState
        fields = ["title", "focus_area", "indicator", "target", "deadline", "order"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["focus_area"].queryset = self.plan.focus_areas.all()


def category_choices() -> list:
    steps_group = [(f"step:{step.value}", f"{step.number}. {step.label}") for step in KMStep]
    elements_group = [
        (f"cm:{element.value}", f"{element.number}. {element.label}") for element in ChangeElement
    ]
    return [
        ("", "---------"),
        (_("The seven steps of KM"), steps_group),
        (_("Change management"), elements_group),
    ]


class ActivityForm(PlanPartForm):
    data_class = ActivityData

    category = forms.ChoiceField(
        label=_("KM step or change-management element"), choices=category_choices
    )
    owners = people_field(_("Owners"), required=True)

    class Meta:
        model = Activity
        fields = [
            "title",
            "category",
            "desired_state",
            "method",
            "start_date",
            "end_date",
            "indicator",
            "target",
            "budget",
            "owners",
            "team",
            "order",
        ]
        widgets = {"method": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["desired_state"].queryset = self.plan.desired_states.all()
        instance = self.instance
        if instance.km_step:
            self.initial["category"] = f"step:{instance.km_step}"
        elif instance.change_element:
            self.initial["category"] = f"cm:{instance.change_element}"
        first, last = fiscal_year_range(self.plan.fiscal_year)
        if not instance.pk:
            self.initial.setdefault("start_date", first)
            self.initial.setdefault("end_date", last)

    def clean(self):
        cleaned = super().clean()
        category = cleaned.get("category") or ""
        kind, _sep, value = category.partition(":")
        cleaned["km_step"] = self.instance.km_step = value if kind == "step" else ""
        cleaned["change_element"] = self.instance.change_element = value if kind == "cm" else ""
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        first, last = fiscal_year_range(self.plan.fiscal_year)
        if start and end and end < start:
            self.add_error("end_date", _("An activity cannot end before it starts."))
        for name in ("start_date", "end_date"):
            day = cleaned.get(name)
            if day and not first <= day <= last:
                self.add_error(
                    name,
                    _("Give a date in fiscal year %(year)s (%(first)s – %(last)s).")
                    % {
                        "year": self.plan.fiscal_year,
                        "first": format_date_long(first),
                        "last": format_date_long(last),
                    },
                )
        budget = cleaned.get("budget")
        if budget is not None and budget < 0:
            self.add_error("budget", _("The budget cannot be negative."))
        return cleaned


# --- Workflow notes ------------------------------------------------------------------------------
class NoteForm(PortalForm):
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000, required=False
    )


class RequiredNoteForm(NoteForm):
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


# --- Progress ------------------------------------------------------------------------------------
class ProgressReportForm(BEModelForm):
    files = MultipleFileField(
        max_files=EVIDENCE_MAX_FILES,
        label=_("Evidence files"),
        required=False,
        # The limit is filled in per request, in the reader's language.
        help_text=_("PDF, Word, Excel, PowerPoint, text or photos; at most %(size)s each."),
    )
    links = forms.CharField(
        label=_("Links to the portal"),
        required=False,
        widget=RecordLinksTextarea(attrs={"rows": 2}),
        help_text=_(
            "Find a document of the knowledge corner or a knowledge set by typing its title, "
            "or paste its address; one per line."
        ),
    )

    class Meta:
        model = ProgressReport
        fields = ["as_of", "percent", "status", "narrative", "problems", "files", "links"]
        widgets = {
            "narrative": forms.Textarea(attrs={"rows": 4}),
            "problems": forms.Textarea(attrs={"rows": 2}),
            "percent": forms.NumberInput(attrs={"min": 0, "max": 100, "step": 5}),
        }

    def __init__(self, *args, activity: Activity, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.activity = activity
        self.user = user
        self.checked_files: list[tuple[object, str]] = []
        # The records the links point to, each one the reporter may open.
        self.checked_links: list[models.Model] = []
        files = self.fields["files"]
        files.help_text = files.help_text % {"size": filesizeformat(EVIDENCE_MAX_BYTES)}
        if not self.is_bound:
            self.initial.setdefault("as_of", timezone.localdate())
            self.initial.setdefault("percent", activity.percent)
            status = activity.status
            if status == ActivityStatus.NOT_STARTED:
                status = ActivityStatus.IN_PROGRESS
            self.initial.setdefault("status", status)

    def to_data(self) -> ReportData:
        return data_from(ReportData, self.cleaned_data)

    def clean_percent(self):
        percent = self.cleaned_data["percent"]
        if not 0 <= percent <= 100:
            raise ValidationError(_("Give a percentage from 0 to 100."))
        return percent

    def clean_as_of(self):
        day = self.cleaned_data["as_of"]
        if day > timezone.localdate():
            raise ValidationError(_("Progress is reported as of today or an earlier day."))
        return day

    def clean_files(self):
        files = self.cleaned_data["files"]
        errors, checked = [], []
        for upload in files:
            try:
                checked.append((upload, evidence_type(upload)))
            except ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise ValidationError(errors)
        self.checked_files = checked
        return files

    def clean_links(self):
        text = self.cleaned_data["links"]
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        if len(lines) > EVIDENCE_MAX_LINKS:
            raise ValidationError(
                _("Link at most %(limit)s records to one report (%(count)s were given)."),
                params={"limit": EVIDENCE_MAX_LINKS, "count": len(lines)},
            )
        errors, checked = [], []
        for line in lines:
            found = steps.resolve_link(line)
            if found is None:
                errors.append(
                    _("“%(link)s” is not the address of a document or knowledge set in the portal.")
                    % {"link": line[:120]}
                )
                continue
            source, pk = found
            record = source.visible(self.user).filter(pk=pk).first()
            if record is None:
                errors.append(_("“%(link)s” is not a record you can open.") % {"link": line[:120]})
                continue
            if record not in checked:
                checked.append(record)
        if errors:
            raise ValidationError(errors)
        self.checked_links = checked
        return text

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") == ActivityStatus.DONE and cleaned.get("percent") not in (
            None,
            100,
        ):
            self.add_error("percent", _("A finished activity must be at 100 percent."))
        return cleaned


class SummaryForm(VersionedFormMixin, PortalForm):
    """The secretary's summary of a quarter; ``record`` is the quarter's summary (unsaved when
    none is written yet), so two people writing it at once cannot erase each other's."""

    guards_creation = True

    summary = forms.CharField(
        label=_("Overall progress"), widget=forms.Textarea(attrs={"rows": 5}), max_length=20_000
    )
    issues = forms.CharField(
        label=_("Problems, obstacles and suggestions"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=20_000,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.record.pk is not None:
            self.initial.setdefault("summary", self.record.summary)
            self.initial.setdefault("issues", self.record.issues)
