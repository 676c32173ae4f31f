from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from apps.core.forms import BEModelForm, MultipleFileField, PortalForm, TagsField
from apps.core.uploads import fingerprint

from .models import AccessLevel, Document, DocumentFile


def existing_files(digests) -> dict[str, DocumentFile]:
    """The library's files with these SHA-256 digests (with their documents), by digest."""
    files = DocumentFile.objects.filter(sha256__in=list(digests)).select_related("document")
    return {f.sha256: f for f in files}


def duplicate_error(name: str, document: Document, user) -> ValidationError:
    """A file that is already in ``document``. Someone who may open the document is pointed to
    it; anyone else learns only that the file is in a document they may not open, never its
    title or address."""
    if user is not None and user.has_perm("library.view_document", document):
        return ValidationError(
            _(
                "“%(name)s” is already in the library, in “%(title)s” (%(url)s). "
                "Open that document instead of adding the file again."
            ),
            params={"name": name, "title": document.title, "url": document.get_absolute_url()},
            code="duplicate",
        )
    return ValidationError(
        _(
            "“%(name)s” is already in the library, in a document you may not open. "
            "Ask the KM team for access if you need it."
        ),
        params={"name": name},
        code="duplicate",
    )


def check_uploads(uploads, *, user) -> list[tuple[object, str]]:
    """Size limit and duplicates for a batch of uploads; returns (upload, sha256) pairs.

    A file that is already in the library is refused (see :func:`duplicate_error`), so the
    same circular is not shelved twice under two names. The service checks again when it
    saves: two identical uploads at the same moment both pass this check.
    """
    limit = settings.LIBRARY_MAX_UPLOAD_BYTES
    checked, errors, seen = [], [], {}
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
            continue
        if upload.size == 0:
            errors.append(
                ValidationError(
                    _("“%(name)s” is empty."), params={"name": upload.name}, code="empty"
                )
            )
            continue
        digest = fingerprint(upload)
        if digest in seen:
            errors.append(
                ValidationError(
                    _("“%(name)s” is the same file as “%(other)s”."),
                    params={"name": upload.name, "other": seen[digest]},
                    code="duplicate",
                )
            )
            continue
        seen[digest] = upload.name
        checked.append((upload, digest))
    existing = existing_files(seen)
    for upload, digest in checked:
        if digest in existing:
            errors.append(duplicate_error(upload.name, existing[digest].document, user))
    if errors:
        raise ValidationError(errors)
    return checked


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
        self.checked_files = check_uploads(files, user=self.user)
        return files


class AddFilesForm(PortalForm):
    files = MultipleFileField(label=_("Files"))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_files(self):
        files = self.cleaned_data["files"]
        if not files:
            raise ValidationError(_("Add at least one file."), code="required")
        self.checked_files = check_uploads(files, user=self.user)
        return files
