"""Forms of communities of practice. Each checks what was typed and hands the services plain
data (``data()``); the services decide whether the change is allowed."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.choices import KMStep
from apps.core.forms import (
    BEDateField,
    BEModelForm,
    MarkdownTextarea,
    PeopleField,
    PortalForm,
    active_people,
)
from apps.meetings.forms import ThaiTimeField
from apps.plans.models import Activity, Plan

from .data import AssetData, CommunityData, SessionData, SessionNotes
from .models import MAX_MEMBERS_AT_ONCE, Community, KnowledgeAsset, MemberRole, Session
from .services import NOTE_FIELDS

LONG = {"rows": 4}


def plan_activities(user):
    """The activities a community may serve: those of the plans the person may open, newest
    plan first."""
    plans = Plan.objects.visible_to(user).values("pk")
    return (
        Activity.objects.filter(plan__in=plans)
        .select_related("plan")
        .order_by("-plan__fiscal_year", "order", "pk")
    )


class ActivityChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, activity):
        return f"{activity.title} ({activity.plan.fiscal_year})"


class CommunityForm(BEModelForm):
    facilitators = PeopleField(
        label=_("Facilitators (คุณอำนวย)"),
        required=False,
        max_choices=10,
        help_text=_("Who runs the sessions. Empty: you facilitate."),
    )

    class Meta:
        model = Community
        fields = ["name", "domain", "km_step", "description", "access", "activity", "status"]
        widgets = {"description": MarkdownTextarea(attrs={"rows": 6}), "access": forms.RadioSelect}
        field_classes = {"activity": ActivityChoiceField}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity"].queryset = plan_activities(user)
        self.fields["activity"].empty_label = _("None")
        if self.instance.pk:
            del self.fields["facilitators"]
        else:
            del self.fields["status"]

    def data_for_service(self) -> CommunityData:
        data = self.cleaned_data
        return CommunityData(
            name=data["name"],
            domain=data["domain"],
            km_step=data["km_step"],
            description=data.get("description", ""),
            access=data["access"],
            activity=data.get("activity"),
            status=data.get("status") or self.instance.status,
        )


class MembersForm(PortalForm):
    people = PeopleField(
        label=_("People"),
        max_choices=MAX_MEMBERS_AT_ONCE,
        widget=forms.SelectMultiple(attrs={"size": 10}),
    )
    role = forms.ChoiceField(
        label=_("Role"), choices=MemberRole.choices, initial=MemberRole.PRACTITIONER
    )


class SessionForm(PortalForm):
    title = forms.CharField(label=_("Topic of the session"), max_length=300)
    date = BEDateField(label=_("Date"))
    start_time = ThaiTimeField(label=_("Start time"))
    end_time = ThaiTimeField(label=_("Planned end"), required=False)
    place = forms.CharField(label=_("Place"), max_length=300)
    online_link = forms.URLField(
        label=_("Online meeting link"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_("For a session held online or in both ways, e.g. a Zoom or Webex link."),
    )
    purpose = forms.CharField(label=_("Purpose"), required=False, widget=forms.Textarea(attrs=LONG))
    km_step = forms.ChoiceField(label=_("KM step"), choices=KMStep.choices)
    bar_goal = forms.CharField(
        label=_("BAR: what we want to learn"), required=False, widget=MarkdownTextarea(attrs=LONG)
    )
    bar_plan = forms.CharField(
        label=_("BAR: how we will go about it"), required=False, widget=MarkdownTextarea(attrs=LONG)
    )
    invitees = PeopleField(
        label=_("Invite"),
        required=False,
        help_text=_("The community's members are chosen; the meetings app sends the invitations."),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    def __init__(self, *args, community: Community, **kwargs):
        super().__init__(*args, **kwargs)
        member_ids = list(community.members.values_list("person_id", flat=True))
        self.fields["invitees"].queryset = active_people()
        self.fields["invitees"].initial = member_ids
        self.fields["km_step"].initial = community.km_step
        self.fields["start_time"].initial = dt.time(13, 30)
        self.fields["date"].initial = timezone.localdate()

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_time"), cleaned.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", _("The session must end after it starts."))
        return cleaned

    def data_for_service(self) -> SessionData:
        data = self.cleaned_data
        return SessionData(
            title=data["title"],
            date=data["date"],
            start_time=data["start_time"],
            end_time=data.get("end_time"),
            place=data["place"],
            purpose=data.get("purpose", ""),
            online_link=data.get("online_link", ""),
            km_step=data["km_step"],
            bar_goal=data.get("bar_goal", ""),
            bar_plan=data.get("bar_plan", ""),
        )


def _https_links(field, **kwargs):
    """Links typed without a scheme are taken as https (Django 6's default, already)."""
    if isinstance(field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return field.formfield(**kwargs)


class SessionNotesForm(BEModelForm):
    class Meta:
        formfield_callback = _https_links
        model = Session
        fields = list(NOTE_FIELDS)
        widgets = {
            name: MarkdownTextarea(attrs=LONG) for name in NOTE_FIELDS if name != "online_link"
        }

    def data_for_service(self) -> SessionNotes:
        return SessionNotes(**{name: self.cleaned_data.get(name) or "" for name in NOTE_FIELDS})


class AssetForm(BEModelForm):
    class Meta:
        model = KnowledgeAsset
        fields = [
            "title",
            "session",
            "km_step",
            "context",
            "what_we_did",
            "what_we_learned",
            "tips",
            "who_to_ask",
        ]
        widgets = {
            "context": MarkdownTextarea(attrs=LONG),
            "what_we_did": MarkdownTextarea(attrs=LONG),
            "what_we_learned": MarkdownTextarea(attrs=LONG),
            "tips": MarkdownTextarea(attrs=LONG),
        }
        field_classes = {"who_to_ask": PeopleField}

    def __init__(self, *args, community: Community, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = community.sessions.select_related("meeting").order_by(
            "-meeting__date", "-pk"
        )
        self.fields["session"].empty_label = _("None (not from a session)")
        self.fields["who_to_ask"].queryset = active_people()
        self.fields["who_to_ask"].help_text = _("Colleagues who know this well.")
        self.fields["who_to_ask"].widget.attrs["size"] = 6
        if not self.instance.pk:
            self.fields["km_step"].initial = community.km_step

    def data_for_service(self) -> AssetData:
        data = self.cleaned_data
        return AssetData(
            title=data["title"],
            context=data["context"],
            what_we_did=data.get("what_we_did", ""),
            what_we_learned=data.get("what_we_learned", ""),
            tips=data.get("tips", ""),
            km_step=data["km_step"],
            who_to_ask=list(data.get("who_to_ask") or []),
        )
