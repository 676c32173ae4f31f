"""Browsing and reading knowledge sets: the list, a set's page, its working copy, paper, the
history and the differences between versions, and attachments."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import DetailView, TemplateView, View
from django_filters.views import FilterView
from rules.contrib.views import PermissionRequiredMixin

from apps.core import files
from apps.core.permissions import require, require_visible

from .. import diff as differ
from .. import selectors, services, workflow
from ..filters import KnowledgeSetFilter
from ..forms import CommentForm, ConfirmCurrentForm, ReviewersForm
from ..models import Action, Attachment, CommentKind, KnowledgeSet, Status
from .common import SetMixin


# --- Browsing ------------------------------------------------------------------------------------
class SetListView(PermissionRequiredMixin, FilterView):
    permission_required = "knowledge.browse"
    raise_exception = True
    filterset_class = KnowledgeSetFilter
    template_name = "knowledge/set_list.html"
    paginate_by = 20

    def get_queryset(self):
        return selectors.browse(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            query_string=query.urlencode(),
            facets=selectors.facets(KnowledgeSet.objects.public()),
            filtered=any(value for key, value in query.items() if key != "sort"),
        )
        return context


class WorkbenchView(TemplateView):
    """My knowledge sets: what waits for me, what I write and review, what is due."""

    template_name = "knowledge/workbench.html"
    http_method_names = ["get", "head"]

    def get(self, request, *args, **kwargs) -> HttpResponse:
        require(request.user, "knowledge.browse")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), **selectors.workbench(self.request.user)}


# --- Reading -------------------------------------------------------------------------------------
def _page_context(request, knowledge_set: KnowledgeSet, showing: str) -> dict:
    user = request.user
    insider = user.has_perm("knowledge.view_working", knowledge_set)
    live = showing == "live"
    content = knowledge_set.published_version if live else knowledge_set
    steps = workflow.available_steps(user, knowledge_set) if insider else []
    can_confirm = knowledge_set.status == Status.PUBLISHED and user.has_perm(
        "knowledge.confirm_current", knowledge_set
    )
    can_assign = knowledge_set.status != Status.ARCHIVED and user.has_perm(
        "knowledge.assign_reviewers", knowledge_set
    )
    can_delete = (
        knowledge_set.status == Status.DRAFT
        and not knowledge_set.published_version_id
        and user.has_perm("knowledge.delete_set", knowledge_set)
    )
    review_open = insider and not live and knowledge_set.status in services.REVIEWABLE
    transitions = selectors.transitions(knowledge_set) if insider else []
    comment_kind = CommentKind.REVIEW if review_open else CommentKind.COMMENT
    return {
        "knowledge_set": knowledge_set,
        "content": content,
        "showing": showing,
        "version": knowledge_set.published_version if live else None,
        "insider": insider,
        "steps": steps,
        "expected": knowledge_set.status,
        "can_edit": insider and workflow.can_edit_now(user, knowledge_set),
        "can_assign": can_assign,
        "reviewers_form": ReviewersForm(knowledge_set=knowledge_set) if can_assign else None,
        "can_confirm": can_confirm,
        "confirm_form": ConfirmCurrentForm(
            initial={"review_due": timezone.localdate() + dt.timedelta(days=365)}
        )
        if can_confirm
        else None,
        "can_delete": can_delete,
        "authors": list(knowledge_set.authors.all()),
        "reviewers": list(knowledge_set.reviewers.all()),
        "holders": list(knowledge_set.holders.all()),
        "tags": list(knowledge_set.tags.all()),
        "documents": selectors.visible_documents(knowledge_set, user),
        "attachments": list(knowledge_set.attachments.all()),
        "transitions": transitions,
        "retired_because": next((t.note for t in transitions if t.action == Action.ARCHIVE), "")
        if knowledge_set.status == Status.ARCHIVED
        else "",
        "review_threads": selectors.review_threads(knowledge_set) if insider and not live else [],
        "review_open": review_open,
        "reader_threads": selectors.reader_threads(knowledge_set) if live else [],
        "can_comment": (review_open and user.has_perm("knowledge.review_comment", knowledge_set))
        or (live and user.has_perm("knowledge.comment", knowledge_set)),
        "comment_form": CommentForm(toc=content.toc, initial={"kind": comment_kind}),
        "votes": selectors.votes(knowledge_set, user) if live else None,
        "can_vote": live and user.has_perm("knowledge.vote", knowledge_set),
        "versions": selectors.versions(knowledge_set),
        "related_sets": selectors.related_sets(knowledge_set, user),
        "related_documents": selectors.related_documents(knowledge_set, user),
    }


class ReadingMixin(SetMixin):
    """A page that shows a set and changes nothing (GET and HEAD only)."""

    http_method_names = ["get", "head"]


class SetDetailView(ReadingMixin, DetailView):
    """The reading view: the published version (or, before the first publication, the working
    copy), with its contents, comments, usefulness and, for the people involved, the workflow."""

    template_name = "knowledge/set_detail.html"

    def get(self, request, *args, **kwargs) -> HttpResponse:
        if self.object.published_version_id:
            services.reading_record(by=request.user, knowledge_set=self.object)
        services.notifications_mark_read(by=request.user, knowledge_set=self.object)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs) -> dict[str, Any]:
        showing = "live" if self.object.published_version_id else "working"
        return {**kwargs, **_page_context(self.request, self.object, showing)}


class SetWorkingView(ReadingMixin, DetailView):
    """The working copy of a published set while its next version is written and reviewed."""

    template_name = "knowledge/set_detail.html"
    permission_required = "knowledge.view_working"

    def not_now(self) -> HttpResponse | None:
        if not self.object.has_pending_revision:
            return redirect(self.object)
        return None

    def get(self, request, *args, **kwargs) -> HttpResponse:
        services.notifications_mark_read(by=request.user, knowledge_set=self.object)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs) -> dict[str, Any]:
        return {**kwargs, **_page_context(self.request, self.object, "working")}


class SetPrintView(ReadingMixin, DetailView):
    """A page made for paper, and for "Save as PDF" in the browser's print dialogue."""

    template_name = "knowledge/set_print.html"

    def get_context_data(self, **kwargs) -> dict[str, Any]:
        knowledge_set, request = self.object, self.request
        live = bool(knowledge_set.published_version_id)
        if request.GET.get("copy") == "working" and request.user.has_perm(
            "knowledge.view_working", knowledge_set
        ):
            live = False
        return super().get_context_data(
            content=knowledge_set.published_version if live else knowledge_set,
            version=knowledge_set.published_version if live else None,
            authors=list(knowledge_set.authors.all()),
            holders=list(knowledge_set.holders.all()),
            documents=selectors.visible_documents(knowledge_set, request.user),
            attachments=list(knowledge_set.attachments.all()),
            printed_at=timezone.now(),
            **kwargs,
        )


