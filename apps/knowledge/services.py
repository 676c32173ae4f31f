"""Writes to knowledge sets. Each is one transaction that checks the caller's permission itself
(views check first, for the 403 page), so a refused, invalid or out-of-date request leaves
nothing behind. Workflow steps lock the set's row, so two people clicking at once cannot both
move it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.core.concurrency import bump_version, check_version, lock_for_edit
from apps.core.files import atomic_with_files, delete_after_commit, stored_files
from apps.core.permissions import require as _require
from apps.core.races import refused_if_taken
from apps.core.text import strip_invisible
from apps.library.services import tags_from_names

from . import notifications
from .content import render
from .forms import AttachmentForm, KnowledgeSetForm, already_attached
from .models import (
    Action,
    Attachment,
    Comment,
    CommentKind,
    KnowledgeSet,
    Notification,
    ReadingDay,
    Status,
    Transition,
    Version,
    Vote,
)
from .workflow import RESTORABLE, STEPS, can_edit_now, edit_problem, state_problem

TEXT_FIELDS = ("title", "summary", "body", "body_html", "toc")
CATALOGUE_FIELDS = ("kind", "group", "km_step", "category", "review_due")
# A set is reviewed for currency a year after it is published, unless its owners chose a date.
REVIEW_AFTER = dt.timedelta(days=365)


class WorkflowError(Exception):
    """A request that does not fit the set's present state, e.g. approving an approved set."""


def _locked(knowledge_set: KnowledgeSet) -> KnowledgeSet:
    return KnowledgeSet.objects.select_for_update().get(pk=knowledge_set.pk)


def _record(
    knowledge_set: KnowledgeSet,
    *,
    action: str,
    by: User,
    from_status: str,
    note: str = "",
    version_number: int | None = None,
) -> Transition:
    return Transition.objects.create(
        knowledge_set=knowledge_set,
        action=action,
        from_status=from_status,
        to_status=knowledge_set.status,
        actor=by,
        note=note,
        version_number=version_number,
    )


def _apply_text(knowledge_set: KnowledgeSet) -> None:
    rendered = render(knowledge_set.body)
    knowledge_set.body_html, knowledge_set.toc = rendered.html, rendered.toc


# --- Writing -------------------------------------------------------------------------------------
@transaction.atomic
def set_create(*, by: User, form: KnowledgeSetForm) -> KnowledgeSet:
    """Start a new set as a draft; its writer is always one of its authors."""
    _require(by, "knowledge.add_set")
    knowledge_set: KnowledgeSet = form.save(commit=False)
    knowledge_set.status = Status.DRAFT
    knowledge_set.created_by = by
    _apply_text(knowledge_set)
    knowledge_set.save()
    form.save_m2m()
    knowledge_set.authors.add(by)
    knowledge_set.tags.set(tags_from_names(form.cleaned_data["tag_names"]))
    knowledge_set.forget_people()
    _record(knowledge_set, action=Action.CREATE, by=by, from_status="")
    return knowledge_set


@transaction.atomic
def set_update(
    *, by: User, form: KnowledgeSetForm, expected_version: int | None = None
) -> KnowledgeSet:
    """Save a change to the working copy (text and catalogue data), re-rendering and sanitising
    the body. Linked documents the editor may not open stay linked.

    Raises ``StaleEditError`` when the set was saved after ``expected_version`` (the version the
    editor's page showed), so one person's save never silently erases another's.
    """
    current = lock_for_edit(form.instance, expected_version=expected_version)
    _require(by, "knowledge.change_set", current)
    if not can_edit_now(by, current):
        raise WorkflowError(edit_problem(current))
    hidden = form.hidden_documents()
    knowledge_set: KnowledgeSet = form.save(commit=False)
    _apply_text(knowledge_set)
    # Only what the form edits: the workflow's fields and the view count are not the form's.
    knowledge_set.save(update_fields=[*TEXT_FIELDS, *CATALOGUE_FIELDS, "updated_at"])
    form.save_m2m()
    if hidden:
        knowledge_set.documents.add(*hidden)
    knowledge_set.tags.set(tags_from_names(form.cleaned_data["tag_names"]))
    knowledge_set.forget_people()
    return knowledge_set


