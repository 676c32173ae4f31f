"""The knowledge corner's pages: shelves, a document, upload and edit, downloads."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST, require_safe
from django.views.generic import DetailView, FormView, UpdateView
from django.views.generic.detail import SingleObjectMixin
from django_filters.views import FilterView
from rules.contrib.views import PermissionRequiredMixin

from apps.core import files
from apps.core.concurrency import StaleEditError, posted_version
from apps.core.permissions import ObjectPermissionMixin, require, visible_or_404
from apps.core.searchables import split_sections
from apps.core.views.forms import ServiceFormMixin, ServiceFormView

from . import pagecache, selectors, services, wordfilter
from .filters import DocumentFilter
from .forms import AddFilesForm, DocumentForm, DocumentUploadForm, OcrCorrectionForm
from .models import Document, DocumentFile, OcrText
from .search import attach_files, files_of, law_text

#: The side panel's facets, by the filter each one sets.
FACET_PARAMS = ("doc_type", "year", "agency", "tag", "category")


class DocumentListView(PermissionRequiredMixin, FilterView):
    permission_required = "library.browse"
    raise_exception = True
    filterset_class = DocumentFilter
    template_name = "library/document_list.html"
    paginate_by = 20

    def get(self, request, *args, **kwargs):
        # The page's body as it was rendered for the same rule, permission, library, query and
        # language (``pagecache``), or rendered now and kept (``{% keep_body %}``).
        self.library = selectors.library_fingerprint()
        self.body_key = pagecache.body_key(request, library=self.library)
        body = pagecache.kept(self.body_key)
        if body is not None:
            return TemplateResponse(request, self.template_name, {"view": self, "kept_body": body})
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return (
            Document.objects.visible_to(self.request.user)
            .select_related("category", "replaced_by")
            .prefetch_related("tags", "files")
        )

    def get_context_data(self, **kwargs):
        words = self._words()
        if words:
            # The same documents as ``filter_text``'s, found without SQL (issue 20).
            kwargs["object_list"] = wordfilter.WordMatches(
                self._filtered(without="q"), words, self.library
            )
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            body_key=self.body_key,
            query_string=query.urlencode(),
            **selectors.shelves(self.request.user, library=self.library, **self._facet_filters()),
            filtered=any(value for key, value in query.items() if key != "sort"),
            facet_base={name: self._query_without(query, name) for name in FACET_PARAMS},
        )
        return context

    def _words(self) -> tuple[str, ...]:
        filterset = self.filterset
        if not filterset.is_bound or not filterset.is_valid():
            return ()
        return tuple(wordfilter.words_of(filterset.form.cleaned_data.get("q") or ""))

    def _filtered(self, *, without: str):
        """The page's documents under every filter but ``without`` (in the chosen order)."""
        filterset, documents = self.filterset, self.get_queryset()
        for name, value in filterset.form.cleaned_data.items():
            if name != without:
                documents = filterset.filters[name].filter(documents, value)
        return documents

    @staticmethod
    def _query_without(query, name: str) -> str:
        """The page's query string without ``name``, ready for "&name=value" to follow: a
        facet's link keeps the other filters on."""
        rest = query.copy()
        rest.pop(name, None)
        encoded = rest.urlencode()
        return f"{encoded}&" if encoded else ""

    def _facet_filters(self) -> dict:
        """The active filters (cleaned, so a cache key is never raw input) and the documents
        they leave without one of them: the side panel's counts follow them (issue 16)."""
        filterset = self.filterset
        if not filterset.is_bound or not filterset.is_valid():
            return {}
        cleaned = filterset.form.cleaned_data
        active = tuple(
            (name, str(getattr(value, "pk", value)))
            for name, value in sorted(cleaned.items())
            if name != "sort" and value not in (None, "", [])
        )
        if not active:
            return {}
        values = {name: cleaned[name] for name, _value in active}
        visible = Document.objects.visible_to(self.request.user)
        shelf = values.get("category")
        # The shelf and everything below it, read once for the four facets that keep it.
        below = selectors.descendant_ids(shelf) if shelf is not None else []

        words = self._words()

        def narrowed(without: str):
            documents = visible
            for name, value in values.items():
                if name == without or (words and name == "q"):  # the words: ``wordfilter``
                    continue
                if name == "category":
                    documents = documents.filter(category_id__in=below)
                else:
                    documents = filterset.filters[name].filter(documents, value)
            return documents

        return {"active": active, "narrowed": narrowed, "words": words}


