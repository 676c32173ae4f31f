"""Writing knowledge sets: new sets from a kind's skeleton, edits, the preview, attachments."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from apps.core.concurrency import StaleEditError, posted_version, sent_from_edit_page
from apps.core.permissions import require, require_visible
from apps.core.views.forms import ServiceFormView

from .. import services, skeletons, workflow
from ..content import MAX_BODY
from ..content import render as render_markdown
from ..forms import AttachmentForm, KnowledgeSetForm
from ..models import Attachment, KnowledgeSet, SetKind
from .common import SetMixin, set_page, visible_set


# --- Writing -------------------------------------------------------------------------------------
class SetCreateView(ServiceFormView):
    """Choose a kind, then write: the body starts from the kind's standard skeleton."""

    form_class = KnowledgeSetForm
    template_name = "knowledge/set_form.html"
    http_method_names = ["get", "post"]
    success_message = gettext_lazy(
        "The draft has been saved. Submit it for review when it is ready."
    )

    def dispatch(self, request, *args, **kwargs) -> HttpResponse:
        if request.method.lower() not in self.http_method_names:
            return self.http_method_not_allowed(request, *args, **kwargs)
        require(request.user, "knowledge.add_set")
        self.kind = request.POST.get("kind") or request.GET.get("kind")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs) -> HttpResponse:
        if self.kind not in SetKind.values:
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
        return super().get(request, *args, **kwargs)

    def get_initial(self) -> dict[str, Any]:
        return {"kind": self.kind, "body": skeletons.skeleton(self.kind)}

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_context_data(self, **kwargs) -> dict[str, Any]:
        kind_label = SetKind(self.kind).label if self.kind in SetKind.values else ""
        return super().get_context_data(kind=self.kind, kind_label=kind_label, **kwargs)

    def perform(self, form: KnowledgeSetForm) -> KnowledgeSet:
        return services.set_create(by=self.request.user, data=form.set_data())


class SetUpdateView(SetMixin, ServiceFormView):
    """Change the working copy: its authors while it is a draft, its reviewers, the head and the
    CKO during the review (``workflow.can_edit_now``); the others are told why not now."""

    form_class = KnowledgeSetForm
    template_name = "knowledge/set_form.html"
    http_method_names = ["get", "post"]
    permission_required = "knowledge.change_set"
    success_message = gettext_lazy("The changes have been saved.")

    def not_now(self) -> HttpResponse | None:
        # The edit page's form sent after the set moved on (submitted, approved ... meanwhile)
        # goes to the service, which refuses it; the form is shown again with the reason and the
        # text.
        request = self.request
        keep_text = request.method == "POST" and sent_from_edit_page(request.POST)
        if not keep_text and not workflow.can_edit_now(request.user, self.object):
            messages.warning(request, workflow.edit_problem(self.object))
            return redirect(set_page(self.object))
        return None

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "instance": self.object, "user": self.request.user}

    def get_context_data(self, **kwargs) -> dict[str, Any]:
        return super().get_context_data(kind=self.object.kind, **kwargs)

    def get_success_url(self) -> str:
        return set_page(self.saved)

    def perform(self, form: KnowledgeSetForm) -> KnowledgeSet:
        try:
            return services.set_update(
                by=self.request.user,
                knowledge_set=self.object,
                data=form.set_data(),
                expected_version=form.expected_version,
            )
        except services.WorkflowError as error:
            raise ValidationError(
                _("Nothing was saved: %(reason)s Your text is kept below.") % {"reason": error}
            ) from None


@require_POST
def preview(request):
    """The body as readers will see it (the same rendering and sanitising as on save)."""
    require(request.user, "knowledge.browse")
    body = request.POST.get("body", "")[:MAX_BODY]
    rendered = render_markdown(body)
    return JsonResponse({"html": rendered.html, "toc": rendered.toc})


@require_POST
def set_delete(request, pk):
    knowledge_set = visible_set(request, pk)
    require(request.user, "knowledge.delete_set", knowledge_set)
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
class AttachmentAddView(SetMixin, ServiceFormView):
    """Attach files while the set may be edited; the service checks what they are."""

    form_class = AttachmentForm
    template_name = "knowledge/attachment_form.html"
    http_method_names = ["get", "post"]
    permission_required = "knowledge.change_set"
    success_message = gettext_lazy("The files have been attached.")

    def get_queryset(self):
        return KnowledgeSet.objects.visible_to(self.request.user)

    def not_now(self) -> HttpResponse | None:
        if not workflow.can_edit_now(self.request.user, self.object):
            messages.warning(self.request, workflow.edit_problem(self.object))
            return redirect(set_page(self.object))
        return None

    def get_success_url(self) -> str:
        return set_page(self.object)

    def perform(self, form: AttachmentForm) -> list[Attachment]:
        return services.attachments_add(
            by=self.request.user, knowledge_set=self.object, files=form.cleaned_data["files"]
        )


@require_POST
def attachment_delete(request, pk):
    attachment = get_object_or_404(Attachment.objects.select_related("knowledge_set"), pk=pk)
    knowledge_set = attachment.knowledge_set
    require_visible(request.user, "knowledge.view_set", knowledge_set)
    require(request.user, "knowledge.change_set", knowledge_set)
    try:
        services.attachment_delete(by=request.user, attachment=attachment)
    except services.WorkflowError as error:
        messages.warning(request, str(error))
    else:
        messages.success(request, _("The attachment has been removed."))
    return redirect(set_page(knowledge_set))