@transaction.atomic
def set_delete(
    *, by: User, knowledge_set: KnowledgeSet, expected_version: int | None = None
) -> None:
    """Remove a draft that was never published (a published one is retired instead); not if
    someone saved it after the ``expected_version`` the page showed (``StaleEditError``)."""
    current = _locked(knowledge_set)
    _require(by, "knowledge.delete_set", current)
    check_version(current, expected_version=expected_version)
    if current.status != Status.DRAFT or current.published_version_id:
        raise WorkflowError(
            _("Only a draft that was never published can be deleted; retire a published set.")
        )
    names = [(a.file.storage, a.file.name) for a in current.attachments.all()]
    current.delete()
    delete_after_commit(names)


# --- The workflow --------------------------------------------------------------------------------
@transaction.atomic
def set_transition(
    *,
    by: User,
    knowledge_set: KnowledgeSet,
    action: str,
    note: str = "",
    expected: str = "",
    expected_version: int | None = None,
) -> KnowledgeSet:
    """Take one workflow step (``workflow.STEPS``) and record it.

    Raises ``PermissionDenied`` for a person whose role may not take the step,
    ``WorkflowError`` when the set is not in a state the step starts from (or no longer in the
    ``expected`` state the person's page showed), ``StaleEditError`` when it was saved after the
    ``expected_version`` the page showed (an approval of text the approver has not seen), and
    ``ValidationError`` for a missing note. Publishing makes a new numbered ``Version`` of the
    working copy.
    """
    step = STEPS.get(action)
    if step is None:
        raise WorkflowError(_("There is no such step."))
    current = _locked(knowledge_set)
    _require(by, step.perm, current)
    check_version(current, expected_version=expected_version)
    if expected and expected != current.status:
        raise WorkflowError(
            _("The set has changed since you opened the page: it is now %(status)s.")
            % {"status": current.get_status_display().lower()}
        )
    problem = state_problem(current, step)
    if problem:
        raise WorkflowError(problem)
    note = strip_invisible(note)
    if step.note_required and not note:
        raise ValidationError(_("Please write a note: %(label)s") % {"label": step.note_label})
    from_status = current.status
    current.status = step.target
    fields = ["status", "updated_at"]
    number = None
    if step.action == Action.PUBLISH:
        number = (current.versions.aggregate(n=Max("number"))["n"] or 0) + 1
        current.published_version = Version.objects.create(
            knowledge_set=current,
            number=number,
            title=current.title,
            summary=current.summary,
            body=current.body,
            body_html=current.body_html,
            toc=current.toc,
            note=note[:500],
            published_by=by,
        )
        fields.append("published_version")
        if current.review_due is None or current.review_due <= timezone.localdate():
            current.review_due = timezone.localdate() + REVIEW_AFTER
            fields.append("review_due")
    current.save(update_fields=fields)
    _record(current, action=step.action, by=by, from_status=from_status, note=note,
            version_number=number)  # fmt: skip
    notifications.notify(knowledge_set=current, event=step.action, actor=by, note=note)
    return current


@transaction.atomic
def version_restore(
    *,
    by: User,
    knowledge_set: KnowledgeSet,
    number: int,
    expected: str = "",
    expected_version: int | None = None,
) -> KnowledgeSet:
    """Bring an earlier version's text back as the working copy, as a draft: it becomes the next
    version once it is reviewed, approved and published again. Refused (``StaleEditError``) when the
    working copy was saved after the ``expected_version`` the page showed."""
    current = _locked(knowledge_set)
    _require(by, "knowledge.restore_version", current)
    check_version(current, expected_version=expected_version)
    if expected and expected != current.status:
        raise WorkflowError(
            _("The set has changed since you opened the page: it is now %(status)s.")
            % {"status": current.get_status_display().lower()}
        )
    if current.status not in RESTORABLE:
        raise WorkflowError(
            _("An earlier version can be restored only into a draft or a published set.")
        )
    version = current.versions.filter(number=number).first()
    if version is None:
        raise WorkflowError(_("There is no version %(number)s.") % {"number": number})
    from_status = current.status
    current.title, current.summary, current.body = version.title, version.summary, version.body
    _apply_text(current)
    current.status = Status.DRAFT
    current.save(
        update_fields=["title", "summary", "body", "body_html", "toc", "status", "updated_at"]
    )
    note = _("Restored the text of version %(number)s.") % {"number": number}
    _record(current, action=Action.RESTORE, by=by, from_status=from_status, note=note,
            version_number=number)  # fmt: skip
    notifications.notify(knowledge_set=current, event=Action.RESTORE, actor=by, note=note)
    return current