class DocumentDetailView(DetailView):
    """A document with its files. One the person may not open is "not found", so that nobody
    learns the title or even the existence of what they may not open."""

    template_name = "library/document_detail.html"
    context_object_name = "document"

    def get_queryset(self):
        return Document.objects.visible_to(self.request.user).select_related(
            "category", "replaced_by", "uploaded_by", "access_team"
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        document, user = self.object, self.request.user
        # The files with their OCR text: the page lists them and a law's contents read them too.
        attach_files([document])
        files = files_of(document)
        replaced_by = document.replaced_by
        if replaced_by and not user.has_perm("library.view_document", replaced_by):
            replaced_by = None
        tags = selectors.document_tags(document)
        context.update(
            files=files,
            main_file=next((f for f in files if f.is_main), files[0] if files else None),
            replaced_by=replaced_by,
            replaces=list(document.replaces.visible_to(user).only("pk", "title", "issued_on")),
            tags=tags,
            category_path=selectors.category_path(document.category),
            related=selectors.related_documents(document, user=user, tags=tags),
            scanned=[f for f in files if f.ocr_or_none is not None],
            **law_sections(document, self.request.GET.get("section", "")),
        )
        return context

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if request.method == "GET":
            services.record_use(self.object.pk, view=True)
        return response


#: Sections listed in a law's contents (a longer law lists these and says how many more).
MAX_CONTENTS = 400


def law_sections(document: Document, wanted: str) -> dict:
    """A law or regulation that search indexes section by section: its contents (labels) and,
    for ``?section=มาตรา 40`` (a search result opens it there), that section's label and text.
    An unknown or malformed section shows the document as usual."""
    parts = split_sections(law_text(document))
    if not parts:
        return {}
    key = "".join(wanted[:40].split())
    section = next(((label, text) for label, text in parts if "".join(label.split()) == key), None)
    labels = list(dict.fromkeys(label for label, _text in parts))
    return {
        "contents": labels[:MAX_CONTENTS],
        "contents_more": max(0, len(labels) - MAX_CONTENTS),
        "section_label": section[0] if section else "",
        "section_text": section[1] if section else "",
    }


class DocumentCreateView(ServiceFormView):
    """Upload a new document with its files (KM members, the KM office, administrators)."""

    form_class = DocumentUploadForm
    template_name = "library/document_form.html"
    success_message = gettext_lazy("The document has been added to the library.")
    error_field = "files"

    def dispatch(self, request, *args, **kwargs):
        require(request.user, "library.add_document")
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def perform(self, form) -> Document:
        return services.document_create(
            by=self.request.user, details=form.details(), files=form.cleaned_data["files"]
        )


class DocumentUpdateView(ObjectPermissionMixin, ServiceFormMixin, UpdateView):
    """Edit a document's details: 404 if the person may not open it, 403 if they may not edit."""

    model = Document
    form_class = DocumentForm
    template_name = "library/document_form.html"
    view_permission = "library.view_document"
    permission_required = "library.change_document"
    success_message = gettext_lazy("The document has been saved.")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def perform(self, form) -> Document:
        return services.document_update(
            by=self.request.user,
            document=self.object,
            details=form.details(),
            expected_version=form.expected_version,
        )


class DocumentAddFilesView(ObjectPermissionMixin, ServiceFormMixin, SingleObjectMixin, FormView):
    """Add files to a document: 404 if the person may not open it, 403 if they may not edit."""

    model = Document
    form_class = AddFilesForm
    template_name = "library/add_files_form.html"
    view_permission = "library.view_document"
    permission_required = "library.change_document"
    success_message = gettext_lazy("The files have been added.")
    error_field = "files"

    def dispatch(self, request, *args, **kwargs):
        self.object = self.get_object()
        return super().dispatch(request, *args, **kwargs)

    def perform(self, form) -> list[DocumentFile]:
        return services.document_add_files(
            by=self.request.user, document=self.object, files=form.cleaned_data["files"]
        )

    def get_success_url(self) -> str:
        return self.object.get_absolute_url()


@require_POST
def document_delete(request, pk):
    document = visible_or_404(Document, request.user, "library.view_document", pk=pk)
    require(request.user, "library.delete_document", document)
    try:
        services.document_delete(
            by=request.user, document=document, expected_version=posted_version(request.POST)
        )
    except StaleEditError as error:
        messages.warning(request, str(error))
        return redirect(document)
    messages.success(request, _("The document has been removed from the library."))
    return redirect("library:list")


def _visible_file(request, pk) -> DocumentFile:
    stored = get_object_or_404(DocumentFile.objects.select_related("document"), pk=pk)
    if not request.user.has_perm("library.view_document", stored.document):
        raise Http404
    return stored


@require_safe
@xframe_options_sameorigin
def download(request, pk):
    """A file through the permission check. Always an attachment under its original (Thai) name,
    except ``?inline=1`` for PDFs and images, which the detail page previews."""
    stored = _visible_file(request, pk)
    inline = request.GET.get("inline") == "1" and stored.inline_safe
    response = files.serve(
        stored.file, filename=stored.original_name, mime=stored.mime, inline=inline
    )
    if request.method == "GET" and not inline:
        # Inline previews come with the detail page, which counts as a reading already.
        services.record_use(stored.document_id, download=True)
    return response


@require_safe
def thumbnail(request, pk):
    stored = _visible_file(request, pk)
    if not stored.thumbnail:
        raise Http404
    try:
        handle = stored.thumbnail.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type="image/png")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# --- OCR -----------------------------------------------------------------------------------------
