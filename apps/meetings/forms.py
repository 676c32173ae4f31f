"""Forms of meetings: schedule, agenda, attendance, minutes, action items and adoption.

Forms check what was typed; each hands the services its plain data (``details()``, ``rows()``
...), and the services decide whether the change is allowed.
"""

from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from apps.core.forms import (
    BEDateField,
    BEModelForm,
    MarkdownTextarea,
    PersonSelect,
    PortalForm,
    TimeInput,
    bounded_inlineformset_factory,
)
from apps.core.thaidates import THAI_DIGITS, fiscal_year
from apps.plans.forms.plans import active_people, people_field
from apps.plans.models import Activity
from apps.teams.models import Membership, Team, TeamKind

from .data import AgendaRow, AttendanceRow, ItemMinutes, MeetingDetails, MinutesDetails
from .models import (
    MAX_AGENDA_ITEMS,
    MAX_ATTENDANCE,
    ActionItem,
    AgendaItem,
    Answer,
    Attendance,
    AttendanceStatus,
    Meeting,
    MeetingStatus,
    Minutes,
)

__all__ = ["MAX_AGENDA_ITEMS", "MAX_ATTENDANCE"]

_TIME = re.compile(r"^(\d{1,2})\s*[:.]\s*(\d{2})(?:\s*(?:น\.?|นาฬิกา))?$")


class ThaiTimeInput(TimeInput):
    """A time typed as 09:30 or 09.30 น., the way Thai documents write it (a time picker beside)."""


class ThaiTimeField(forms.TimeField):
    widget = ThaiTimeInput
    default_error_messages = {"invalid": _("Enter a time as hours:minutes, e.g. 09:30.")}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, dt.time):
            return value
        match = _TIME.match(" ".join(str(value).translate(THAI_DIGITS).split()))
        if not match:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        hour, minute = int(match.group(1)), int(match.group(2))
        if hour > 23 or minute > 59:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return dt.time(hour, minute)


class MeetingFormBase(BEModelForm):
    """Swaps Django's time fields for ones that read 09.30 น."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in list(self.fields.items()):
            if type(field) is forms.TimeField:
                self.fields[name] = ThaiTimeField(
                    label=field.label, required=field.required, help_text=field.help_text
                )


def km_team() -> Team | None:
    return Team.objects.filter(kind=TeamKind.KM_TEAM, is_active=True).order_by("order").first()


def team_members(team: Team | None):
    if team is None:
        return active_people().none()
    people = Membership.objects.current().filter(team=team).values("person_id")
    return active_people().filter(pk__in=people)


def team_choices() -> list[tuple[str, list[int]]]:
    """Each active team with its current members' ids: the invitee picker's one-click "add this
    team's members" (one query)."""
    members: dict[int, list[int]] = {}
    rows = Membership.objects.current().filter(team__is_active=True, person__is_active=True)
    for team_id, person_id in rows.values_list("team_id", "person_id"):
        members.setdefault(team_id, []).append(person_id)
    teams = Team.objects.filter(pk__in=members).order_by("order", "name")
    return [(str(team), members[team.pk]) for team in teams]


class MeetingForm(MeetingFormBase):
    invitees = people_field(
        _("Invite"),
        required=False,
        help_text=_("The team's current members are chosen for a new meeting."),
    )

    class Meta:
        model = Meeting
        fields = ["team", "title", "date", "start_time", "end_time", "place", "purpose"]
        widgets = {"purpose": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = Team.objects.filter(is_active=True)
        self.fields["team"].required = True
        if self.instance.host_kind:  # held by another app's record, which does not change
            del self.fields["team"]
        self.fields["invitees"].widget.teams = team_choices()
        if self.instance.pk:
            invited = self.instance.attendances.values_list("person_id", flat=True)
            self.fields["invitees"].help_text = _(
                "People already invited stay invited; remove them on the attendance page."
            )
            self.initial["invitees"] = list(invited)
        else:
            team = km_team()
            if team is not None:
                self.initial.setdefault("team", team.pk)
                self.initial.setdefault("invitees", list(team_members(team)))
            self.initial.setdefault("title", _("Meeting of the KM team"))
            self.initial.setdefault("start_time", dt.time(9, 30))

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_time"), cleaned.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", _("The meeting must end after it starts."))
        return cleaned

    def details(self) -> MeetingDetails:
        data = self.cleaned_data
        return MeetingDetails(
            team=data.get("team"),
            title=data["title"],
            date=data["date"],
            start_time=data["start_time"],
            end_time=data.get("end_time"),
            place=data["place"],
            purpose=data.get("purpose", ""),
        )