@transaction.atomic
def set_confirm_current(
    *,
    by: User,
    knowledge_set: KnowledgeSet,
    review_due: dt.date,
    expected_version: int | None = None,
) -> KnowledgeSet:
    """The owners checked a published set and it is still current: set its next review."""
    current = _locked(knowledge_set)
    _require(by, "knowledge.confirm_current", current)
    check_version(current, expected_version=expected_version)
    if current.status != Status.PUBLISHED:
        raise WorkflowError(_("Only a published set with no new version under way is confirmed."))
    if review_due <= timezone.localdate():
        raise ValidationError(_("The next review must be a day after today."))
    current.review_due = review_due
    current.save(update_fields=["review_due", "updated_at"])
    _record(current, action=Action.CONFIRM, by=by, from_status=current.status)
    return current


@transaction.atomic
def reviewers_assign(
    *,
    by: User,
    knowledge_set: KnowledgeSet,
    reviewers: Iterable[User],
    expected_version: int | None = None,
) -> KnowledgeSet:
    """Name the set's reviewers (not its authors); the new ones are told. Refused
    (``StaleEditError``) when the set changed after the ``expected_version`` the page showed, so two
    people choosing reviewers at once cannot silently undo each other's choice."""
    current = _locked(knowledge_set)
    _require(by, "knowledge.assign_reviewers", current)
    check_version(current, expected_version=expected_version)
    if current.status == Status.ARCHIVED:
        raise WorkflowError(_("A retired set is not reviewed."))
    reviewers = list(reviewers)
    authors = current.author_ids()
    if any(person.pk in authors for person in reviewers):
        raise ValidationError(_("An author cannot review their own set."))
    before = current.reviewer_ids()
    current.reviewers.set(reviewers)
    bump_version(current)
    current.forget_people()
    knowledge_set.forget_people()
    added = [person for person in reviewers if person.pk not in before]
    if added:
        notifications.notify(
            knowledge_set=current, event=notifications.REVIEWERS, actor=by, recipients=added
        )
    return current


# --- Comments, votes and readings ----------------------------------------------------------------
REVIEWABLE = frozenset({Status.DRAFT, Status.SUBMITTED, Status.IN_REVIEW, Status.APPROVED})


@transaction.atomic
def comment_add(
    *,
    by: User,
    knowledge_set: KnowledgeSet,
    kind: str,
    body: str,
    section: str = "",
    parent: Comment | None = None,
) -> Comment:
    """A review comment on the working copy, or a comment or question on the published set; a
    reply joins its thread (one level deep) and takes the thread's kind."""
    if parent is not None:
        if parent.knowledge_set_id != knowledge_set.pk:
            raise ValidationError(_("That comment belongs to another set."))
        if parent.parent_id:
            parent = parent.parent
        kind = CommentKind.REVIEW if parent.kind == CommentKind.REVIEW else CommentKind.COMMENT
        section = parent.section
    if kind == CommentKind.REVIEW:
        _require(by, "knowledge.review_comment", knowledge_set)
        if knowledge_set.status not in REVIEWABLE:
            raise WorkflowError(_("Review comments go with a draft or a set in review."))
    elif kind in {CommentKind.COMMENT, CommentKind.QUESTION}:
        _require(by, "knowledge.comment", knowledge_set)
        if not knowledge_set.is_public:
            raise WorkflowError(_("Comments and questions go with a published set."))
    else:
        raise ValidationError(_("Unknown kind of comment."))
    body = strip_invisible(body or "")
    if not body:
        raise ValidationError(_("Write something first."))
    comment = Comment(
        knowledge_set=knowledge_set,
        author=by,
        kind=kind,
        section=section[:200],
        body=body,
        parent=parent,
    )
    comment.full_clean()
    comment.save()
    event = {
        CommentKind.REVIEW: notifications.REVIEW_COMMENT,
        CommentKind.QUESTION: notifications.QUESTION,
    }.get(kind, notifications.COMMENT)
    recipients = notifications.people_concerned(knowledge_set, event)
    if parent is not None and parent.author is not None:
        recipients.add(parent.author)
    if kind == CommentKind.REVIEW:
        recipients |= set(knowledge_set.reviewers.filter(is_active=True))
    notifications.notify(
        knowledge_set=knowledge_set,
        event=event,
        actor=by,
        note=body[:300],
        recipients=recipients,
    )
    return comment


