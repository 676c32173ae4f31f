"""The knowledge corner's pages: shelves, a document, upload and edit, downloads."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_filters.views import FilterView
from rules.contrib.views import PermissionRequiredMixin

from apps.core import files
from apps.core.concurrency import StaleEditError, posted_version

from . import selectors, services
from .filters import DocumentFilter
from .forms import AddFilesForm, DocumentForm, DocumentUploadForm
from .models import Document, DocumentFile


def visible_document(request, pk: int, *, queryset=None) -> Document:
    """A document the person may open; anything else is "not found", so that nobody learns the
    title or even the existence of what they may not open."""
    queryset = queryset if queryset is not None else Document.objects.all()
    return get_object_or_404(queryset.visible_to(request.user), pk=pk)


class DocumentListView(PermissionRequiredMixin, FilterView):
    permission_required = "library.browse"
    raise_exception = True
    filterset_class = DocumentFilter
    template_name = "library/document_list.html"
    paginate_by = 20

    def get_queryset(self):
        return (
            Document.objects.visible_to(self.request.user)
            .select_related("category", "replaced_by")
            .prefetch_related("tags", "files")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        visible = Document.objects.visible_to(self.request.user)
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            query_string=query.urlencode(),
            facets=selectors.facets(visible),
            tree=selectors.category_tree(visible),
            filtered=any(value for key, value in query.items() if key != "sort"),
        )
        return context


@require_safe
def document_detail(request, pk):
    document = visible_document(
        request,
        pk,
        queryset=Document.objects.select_related(
            "category", "replaced_by", "uploaded_by", "access_team"
        ),
    )
    files = list(document.files.all())
    replaced_by = document.replaced_by
    if replaced_by and not request.user.has_perm("library.view_document", replaced_by):
        replaced_by = None
    context = {
        "document": document,
        "files": files,
        "main_file": next((f for f in files if f.is_main), files[0] if files else None),
        "replaced_by": replaced_by,
        "replaces": list(document.replaces.visible_to(request.user)),
        "tags": list(document.tags.all()),
        "category_path": selectors.category_path(document.category),
        "related": selectors.related_documents(document, user=request.user),
    }
    if request.method == "GET":
        services.record_use(document.pk, view=True)
    return render(request, "library/document_detail.html", context)


@require_http_methods(["GET", "POST"])
def document_create(request):
    if not request.user.has_perm("library.add_document"):
        raise PermissionDenied
    form = DocumentUploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST":
        if form.is_valid():
            try:
                document = services.document_create(form=form, user=request.user)
            except ValidationError as error:
                form.add_error("files", error)
            else:
                messages.success(request, _("The document has been added to the library."))
                return redirect(document)
        messages.error(request, _("Nothing was saved. Please correct the errors below."))
    return render(request, "library/document_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
def document_update(request, pk):
    document = visible_document(request, pk)
    if not request.user.has_perm("library.change_document", document):
        raise PermissionDenied
    form = DocumentForm(request.POST or None, instance=document, user=request.user)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.document_update(form=form, expected_version=form.expected_version)
            except StaleEditError as conflict:
                form.show_conflict(conflict)
            else:
                messages.success(request, _("The document has been saved."))
                return redirect(document)
        else:
            messages.error(request, _("Nothing was saved. Please correct the errors below."))
    return render(request, "library/document_form.html", {"form": form, "document": document})


@require_http_methods(["GET", "POST"])
def document_add_files(request, pk):
    document = visible_document(request, pk)
    if not request.user.has_perm("library.change_document", document):
        raise PermissionDenied
    form = AddFilesForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.document_add_files(document=document, form=form, user=request.user)
            except ValidationError as error:
                form.add_error("files", error)
            else:
                messages.success(request, _("The files have been added."))
                return redirect(document)
        messages.error(request, _("Nothing was saved. Please correct the errors below."))
    return render(request, "library/add_files_form.html", {"form": form, "document": document})


@require_POST
def document_delete(request, pk):
    document = visible_document(request, pk)
    if not request.user.has_perm("library.delete_document", document):
        raise PermissionDenied
    try:
        services.document_delete(document=document, expected_version=posted_version(request.POST))
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