def _ocr_of_visible_file(request, pk) -> OcrText:
    """The OCR text of a file: 404 unless the person may open its document (or it has none)."""
    stored = _visible_file(request, pk)
    ocr = OcrText.objects.filter(file=stored).select_related("file__document").first()
    if ocr is None:
        raise Http404
    return ocr


class OcrCorrectView(ServiceFormMixin, FormView):
    """Correct a file's machine-read text: 404 if the person may not open the document, 403 if
    they may not edit it."""

    form_class = OcrCorrectionForm
    template_name = "library/ocr_form.html"
    success_message = gettext_lazy("The corrected text has been saved; search now finds it.")

    def dispatch(self, request, *args, **kwargs):
        self.object = _ocr_of_visible_file(request, kwargs["pk"])
        self.document = self.object.file.document
        require(request.user, "library.change_document", self.document)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.object}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            ocr=self.object, stored=self.object.file, document=self.document, **kwargs
        )

    def perform(self, form) -> OcrText:
        return services.ocr_correct(
            by=self.request.user,
            ocr_text=self.object,
            text=form.cleaned_data["correction"],
            expected_version=form.expected_version,
        )

    def get_success_url(self) -> str:
        return self.document.get_absolute_url()


@require_POST
def ocr_rerun(request, pk):
    """Read a file's scanned pages again: 404 if the person may not open the document, 403 if
    they may not edit it."""
    stored = _visible_file(request, pk)
    require(request.user, "library.change_document", stored.document)
    try:
        result = services.ocr_rerun(by=request.user, stored=stored)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(stored.document)
    if result is not None and result.status == "unavailable":
        messages.warning(request, ocr_unavailable_message())
    else:
        messages.success(request, _("The scanned pages will be read again by OCR."))
    return redirect(stored.document)


def ocr_unavailable_message() -> str:
    return _("Text not read: OCR is not installed on the server — see the README (OCR).")
