"""POST-only actions on a set: workflow steps, reviewers, currency, restore, comments, votes and
notices. Each checks the role (403), then lets the service check the state (a message)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from apps.core.concurrency import StaleEditError, posted_version
from apps.core.permissions import require, require_visible

from .. import selectors, services, workflow
from ..forms import CommentForm, ConfirmCurrentForm, NoteForm, ReviewersForm
from ..models import Action, Comment, CommentKind, Status
from .common import set_page, visible_set

SUCCESS = {
    Action.SUBMIT: gettext_lazy("The set has been sent for review."),
    Action.WITHDRAW: gettext_lazy("The set is a draft again."),
    Action.START_REVIEW: gettext_lazy("The review has started."),
    Action.REQUEST_CHANGES: gettext_lazy("The set went back to its authors with your note."),
    Action.APPROVE: gettext_lazy("The set is approved and can be published."),
    Action.SIGN_OFF: gettext_lazy("The set is signed off and can be published."),
    Action.RETURN_SIGNOFF: gettext_lazy("The set went back to its authors with your note."),
    Action.PUBLISH: gettext_lazy("The set is published: every staff member can read it now."),
    Action.REVISE: gettext_lazy(
        "A new version has been started; readers keep the published one meanwhile."
    ),
    Action.ARCHIVE: gettext_lazy("The set has been retired."),
    Action.REINSTATE: gettext_lazy("The set is published again."),
}


@require_POST
def notifications_read(request):
    services.notifications_mark_read(by=request.user)
    messages.success(request, _("All notices are marked as read."))
    return redirect("knowledge:workbench")


# --- The workflow --------------------------------------------------------------------------------
@require_POST
def set_transition(request, pk, action):
    knowledge_set = visible_set(request, pk)
    step = workflow.STEPS.get(action)
    if step is None:
        raise Http404
    require(request.user, step.perm, knowledge_set)
    form = NoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Nothing was done: the note is too long."))
        return redirect(set_page(knowledge_set))
    try:
        knowledge_set = services.set_transition(
            by=request.user,
            knowledge_set=knowledge_set,
            action=action,
            note=form.cleaned_data["note"],
            expected=form.cleaned_data["expected"],
            expected_version=posted_version(request.POST),
        )
    except services.WorkflowError as error:
        messages.warning(request, _("Nothing was done. %(reason)s") % {"reason": error})
    except StaleEditError as error:
        messages.warning(request, str(error))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if knowledge_set.status == Status.AWAITING_SIGNOFF:
            messages.success(request, _("The set is approved and now awaits the CKO's sign-off."))
        else:
            messages.success(request, str(SUCCESS[step.action]))
    return redirect(set_page(knowledge_set))


@require_POST
def reviewers_assign(request, pk):
    knowledge_set = visible_set(request, pk, queryset=selectors.detail_queryset())
    require(request.user, "knowledge.assign_reviewers", knowledge_set)
    form = ReviewersForm(request.POST, knowledge_set=knowledge_set)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("reviewers", [_("Invalid choice.")])))
        return redirect(set_page(knowledge_set))
    try:
        services.reviewers_assign(
            by=request.user,
            knowledge_set=knowledge_set,
            reviewers=form.cleaned_data["reviewers"],
            expected_version=posted_version(request.POST),
        )
    except (services.WorkflowError, StaleEditError) as error:
        messages.warning(request, str(error))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The reviewers have been saved."))
    return redirect(set_page(knowledge_set))


@require_POST
def confirm_current(request, pk):
    knowledge_set = visible_set(request, pk)
    require(request.user, "knowledge.confirm_current", knowledge_set)
    form = ConfirmCurrentForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("review_due", [])))
        return redirect(set_page(knowledge_set))
    try:
        services.set_confirm_current(
            by=request.user,
            knowledge_set=knowledge_set,
            review_due=form.cleaned_data["review_due"],
            expected_version=posted_version(request.POST),
        )
    except (services.WorkflowError, StaleEditError) as error:
        messages.warning(request, str(error))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Thank you: the set is recorded as still current."))
    return redirect(set_page(knowledge_set))


@require_POST
def version_restore(request, pk, number):
    knowledge_set = visible_set(request, pk)
    require(request.user, "knowledge.restore_version", knowledge_set)
    get_object_or_404(knowledge_set.versions, number=number)
    form = NoteForm(request.POST)
    expected = form.cleaned_data["expected"] if form.is_valid() else ""
    try:
        knowledge_set = services.version_restore(
            by=request.user,
            knowledge_set=knowledge_set,
            number=number,
            expected=expected,
            expected_version=posted_version(request.POST),
        )
    except services.WorkflowError as error:
        messages.warning(request, _("Nothing was done. %(reason)s") % {"reason": error})
    except StaleEditError as error:
        messages.warning(request, str(error))
    else:
        messages.success(
            request,
            _("The text of version %(number)s is the working copy again, as a draft.")
            % {"number": number},
        )
    return redirect(set_page(knowledge_set))


# --- Comments and votes --------------------------------------------------------------------------
@require_POST
def comment_add(request, pk):
    knowledge_set = visible_set(request, pk, queryset=selectors.detail_queryset())
    toc = knowledge_set.toc
    if knowledge_set.published_version_id and request.POST.get("kind") != CommentKind.REVIEW:
        toc = knowledge_set.published_version.toc
    form = CommentForm(request.POST, toc=toc)
    if not form.is_valid():
        messages.error(request, _("The comment was not saved: %(reason)s") % {
            "reason": " ".join(" ".join(errors) for errors in form.errors.values())
        })  # fmt: skip
        return redirect(set_page(knowledge_set))
    kind = form.cleaned_data["kind"]
    perm = "knowledge.review_comment" if kind == CommentKind.REVIEW else "knowledge.comment"
    require(request.user, perm, knowledge_set)
    parent = None
    if form.cleaned_data.get("parent"):
        parent = get_object_or_404(knowledge_set.comments, pk=form.cleaned_data["parent"])
    try:
        comment = services.comment_add(
            by=request.user,
            knowledge_set=knowledge_set,
            kind=kind,
            body=form.cleaned_data["body"],
            section=form.cleaned_data.get("section") or "",
            parent=parent,
        )
    except services.WorkflowError as error:
        messages.warning(request, str(error))
        return redirect(set_page(knowledge_set))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(set_page(knowledge_set))
    messages.success(request, _("Your comment has been added."))
    return redirect(f"{set_page(knowledge_set)}#comment-{comment.pk}")


@require_POST
def comment_delete(request, pk):
    comment = get_object_or_404(Comment.objects.select_related("knowledge_set"), pk=pk)
    knowledge_set = comment.knowledge_set
    view_rule = (
        "knowledge.view_working" if comment.kind == CommentKind.REVIEW else "knowledge.view_set"
    )
    require_visible(request.user, view_rule, knowledge_set)
    require(request.user, "knowledge.delete_comment", comment)
    services.comment_delete(by=request.user, comment=comment)
    messages.success(request, _("The comment has been removed."))
    return redirect(set_page(knowledge_set))


@require_POST
def vote(request, pk):
    knowledge_set = visible_set(request, pk)
    require(request.user, "knowledge.vote", knowledge_set)
    answer = request.POST.get("useful")
    if answer not in {"yes", "no"}:
        messages.error(request, _("Choose yes or no."))
    else:
        try:
            services.vote_cast(by=request.user, knowledge_set=knowledge_set, useful=answer == "yes")
        except services.WorkflowError as error:
            messages.warning(request, str(error))
        else:
            messages.success(request, _("Thank you for telling us."))
    return redirect(f"{knowledge_set.get_absolute_url()}#useful")
