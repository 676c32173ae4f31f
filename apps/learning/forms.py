"""Forms of learning and development: every field bounded, dates in B.E., long texts in the
portal's Markdown editor, people chosen from the staff list."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.forms import (
    BEDateField,
    BEModelForm,
    BoundedModelMultipleChoiceField,
    MarkdownTextarea,
    PeopleField,
    PersonField,
    PortalForm,
)
from apps.library.models import Document
from apps.meetings.forms import ThaiTimeField

from .models import Evaluation, LearningEvent, MentoringPair, Registration, Rotation
from .services import MAX_MATERIALS, MAX_SKILLS

AAR_WIDGETS = {
    name: MarkdownTextarea(attrs={"rows": 3})
    for name in ("aar_expected", "aar_happened", "aar_why", "aar_keep", "aar_change")
}


class SkillsField(forms.CharField):
    """Skills typed one per line, at most ``MAX_SKILLS`` of them."""

    widget = forms.Textarea(attrs={"rows": 4})

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", MAX_SKILLS * 260)
        super().__init__(**kwargs)

    def clean(self, value):
        text = super().clean(value) or ""
        skills = [" ".join(line.split()) for line in text.splitlines()]
        skills = [skill for skill in skills if skill]
        if any(len(skill) > 255 for skill in skills):
            raise forms.ValidationError(_("A skill can be at most 255 characters long."))
        if len(skills) > MAX_SKILLS:
            raise forms.ValidationError(
                _("Write at most %(limit)d skills (%(count)d were given).")
                % {"limit": MAX_SKILLS, "count": len(skills)}
            )
        return skills


class PairForm(BEModelForm):
    skills = SkillsField(
        label=_("Skills checklist"),
        required=False,
        help_text=_("The skills of the job the mentee should learn, one per line."),
    )

    class Meta:
        model = MentoringPair
        fields = ["mentor", "mentee", "topic", "job", "starts_on", "ends_on", "goals"]
        field_classes = {"mentor": PersonField, "mentee": PersonField}
        widgets = {"goals": MarkdownTextarea(attrs={"rows": 5})}

    def pair_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class PairEditForm(BEModelForm):
    class Meta:
        model = MentoringPair
        fields = ["topic", "job", "starts_on", "ends_on", "goals", "status"]
        widgets = {"goals": MarkdownTextarea(attrs={"rows": 5})}


class SessionForm(PortalForm):
    held_on = BEDateField(label=_("Date"))
    learned = forms.CharField(
        label=_("What was learned"), max_length=5000, widget=MarkdownTextarea(attrs={"rows": 5})
    )


class SkillsForm(PortalForm):
    skills = SkillsField(label=_("Skills to add"), help_text=_("One skill per line."))


class RotationForm(BEModelForm):
    class Meta:
        model = Rotation
        fields = [
            "person",
            "kind",
            "from_unit",
            "from_job",
            "to_unit",
            "to_job",
            "starts_on",
            "ends_on",
        ]
        field_classes = {"person": PersonField}


class RotationReviewForm(BEModelForm):
    class Meta:
        model = Rotation
        fields = ["learned", "aar_expected", "aar_happened", "aar_why", "aar_keep", "aar_change"]
        widgets = {"learned": MarkdownTextarea(attrs={"rows": 5}), **AAR_WIDGETS}


class EventForm(BEModelForm):
    invitees = PeopleField(
        label=_("Invite"),
        required=False,
        help_text=_("They are told at once and register themselves."),
    )

    class Meta:
        model = LearningEvent
        fields = [
            "title",
            "kind",
            "km_step",
            "date",
            "start_time",
            "end_time",
            "place",
            "seats",
            "registration_closes",
            "description",
            "organisers",
            "materials",
        ]
        widgets = {
            "description": MarkdownTextarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("start_time", "end_time"):  # 09.30 น. as Thai documents write it
            field = self.fields[name]
            self.fields[name] = ThaiTimeField(
                label=field.label, required=field.required, help_text=field.help_text
            )
        self.fields["organisers"] = PeopleField(
            label=_("Organisers"),
            required=False,
            initial=self.fields["organisers"].initial,
            help_text=_("They change the event, mark attendance and write its AAR."),
        )
        if self.instance.pk:
            self.initial["organisers"] = list(self.instance.organisers.all())
            self.initial["materials"] = list(self.instance.materials.all())
            del self.fields["invitees"]
        self.fields["materials"] = BoundedModelMultipleChoiceField(
            Document.objects.visible_to(user).order_by("title"),
            max_choices=MAX_MATERIALS,
            required=False,
            label=_("Materials"),
            help_text=_("Documents of the knowledge corner for the participants."),
        )

    def event_fields(self) -> dict:
        skip = {"organisers", "materials", "invitees"}
        return {name: value for name, value in self.cleaned_data.items() if name not in skip}


class EventAARForm(BEModelForm):
    class Meta:
        model = LearningEvent
        fields = ["aar_expected", "aar_happened", "aar_why", "aar_keep", "aar_change"]
        widgets = AAR_WIDGETS


RATING_CHOICES = [(n, str(n)) for n in range(5, 0, -1)]


class EvaluationForm(PortalForm):
    content = forms.TypedChoiceField(
        label=_("Content"), choices=RATING_CHOICES, coerce=int, widget=forms.RadioSelect
    )
    speakers = forms.TypedChoiceField(
        label=_("Speakers and facilitators"),
        choices=RATING_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
    )
    usefulness = forms.TypedChoiceField(
        label=_("Usefulness for my work"),
        choices=RATING_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
    )
    organisation = forms.TypedChoiceField(
        label=_("Organisation and venue"),
        choices=RATING_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
    )
    comments = forms.CharField(
        label=_("Comments and suggestions"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def ratings(self) -> dict[str, int]:
        return {name: self.cleaned_data[name] for name in Evaluation.RATINGS}


class AttendanceForm(PortalForm):
    present = BoundedModelMultipleChoiceField(
        Registration.objects.none(),
        required=False,
        label=_("Present"),
        widget=forms.CheckboxSelectMultiple,
        max_choices=2000,
    )

    def __init__(self, *args, seated=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].queryset = (
            seated if seated is not None else Registration.objects.none()
        )
        self.fields["present"].label_from_instance = lambda registration: (
            registration.person.get_full_name() or registration.person.username
        )