@transaction.atomic
def comment_delete(*, by: User, comment: Comment) -> None:
    _require(by, "knowledge.delete_comment", comment)
    comment.delete()


@transaction.atomic
def vote_cast(*, by: User, knowledge_set: KnowledgeSet, useful: bool) -> Vote:
    """Record whether the set was useful to this person; a second answer replaces the first."""
    _require(by, "knowledge.vote", knowledge_set)
    if not knowledge_set.is_public:
        raise WorkflowError(_("Only a published set is rated."))
    vote, _created = Vote.objects.update_or_create(
        knowledge_set=knowledge_set, person=by, defaults={"useful": useful}
    )
    return vote


def reading_record(*, by: User, knowledge_set: KnowledgeSet) -> bool:
    """Count a reader's visit to a published set, once per person and day; True if counted."""
    if not knowledge_set.is_public or not getattr(by, "is_authenticated", False):
        return False
    with transaction.atomic():
        _reading, created = ReadingDay.objects.get_or_create(
            knowledge_set=knowledge_set, person=by, day=timezone.localdate()
        )
        if created:
            # A plain UPDATE: a view is not a change of the set (no audit entry, no reindex).
            KnowledgeSet.objects.filter(pk=knowledge_set.pk).update(view_count=F("view_count") + 1)
            knowledge_set.view_count += 1
    return created


def notifications_mark_read(*, user: User, knowledge_set: KnowledgeSet | None = None) -> int:
    """Mark the person's notices read (for one set, or all of them)."""
    if not getattr(user, "is_authenticated", False):
        return 0
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if knowledge_set is not None:
        unread = unread.filter(knowledge_set=knowledge_set)
    return unread.update(read_at=timezone.now())


# --- Attachments ---------------------------------------------------------------------------------
def attachments_add(
    *, by: User, knowledge_set: KnowledgeSet, form: AttachmentForm
) -> list[Attachment]:
    """Store files the form has checked (size, real type), while the set may be edited.
    Raises ``ValidationError`` for a file attached meanwhile by someone else; nothing is then
    kept, on disk or in the database."""
    with atomic_with_files() as written:
        current = _locked(knowledge_set)
        _require(by, "knowledge.change_set", current)
        if not can_edit_now(by, current):
            raise WorkflowError(edit_problem(current))
        stored = []
        for item in form.checked:
            attachment = Attachment(
                knowledge_set=current,
                original_name=Path(item.upload.name).name[:255],
                size=item.upload.size,
                sha256=item.sha256,
                mime=item.kind.mime,
                kind_label=item.kind.label,
                inline_safe=item.kind.inline_safe,
                uploaded_by=by,
            )
            attachment.file.save(item.upload.name, item.upload, save=False)
            written.append((attachment.file.storage, attachment.file.name))
            # The form found the file not yet attached; the same file attached meanwhile by
            # another request is refused here with the form's message.
            with refused_if_taken(
                lambda digest=item.sha256: current.attachments.filter(sha256=digest).exists(),
                lambda name=attachment.original_name: already_attached(name),
            ):
                attachment.save()
            stored.append(attachment)
        current.save(update_fields=["updated_at"])
    return stored


@transaction.atomic
def attachment_delete(*, by: User, attachment: Attachment) -> None:
    current = _locked(attachment.knowledge_set)
    _require(by, "knowledge.change_set", current)
    if not can_edit_now(by, current):
        raise WorkflowError(edit_problem(current))
    names = stored_files([attachment.file])
    attachment.delete()
    delete_after_commit(names)