class HistoryView(ReadingMixin, DetailView):
    """The published versions of a set, and what can be done with them."""

    template_name = "knowledge/history.html"

    def get_context_data(self, **kwargs) -> dict[str, Any]:
        knowledge_set, user = self.object, self.request.user
        return super().get_context_data(
            versions=selectors.versions(knowledge_set),
            insider=user.has_perm("knowledge.view_working", knowledge_set),
            can_restore=user.has_perm("knowledge.restore_version", knowledge_set)
            and knowledge_set.status in workflow.RESTORABLE,
            expected=knowledge_set.status,
            **kwargs,
        )


class VersionDetailView(ReadingMixin, DetailView):
    """One published version of a set, as it was published."""

    template_name = "knowledge/version_detail.html"

    def get_context_data(self, **kwargs) -> dict[str, Any]:
        knowledge_set, user = self.object, self.request.user
        version = get_object_or_404(
            knowledge_set.versions.select_related("published_by"), number=self.kwargs["number"]
        )
        return super().get_context_data(
            version=version,
            can_restore=user.has_perm("knowledge.restore_version", knowledge_set)
            and knowledge_set.status in workflow.RESTORABLE,
            expected=knowledge_set.status,
            **kwargs,
        )


def _is_number(text: str) -> bool:
    """A version number as the address gives it: ASCII digits only (``²`` passes
    ``isdigit`` but not ``int``), and short enough for the database."""
    return text.isascii() and text.isdigit() and len(text) <= 9


def _text_of(request, knowledge_set: KnowledgeSet, which: str):
    """(label, (title, summary, body)) of a version number or of the working copy."""
    if which == "working":
        if not request.user.has_perm("knowledge.view_working", knowledge_set):
            raise PermissionDenied
        return _("Working copy"), (knowledge_set.title, knowledge_set.summary, knowledge_set.body)
    if not _is_number(which):
        raise Http404
    version = knowledge_set.versions.filter(number=int(which)).first()
    if version is None:
        raise Http404
    label = _("Version %(number)s") % {"number": version.number}
    return label, (version.title, version.summary, version.body)


class CompareView(ReadingMixin, DetailView):
    """What changed between two versions, or between a version and the working copy
    (``?from=1&to=2``, ``?from=2&to=working``; ``to`` alone compares with the one before)."""

    template_name = "knowledge/diff.html"

    def get(self, request, *args, **kwargs) -> HttpResponse:
        knowledge_set = self.object
        numbers = sorted(knowledge_set.versions.values_list("number", flat=True))
        target = request.GET.get("to") or (str(numbers[-1]) if numbers else "working")
        source = request.GET.get("from")
        if not source:
            if target == "working":
                source = str(numbers[-1]) if numbers else None
            elif _is_number(target):
                earlier = [n for n in numbers if n < int(target)]
                source = str(earlier[-1]) if earlier else None
        if source is None:
            messages.info(request, _("There is no earlier version to compare with yet."))
            return redirect("knowledge:history", pk=knowledge_set.pk)
        old_label, old = _text_of(request, knowledge_set, source)
        new_label, new = _text_of(request, knowledge_set, target)
        context = self.get_context_data(
            diff=differ.diff_texts(old, new),
            old_label=old_label,
            new_label=new_label,
            versions=numbers,
            source=source,
            target=target,
            insider=request.user.has_perm("knowledge.view_working", knowledge_set),
        )
        return self.render_to_response(context)


class AttachmentDownloadView(View):
    """An attachment through the set's permission check, as a download under its original name
    (``?inline=1`` shows PDFs and pictures in the browser)."""

    http_method_names = ["get", "head"]

    def get(self, request, pk: int) -> HttpResponse:
        attachment = get_object_or_404(Attachment.objects.select_related("knowledge_set"), pk=pk)
        require_visible(request.user, "knowledge.view_set", attachment.knowledge_set)
        inline = request.GET.get("inline") == "1" and attachment.inline_safe
        return files.serve(
            attachment.file, filename=attachment.original_name, mime=attachment.mime, inline=inline
        )
