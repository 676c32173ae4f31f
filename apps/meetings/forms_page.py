"""The small forms of the secretary's one meeting page: each step sends one of these."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.forms import BEDateField, PersonField, PortalForm, active_people

from .data import MinutesDetails
from .forms import MeetingFormBase
from .models import (
    MAX_AGENDA_ITEMS,
    AgendaItem,
    AgendaSection,
    AttendanceStatus,
    Meeting,
    Minutes,
)

__all__ = ["MAX_AGENDA_ITEMS"]

TEXT_LIMIT = 20_000


class AgendaAddForm(PortalForm):
    title = forms.CharField(
        label=_("New agenda item"),
        max_length=AgendaItem._meta.get_field("title").max_length,
        widget=forms.TextInput(attrs={"placeholder": _("Subject of the item")}),
    )
    section = forms.TypedChoiceField(
        label=_("Agenda section"),
        choices=AgendaSection.choices,
        coerce=int,
        initial=AgendaSection.CONSIDERATION,
    )


class MoveForm(PortalForm):
    """Where an item goes: one place ``up`` or ``down`` (the buttons), or a section and a
    position in it (dragged there)."""

    direction = forms.ChoiceField(choices=[("up", "up"), ("down", "down")], required=False)
    section = forms.TypedChoiceField(
        choices=AgendaSection.choices, coerce=int, required=False, empty_value=None
    )
    index = forms.IntegerField(min_value=0, max_value=MAX_AGENDA_ITEMS, required=False)

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("direction") and (
            cleaned.get("section") is None or cleaned.get("index") is None
        ):
            raise forms.ValidationError(_("Say where the item goes."), code="nowhere")
        return cleaned

    def place(self, item: AgendaItem) -> tuple[int, int]:
        """(section, index) the item goes to."""
        data = self.cleaned_data
        if not data.get("direction"):
            return data["section"], data["index"]
        siblings = list(
            item.meeting.agenda_items.filter(section=item.section)
            .order_by("order", "pk")
            .values_list("pk", flat=True)
        )
        index = siblings.index(item.pk)
        step = -1 if data["direction"] == "up" else 1
        return item.section, max(0, index + step)


class ItemMinutesForm(PortalForm):
    discussion = forms.CharField(
        label=_("Discussion"),
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    resolution = forms.CharField(
        label=_("Resolution"),
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class MarkForm(PortalForm):
    status = forms.ChoiceField(
        choices=[
            (AttendanceStatus.PRESENT, AttendanceStatus.PRESENT.label),
            (AttendanceStatus.ABSENT, AttendanceStatus.ABSENT.label),
            (AttendanceStatus.INVITED, AttendanceStatus.INVITED.label),
        ]
    )
    reason = forms.CharField(label=_("Reason for absence"), max_length=200, required=False)


class ActionAddForm(PortalForm):
    description = forms.CharField(
        label=_("What is to be done"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    owner = PersonField(label=_("Owner"))
    due_date = BEDateField(label=_("Due date"))

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("due_date", meeting.date + dt.timedelta(days=30))


class MinutesHeaderForm(MeetingFormBase):
    """The minutes' times, who took and checked them, and the guests; the chair is the one set
    in the attendance (``services.minutes_save`` takes it from there)."""

    class Meta:
        model = Minutes
        fields = ["opened_at", "closed_at", "recorder", "checker", "guests"]
        widgets = {"guests": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        for name in ("recorder", "checker"):
            self.fields[name].queryset = active_people()
        self.fields["recorder"].required = True

    def clean(self):
        cleaned = super().clean()
        opened, closed = cleaned.get("opened_at"), cleaned.get("closed_at")
        if opened and closed and closed <= opened:
            self.add_error("closed_at", _("The meeting must close after it opens."))
        return cleaned

    def details(self) -> MinutesDetails:
        data = self.cleaned_data
        return MinutesDetails(
            opened_at=data["opened_at"],
            closed_at=data.get("closed_at"),
            recorder=data.get("recorder"),
            checker=data.get("checker"),
            guests=data.get("guests", ""),
        )