class AgendaItemForm(BEModelForm):
    class Meta:
        model = AgendaItem
        fields = ["section", "order", "title", "detail", "km_step", "activity"]
        widgets = {
            "detail": forms.Textarea(attrs={"rows": 2}),
            "order": forms.NumberInput(attrs={"style": "max-width: 6rem"}),
        }

    def __init__(self, *args, activities=None, activity_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["activity"]
        field.queryset = activities if activities is not None else Activity.objects.none()
        if activity_choices is not None:
            # The same list for every row of the formset, read once (a queryset would be read
            # again by every row's select).
            field.choices = activity_choices


def _removed(formset, form) -> bool:
    return formset.can_delete and formset._should_delete_form(form)


def agenda_rows(formset) -> list[AgendaRow]:
    """The agenda items the page changed, added or took off (rows left empty are ignored)."""
    rows = []
    for form in formset.forms:
        pk = form.instance.pk
        if _removed(formset, form):
            if pk is not None:
                rows.append(AgendaRow(pk=pk, remove=True))
            continue
        if not form.has_changed():
            continue
        data = form.cleaned_data
        rows.append(
            AgendaRow(
                pk=pk,
                section=data["section"],
                order=data["order"],
                title=data["title"],
                detail=data.get("detail", ""),
                km_step=data.get("km_step", ""),
                activity=data.get("activity"),
            )
        )
    return rows


AgendaFormSet = bounded_inlineformset_factory(
    Meeting, AgendaItem, form=AgendaItemForm, extra=3, can_delete=True, max_num=MAX_AGENDA_ITEMS
)


def meeting_activities(meeting: Meeting):
    """The activities an agenda item or action item of this meeting may point to: those of the
    plan of the meeting's fiscal year."""
    year = meeting.fiscal_year or fiscal_year(meeting.date)
    return Activity.objects.filter(plan__fiscal_year=year).order_by("order", "pk")


def activity_choices(activities) -> list[tuple]:
    return [("", "---------"), *((a.pk, str(a)) for a in activities)]


class AttendanceForm(BEModelForm):
    """One row of the attendance table (the column headings are the labels)."""

    class Meta:
        model = Attendance
        fields = ["meeting_role", "status", "reason", "order"]
        widgets = {
            "meeting_role": forms.TextInput(attrs={"class": "form-control form-control-sm"}),
            "status": forms.Select(attrs={"class": "form-select form-select-sm"}),
            "reason": forms.TextInput(attrs={"class": "form-control form-control-sm"}),
            "order": forms.NumberInput(
                attrs={"class": "form-control form-control-sm", "style": "max-width: 5rem"}
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("aria-label", field.label)
        # One who answered they cannot attend, not yet recorded: shown as absent, with the
        # reason they gave (saved as such unless the secretary changes it).
        attendance = self.instance
        self.prefilled = (
            attendance.pk is not None
            and attendance.answer == Answer.DECLINE
            and attendance.status == AttendanceStatus.INVITED
        )
        if self.prefilled:
            self.initial["status"] = AttendanceStatus.ABSENT
            self.initial["reason"] = attendance.reason or attendance.answer_reason


def attendance_rows(formset) -> list[AttendanceRow]:
    """The invitations the page changed or withdrew (or showed prefilled from an answer)."""
    rows = []
    for form in formset.forms:
        if form.instance.pk is None:
            continue
        if _removed(formset, form):
            rows.append(AttendanceRow(pk=form.instance.pk, remove=True))
        elif form.has_changed() or form.prefilled:
            data = form.cleaned_data
            rows.append(
                AttendanceRow(
                    pk=form.instance.pk,
                    meeting_role=data.get("meeting_role", ""),
                    status=data["status"],
                    reason=data.get("reason", ""),
                    order=data["order"],
                )
            )
    return rows


AttendanceFormSet = bounded_inlineformset_factory(
    Meeting, Attendance, form=AttendanceForm, extra=0, can_delete=True, max_num=MAX_ATTENDANCE
)


class InviteForm(PortalForm):
    invite = people_field(_("Invite more people"), required=False)

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        invited = meeting.attendances.values_list("person_id", flat=True)
        self.fields["invite"].queryset = active_people().exclude(pk__in=invited)


class AnswerForm(PortalForm):
    """An invitee's answer: the button pressed (``answer``) and, if they cannot attend, why."""

    answer = forms.ChoiceField(
        label=_("Your answer"), choices=[(a.value, a.label) for a in Answer if a.value]
    )
    reason = forms.CharField(
        label=_("Reason (if you cannot attend)"),
        max_length=200,
        required=False,
        help_text=_("e.g. ติดราชการ, ลาพักผ่อน"),
    )

    def attend(self) -> bool:
        return self.cleaned_data["answer"] == Answer.ATTEND


class MinutesForm(MeetingFormBase):
    guards_creation = True  # the page says whether minutes were written already

    class Meta:
        model = Minutes
        fields = ["opened_at", "closed_at", "chair", "recorder", "checker", "guests"]
        widgets = {
            "guests": forms.Textarea(attrs={"rows": 3}),
            "chair": PersonSelect,
            "recorder": PersonSelect,
            "checker": PersonSelect,
        }

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        for name in ("chair", "recorder", "checker"):
            self.fields[name].queryset = active_people()
        self.fields["recorder"].required = True
        if not self.instance.pk:
            self.initial.setdefault("opened_at", meeting.start_time)

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
            chair=data.get("chair"),
            recorder=data.get("recorder"),
            checker=data.get("checker"),
            guests=data.get("guests", ""),
        )


class ItemMinutesForm(BEModelForm):
    class Meta:
        model = AgendaItem
        fields = ["discussion", "resolution"]
        widgets = {
            "discussion": MarkdownTextarea(attrs={"rows": 4}),
            "resolution": MarkdownTextarea(attrs={"rows": 3}),
        }


ItemMinutesFormSet = bounded_inlineformset_factory(
    Meeting, AgendaItem, form=ItemMinutesForm, extra=0, can_delete=False, max_num=MAX_AGENDA_ITEMS
)


def item_minutes(formset) -> list[ItemMinutes]:
    """What the minutes record for each agenda item the page changed."""
    return [
        ItemMinutes(
            pk=form.instance.pk,
            discussion=form.cleaned_data.get("discussion", ""),
            resolution=form.cleaned_data.get("resolution", ""),
        )
        for form in formset.forms
        if form.instance.pk is not None and form.has_changed()
    ]


class ActionItemForm(BEModelForm):
    class Meta:
        model = ActionItem
        fields = ["agenda_item", "description", "owner", "due_date", "activity"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2}), "owner": PersonSelect}

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        self.fields["agenda_item"].queryset = meeting.agenda_items.all()
        self.fields["owner"].queryset = active_people()
        self.fields["activity"].queryset = meeting_activities(meeting)
        if not self.instance.pk:
            self.initial.setdefault("due_date", meeting.date + dt.timedelta(days=30))


class ActionDoneForm(PortalForm):
    done_on = BEDateField(label=_("Done on"), required=False)
    note = forms.CharField(label=_("Outcome"), max_length=500, required=False)


class AdoptForm(PortalForm):
    at_meeting = forms.ModelChoiceField(
        label=_("Adopted at the meeting"),
        queryset=None,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["at_meeting"].queryset = (
            Meeting.objects.held_by(meeting)
            .filter(date__gte=meeting.date)
            .started()
            .exclude(pk=meeting.pk)
            .exclude(status=MeetingStatus.CANCELLED)
            .order_by("date", "start_time")
        )
