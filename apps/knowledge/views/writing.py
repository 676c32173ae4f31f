"""Writing knowledge sets: new sets from a kind's skeleton, edits, the preview, attachments."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from apps.core.concurrency import StaleEditError, posted_version, sent_from_edit_page

from .. import selectors, services, skeletons, workflow
from ..content import render as render_markdown
from ..forms import MAX_BODY, AttachmentForm, KnowledgeSetForm
from ..models import Attachment, SetKind
from .common import set_page, visible_set


# --- Writing -------------------------------------------------------------------------------------
@require_http_methods(["GET", "POST"])
def set_create(request):
    """Choose a kind, then write: the body starts from the kind's standard skeleton."""
    if not request.user.has_perm("knowledge.add_set"):
        raise PermissionDenied
    kind = request.POST.get("kind") or request.GET.get("kind")
    if request.method == "GET" and kind not in SetKind.values:
        kinds = [
            {
                "value": value,
                "label": label,
                "description": skeletons.DESCRIPTIONS[value],
                "icon": skeletons.ICONS[value],
            }
            for value, label in SetKind.choices
        ]
        return render(request, "knowledge/kind_choice.html", {"kinds": kinds})
    initial = {"kind": kind, "body": skeletons.skeleton(kind)}
    form = KnowledgeSetForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            knowledge_set = services.set_create(by=request.user, form=form)
            messages.success(
                request, _("The draft has been saved. Submit it for review when it is ready.")
            )
            return redirect(knowledge_set)
        messages.error(request, _("Nothing was saved. Please correct the errors below."))
    kind_label = SetKind(kind).label if kind in SetKind.values else ""
    context = {"form": form, "kind": kind, "kind_label": kind_label}
    return render(request, "knowledge/set_form.html", context)


@require_http_methods(["GET", "POST"])
def set_update(request, pk):
    knowledge_set = visible_set(request, pk, queryset=selectors.detail_queryset())
    if not request.user.has_perm("knowledge.change_set", knowledge_set):
        raise PermissionDenied
    # The edit page's form sent after the set moved on (submitted, approved ... meanwhile) goes
    # to the service, which refuses it; the form is shown again with the reason and the text.
    keep_text = request.method == "POST" and sent_from_edit_page(request.POST)
    if not keep_text and not workflow.can_edit_now(request.user, knowledge_set):
        messages.warning(request, workflow.edit_problem(knowledge_set))
        return redirect(set_page(knowledge_set))
    form = KnowledgeSetForm(request.POST or None, instance=knowledge_set, user=request.user)
    if request.method == "POST":
        if form.is_valid():
            try:
                knowledge_set = services.set_update(
                    by=request.user, form=form, expected_version=form.expected_version
                )
            except services.WorkflowError as error:
                form.add_error(
                    None,
                    _("Nothing was saved: %(reason)s Your text is kept below.") % {"reason": error},
                )
            except StaleEditError as conflict:
                form.show_conflict(conflict)
            else:
                messages.success(request, _("The changes have been saved."))
                return redirect(set_page(knowledge_set))
        else:
            messages.error(request, _("Nothing was saved. Please correct the errors below."))
    context = {"form": form, "knowledge_set": knowledge_set, "kind": knowledge_set.kind}
    return render(request, "knowledge/set_form.html", context)


@require_POST
def preview(request):
    """The body as readers will see it (the same rendering and sanitising as on save)."""
    if not request.user.has_perm("knowledge.browse"):
        raise PermissionDenied
    body = request.POST.get("body", "")[:MAX_BODY]
    rendered = render_markdown(body)
    return JsonResponse({"html": rendered.html, "toc": rendered.toc})


@require_POST
def set_delete(request, pk):
    knowledge_set = visible_set(request, pk)
    if not request.user.has_perm("knowledge.delete_set", knowledge_set):
        raise PermissionDenied
    try:
        services.set_delete(
            by=request.user,
            knowledge_set=knowledge_set,
            expected_version=posted_version(request.POST),
        )
    except (services.WorkflowError, StaleEditError) as error:
        messages.warning(request, str(error))
        return redirect(set_page(knowledge_set))
    messages.success(request, _("The draft has been deleted."))
    return redirect("knowledge:workbench")


# --- Attachments ---------------------------------------------------------------------------------
@require_http_methods(["GET", "POST"])
def attachment_add(request, pk):
    knowledge_set = visible_set(request, pk)
    if not request.user.has_perm("knowledge.change_set", knowledge_set):
        raise PermissionDenied
    if not workflow.can_edit_now(request.user, knowledge_set):
        messages.warning(request, workflow.edit_problem(knowledge_set))
        return redirect(set_page(knowledge_set))
    form = AttachmentForm(request.POST or None, request.FILES or None, knowledge_set=knowledge_set)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.attachments_add(by=request.user, knowledge_set=knowledge_set, form=form)
            except services.WorkflowError as error:
                messages.warning(request, str(error))
                return redirect(set_page(knowledge_set))
            except ValidationError as error:
                form.add_error("files", error)
            else:
                messages.success(request, _("The files have been attached."))
                return redirect(set_page(knowledge_set))
        messages.error(request, _("Nothing was saved. Please correct the errors below."))
    context = {"form": form, "knowledge_set": knowledge_set}
    return render(request, "knowledge/attachment_form.html", context)


@require_POST
def attachment_delete(request, pk):
    attachment = get_object_or_404(Attachment.objects.select_related("knowledge_set"), pk=pk)
    knowledge_set = attachment.knowledge_set
    if not request.user.has_perm("knowledge.view_set", knowledge_set):
        raise Http404
    if not request.user.has_perm("knowledge.change_set", knowledge_set):
        raise PermissionDenied
    try:
        services.attachment_delete(by=request.user, attachment=attachment)
    except services.WorkflowError as error:
        messages.warning(request, str(error))
    else:
        messages.success(request, _("The attachment has been removed."))
    return redirect(set_page(knowledge_set))
