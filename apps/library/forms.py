from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from apps.core.forms import BEModelForm, MultipleFileField, PortalForm, TagsField

from .models import AccessLevel, Document, OcrText
from .services import DETAIL_FIELDS, MAX_CORRECTION_CHARS, DocumentDetails


def check_uploads(uploads) -> None:
    """The size limit and emptiness of each upload (what the request brings in); the service
    checks the rest (the same file twice, a file already in the library)."""
    limit = settings.LIBRARY_MAX_UPLOAD_BYTES
    errors = []
    for upload in uploads:
        if upload.size > limit:
            errors.append(
                ValidationError(
                    _("“%(name)s” is too large (%(size)s). The limit is %(limit)s."),
                    params={
                        "name": upload.name,
                        "size": filesizeformat(upload.size),
                        "limit": filesizeformat(limit),
                    },
                    code="too_large",
                )
            )
        elif upload.size == 0:
            errors.append(
                ValidationError(
                    _("“%(name)s” is empty."), params={"name": upload.name}, code="empty"
                )
            )
    if errors:
        raise ValidationError(errors)


class DocumentForm(BEModelForm):
    tag_names = TagsField(label=_("Tags"))

    class Meta:
        model = Document
        fields = [
            "title",
            "doc_type",
            "number",
            "agency",
            "issued_on",
            "effective_on",
            "category",
            "tag_names",
            "description",
            "km_step",
            "access",
            "access_team",
            "replaced_by",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}
        # The model field's "title" msgid means a name prefix (นาย/นาง) elsewhere.
        labels = {"title": _("Document title")}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if self.instance.pk:
            self.fields["tag_names"].initial = ", ".join(t.name for t in self.instance.tags.all())
            others = Document.objects.exclude(pk=self.instance.pk)
        else:
            others = Document.objects.all()
        # Categories in tree order, indented, rather than alphabetically.
        from .selectors import category_choices

        self.fields["category"].choices = [("", "---------"), *category_choices()]
        # A document can only point to a newer version its editor may open.
        visible = others.visible_to(user)
        self.fields["replaced_by"].queryset = visible.only("title")
        current = self.instance.replaced_by_id
        if current and not visible.filter(pk=current).exists():
            # It already points to a newer version this editor may not open: offering the field
            # would either reveal that document's title or drop the link on save, so it is left
            # out of the form and the link stays as it is.
            del self.fields["replaced_by"]
            self.replaced_by_hidden = True

    def clean(self):
        cleaned = super().clean()
        access, team = cleaned.get("access"), cleaned.get("access_team")
        if access == AccessLevel.TEAM and not team:
            self.add_error("access_team", _("Choose the team that may open this document."))
        elif access != AccessLevel.TEAM:
            cleaned["access_team"] = None
        issued, effective = cleaned.get("issued_on"), cleaned.get("effective_on")
        if issued and effective and effective < issued:
            self.add_error("effective_on", _("A document cannot take effect before it is issued."))
        return cleaned

    def details(self) -> DocumentDetails:
        """The cleaned fields as the services take them. A "replaced by" link the editor may
        not see (left out of the form) is passed on as it is."""
        cleaned = self.cleaned_data
        values = {name: cleaned[name] for name in DETAIL_FIELDS if name in cleaned}
        if getattr(self, "replaced_by_hidden", False):
            values["replaced_by"] = self.instance.replaced_by
        return DocumentDetails(**values, tags=cleaned["tag_names"])


class DocumentUploadForm(DocumentForm):
    files = MultipleFileField(
        label=_("Files"),
        help_text=_(
            "PDF, Word, Excel, PowerPoint, text, images or other files; the first is the main file."
        ),
    )

    class Meta(DocumentForm.Meta):
        fields = ["files", *DocumentForm.Meta.fields]

    def clean_files(self):
        files = self.cleaned_data["files"]
        if not files:
            raise ValidationError(_("Add at least one file."), code="required")
        check_uploads(files)
        return files


class AddFilesForm(PortalForm):
    files = MultipleFileField(label=_("Files"))

    def clean_files(self):
        files = self.cleaned_data["files"]
        if not files:
            raise ValidationError(_("Add at least one file."), code="required")
        check_uploads(files)
        return files


class OcrCorrectionForm(BEModelForm):
    """An editor's correction of a file's machine-read text; it starts from the text as it is
    now (the earlier correction, or the machine's)."""

    max_lengths = {"correction": MAX_CORRECTION_CHARS}

    class Meta:
        model = OcrText
        fields = ["correction"]
        labels = {"correction": _("Text of the scanned pages")}
        help_texts = {
            "correction": _(
                "Correct what the machine misread; search will find this text from now on. "
                "Leave it as the machine read it (or empty) to keep no correction."
            )
        }
        widgets = {"correction": forms.Textarea(attrs={"rows": 18, "lang": "th"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["correction"].required = False
        self.initial["correction"] = self.instance.current_text
