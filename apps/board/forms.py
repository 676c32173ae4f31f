"""The Q&A board's forms: they validate input; the services decide and write."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core import steps
from apps.core.forms import (
    BEModelForm,
    BoundedModelMultipleChoiceField,
    MarkdownTextarea,
    PeopleField,
    PickSeveral,
    PortalForm,
    PortalFormMixin,
    TagsField,
)
from apps.experts.models import Expert, ExpertStatus
from apps.knowledge.models import KnowledgeSet
from apps.library.models import Document

from .models import Answer, Question
from .services import BODY_MAX, COMMENT_MAX, MAX_ASKED


def resolve_link(url: str):
    """(document, knowledge set) the pasted portal address points to; ``None``s when empty.
    Raises ``ValidationError`` for an address that is neither (or names nothing)."""
    url = (url or "").strip()
    if not url:
        return None, None
    found = steps.resolve_link(url)
    if found is not None:
        source, pk = found
        if source.model in (Document, KnowledgeSet):
            record = source.model._default_manager.filter(pk=pk).first()
            if record is not None:
                return (record, None) if source.model is Document else (None, record)
    raise forms.ValidationError(
        _("Paste the address of a document in the knowledge corner or of a knowledge set."),
        code="link",
    )


def link_of(question: Question | None) -> str:
    if question is None:
        return ""
    record = question.document or question.knowledge_set
    return record.get_absolute_url() if record is not None else ""


class ExpertsField(BoundedModelMultipleChoiceField):
    def label_from_instance(self, expert):
        areas = ", ".join(area.name for area in expert.expertise.all())
        return f"{expert} ({areas})" if areas else str(expert)


def expert_choices():
    """Approved experts who are our own staff: they have an account to be told through."""
    return (
        Expert.objects.filter(status=ExpertStatus.APPROVED, person__is_active=True)
        .select_related("person")
        .prefetch_related("expertise")
        .order_by("first_name", "last_name", "pk")
    )


class AskPeopleMixin(PortalFormMixin, forms.Form):
    colleagues = PeopleField(
        label=_("Ask colleagues"),
        required=False,
        max_choices=MAX_ASKED,
        help_text=_("They are told at once and see the question in their list to answer."),
    )
    experts = ExpertsField(
        label=_("Ask experts from the expert directory"),
        queryset=Expert.objects.none(),
        required=False,
        max_choices=MAX_ASKED,
        widget=PickSeveral(placeholder=_("Type a name or an area of expertise …")),
    )

    def setup_people(self) -> None:
        self.fields["experts"].queryset = expert_choices()

    def people(self) -> list:
        people = {p.pk: p for p in self.cleaned_data.get("colleagues") or []}
        for expert in self.cleaned_data.get("experts") or []:
            if expert.person is not None:
                people[expert.person.pk] = expert.person
        return list(people.values())


class QuestionForm(AskPeopleMixin, BEModelForm):
    tag_names = TagsField(label=_("Tags"))
    link = forms.CharField(
        label=_("Related document or knowledge set"),
        required=False,
        max_length=500,
        help_text=_("Paste the address of its page in the portal (optional)."),
    )

    class Meta:
        model = Question
        fields = ["title", "body", "km_step"]
        widgets = {"body": MarkdownTextarea(attrs={"rows": 8})}
        help_texts = {
            "title": _("One sentence, as you would ask a colleague."),
            "body": _("What you know already, what you tried (Markdown)."),
        }

    max_lengths = {"body": BODY_MAX}

    def __init__(self, *args, asking: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].widget.attrs.update(
            {"autocomplete": "off", "data-board-similar": "", "autofocus": True}
        )
        if self.instance.pk:
            self.fields["tag_names"].initial = ", ".join(
                tag.name for tag in self.instance.tags.all()
            )
            self.fields["link"].initial = link_of(self.instance)
        if asking:
            self.setup_people()
        else:
            del self.fields["colleagues"], self.fields["experts"]

    def clean_link(self):
        return resolve_link(self.cleaned_data.get("link", ""))


class AnswerForm(BEModelForm):
    class Meta:
        model = Answer
        fields = ["body"]
        widgets = {"body": MarkdownTextarea(attrs={"rows": 6})}
        labels = {"body": _("Your answer")}

    max_lengths = {"body": BODY_MAX}


class CommentForm(PortalForm):
    text = forms.CharField(
        label=_("Comment"),
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    answer = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)


class AskPeopleForm(AskPeopleMixin, PortalForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_people()

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not self.people():
            raise forms.ValidationError(_("Choose at least one person to ask."))
        return cleaned
