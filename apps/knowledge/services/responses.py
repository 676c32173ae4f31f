"""What readers and reviewers add to a set: comments and questions, votes, readings, and the
notices they read."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.core.permissions import require
from apps.core.text import strip_invisible
from apps.notifications import services as notifications

from .. import notices
from ..models import (
    COMMENT,
    QUESTION,
    REVIEW_COMMENT,
    Comment,
    CommentKind,
    KnowledgeSet,
    ReadingDay,
    Status,
    Vote,
)
from ..selectors import MAX_NOTICES, notices_for
from .common import WorkflowError

REVIEWABLE = frozenset(
    {Status.DRAFT, Status.SUBMITTED, Status.IN_REVIEW, Status.AWAITING_SIGNOFF, Status.APPROVED}
)


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
        require(by, "knowledge.review_comment", knowledge_set)
        if knowledge_set.status not in REVIEWABLE:
            raise WorkflowError(_("Review comments go with a draft or a set in review."))
    elif kind in {CommentKind.COMMENT, CommentKind.QUESTION}:
        require(by, "knowledge.comment", knowledge_set)
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
        CommentKind.REVIEW: REVIEW_COMMENT,
        CommentKind.QUESTION: QUESTION,
    }.get(kind, COMMENT)
    recipients = notices.people_concerned(knowledge_set, event)
    if parent is not None and parent.author is not None:
        recipients.add(parent.author)
    if kind == CommentKind.REVIEW:
        recipients |= set(knowledge_set.reviewers.filter(is_active=True))
    notices.tell(
        knowledge_set=knowledge_set,
        event=event,
        actor=by,
        note=body[:300],
        recipients=recipients,
    )
    return comment


@transaction.atomic
def comment_delete(*, by: User, comment: Comment) -> None:
    """Remove a comment (the author removes their own; the head and the CKO any)."""
    require(by, "knowledge.delete_comment", comment)
    comment.delete()


@transaction.atomic
def vote_cast(*, by: User, knowledge_set: KnowledgeSet, useful: bool) -> Vote:
    """Record whether the set was useful to this person; a second answer replaces the first."""
    require(by, "knowledge.vote", knowledge_set)
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


def notifications_mark_read(*, by: User, knowledge_set: KnowledgeSet | None = None) -> int:
    """Mark the person's notices read: those about one set, or about every knowledge set (the
    notices of other apps stay as they are)."""
    if not getattr(by, "is_authenticated", False):
        return 0
    if knowledge_set is not None:
        return notifications.mark_read(by=by, target=knowledge_set)
    ids = list(notices_for(by).unread().values_list("pk", flat=True)[:MAX_NOTICES])
    return notifications.mark_read(by=by, notice_ids=ids) if ids else 0
