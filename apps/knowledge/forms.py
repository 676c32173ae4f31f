"""Forms of knowledge sets. They validate input; the services check it again and write."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import User
from apps.core.forms import (
    BEDateField,
    BEModelForm,
    BoundedModelMultipleChoiceField,
    MarkdownTextarea,
    MultipleFileField,
    PeopleField,
    PortalForm,
    TagsField,
    active_people,
)
from apps.core.text import strip_invisible
from apps.library.models import Document
from apps.library.selectors import category_choices
from apps.teams.models import Membership, Team, TeamKind

from .content import MAX_BODY
from .models import CommentKind, KnowledgeSet
from .services import SetData


class KnowledgeSetForm(BEModelForm):
    max_lengths = {"body": MAX_BODY}
    tag_names = TagsField(label=_("Tags"))
    authors = PeopleField(
        label=_("Authors"),
        queryset=active_people(),
        help_text=_("The people who write this set."),
    )
    holders = PeopleField(
        label=_("People who hold this knowledge"),
        queryset=active_people(),
        required=False,
        help_text=_("The colleagues whose experience (tacit knowledge) this set writes down."),
    )
    documents = BoundedModelMultipleChoiceField(
        label=_("Library documents"),
        queryset=Document.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Circulars, regulations and manuals this set relies on."),
    )

    class Meta:
        model = KnowledgeSet
        fields = [
            "title",
            "kind",
            "summary",
            "body",
            "group",
            "km_step",
            "category",
            "tag_names",
            "authors",
            "holders",
            "documents",
            "review_due",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "body": MarkdownTextarea(
                attrs={
                    "rows": 22,
                    "class": "form-control km-editor",
                    "aria-describedby": "body-help",
                }
            ),
        }
        labels = {"body": _("Content")}  # written in the editor; stored as Markdown
        help_texts = {
            "body": _(
                "Write as in a word processor, or paste from Word: headings, lists and tables "
                "are kept. Replace every [ระบุ: …] with your text; the set cannot be submitted "
                "while a required section still holds one."
            ),
            "review_due": _("When the owners should check that the set is still current."),
        }

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["group"].queryset = Team.objects.filter(kind=TeamKind.KM_GROUP, is_active=True)
        self.fields["category"].choices = [("", "---------"), *category_choices()]
        visible = Document.objects.visible_to(user)
        self.fields["documents"].queryset = visible.only("title").order_by("title")
        if self.instance.pk:
            self.fields["tag_names"].initial = ", ".join(t.name for t in self.instance.tags.all())
            self.fields["documents"].initial = list(
                self.instance.documents.filter(pk__in=visible.values("pk")).values_list(
                    "pk", flat=True
                )
            )
        else:
            self.fields["authors"].initial = [user.pk]
            own_groups = Membership.objects.current().filter(
                person_id=user.pk, team__kind=TeamKind.KM_GROUP
            )
            first = own_groups.values_list("team_id", flat=True).first()
            if first:
                self.fields["group"].initial = first

    def clean_body(self):
        body = self.cleaned_data["body"]
        if len(body) > MAX_BODY:
            raise ValidationError(
                _("The text is too long (%(length)s characters). The limit is %(limit)s."),
                params={"length": len(body), "limit": MAX_BODY},
            )
        return body

    def clean_authors(self):
        authors = self.cleaned_data["authors"]
        if self.instance.pk:
            reviewers = self.instance.reviewer_ids()
            clash = [str(person) for person in authors if person.pk in reviewers]
            if clash:
                raise ValidationError(
                    _("A reviewer of this set cannot be one of its authors: %(names)s."),
                    params={"names": ", ".join(clash)},
                )
        return authors

    def clean_review_due(self):
        due = self.cleaned_data.get("review_due")
        changed = "review_due" in self.changed_data
        if due and changed and due < timezone.localdate():
            raise ValidationError(_("The next review cannot be in the past."))
        return due

    def set_data(self) -> SetData:
        """The checked input as the services take it."""
        data = self.cleaned_data
        return SetData(
            title=data["title"],
            kind=data["kind"],
            summary=data["summary"],
            body=data["body"],
            group=data["group"],
            km_step=data["km_step"],
            category=data["category"],
            tag_names=data["tag_names"],
            authors=list(data["authors"]),
            holders=list(data["holders"]),
            documents=list(data["documents"]),
            review_due=data["review_due"],
        )


class NoteForm(PortalForm):
    """The note that goes with a workflow step, and the state the page showed (so a step sent
    twice, or from a page that is out of date, changes nothing)."""

    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    expected = forms.CharField(required=False, widget=forms.HiddenInput, max_length=20)


class ReviewersForm(PortalForm):
    reviewers = PeopleField(
        label=_("Reviewers"),
        queryset=active_people(),
        required=False,
        help_text=_("Usually the members of the KM-process working group."),
    )

    def __init__(self, *args, knowledge_set: KnowledgeSet, **kwargs):
        super().__init__(*args, **kwargs)
        self.knowledge_set = knowledge_set
        # Members of the working groups first: they refine and publish the sets (seed 003).
        working = set(
            Membership.objects.current()
            .filter(team__kind=TeamKind.WORKING_GROUP)
            .values_list("person_id", flat=True)
        )
        people = list(active_people())
        label = self.fields["reviewers"].label_from_instance
        self.fields["reviewers"].choices = [
            (_("Working group members"), [(p.pk, label(p)) for p in people if p.pk in working]),
            (_("Other staff"), [(p.pk, label(p)) for p in people if p.pk not in working]),
        ]
        if not self.is_bound:
            self.initial["reviewers"] = list(knowledge_set.reviewer_ids())

    def clean_reviewers(self):
        reviewers = self.cleaned_data["reviewers"]
        authors = self.knowledge_set.author_ids()
        clash = [str(person) for person in reviewers if person.pk in authors]
        if clash:
            raise ValidationError(
                _("An author cannot review their own set: %(names)s."),
                params={"names": ", ".join(clash)},
            )
        return reviewers


class CommentForm(PortalForm):
    kind = forms.ChoiceField(choices=CommentKind.choices, widget=forms.HiddenInput)
    section = forms.ChoiceField(label=_("About the section"), required=False)
    body = forms.CharField(
        label=_("Comment"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, toc: list[dict] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        sections = [(entry["text"], entry["text"]) for entry in toc or []]
        self.fields["section"].choices = [("", _("The whole set")), *sections]

    def clean_body(self):
        body = strip_invisible(self.cleaned_data["body"])
        if not body:
            raise ValidationError(_("Write something first."))
        return body


class ConfirmCurrentForm(PortalForm):
    review_due = BEDateField(label=_("Next review"))

    def clean_review_due(self):
        due = self.cleaned_data["review_due"]
        if due <= timezone.localdate():
            raise ValidationError(_("The next review must be a day after today."))
        return due


class AttachmentForm(PortalForm):
    """The files to attach; ``services.attachments_add`` checks what they are."""

    files = MultipleFileField(
        label=_("Files"),
        help_text=_("PDF, Word, Excel, PowerPoint, text or pictures; at most 20 MB each."),
    )

    def clean_files(self):
        files = self.cleaned_data["files"]
        if not files:
            raise ValidationError(_("Add at least one file."), code="required")
        return files
