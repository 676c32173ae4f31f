"""A set's text and catalogue data: create a draft, change the working copy, delete a draft."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.core.concurrency import check_version, lock_for_edit
from apps.core.files import delete_after_commit, stored_files
from apps.core.permissions import require
from apps.library.models import Category, Document
from apps.library.services import tags_from_names
from apps.teams.models import Team

from ..content import MAX_BODY
from ..models import Action, KnowledgeSet, SetKind, Status
from ..workflow import can_edit_now, edit_problem
from .common import WorkflowError, apply_text, locked, record

TEXT_FIELDS = ("title", "summary", "body", "body_html", "toc")
CATALOGUE_FIELDS = ("kind", "group", "km_step", "category", "review_due")


@dataclass(frozen=True)
class SetData:
    """What the writers give a set: its working text and its catalogue data."""

    title: str
    kind: str = SetKind.KNOWLEDGE_SET
    summary: str = ""
    body: str = ""
    group: Team | None = None
    km_step: str = ""
    category: Category | None = None
    tag_names: Sequence[str] = ()
    authors: Sequence[User] = ()
    holders: Sequence[User] = ()
    documents: Sequence[Document] = ()
    review_due: dt.date | None = None


def _check(by: User, data: SetData, current: KnowledgeSet | None) -> None:
    """The rules a set's data must keep, whoever sends it (the form checks them first)."""
    if len(data.body) > MAX_BODY:
        raise ValidationError(
            {"body": _("The text is too long (%(length)s characters). The limit is %(limit)s.")
             % {"length": len(data.body), "limit": MAX_BODY}}
        )  # fmt: skip
    if current is not None and not data.authors:  # a new set's writer becomes its author
        raise ValidationError({"authors": _("A set needs at least one author.")})
    if current is not None:
        reviewers = current.reviewer_ids()
        clash = [str(person) for person in data.authors if person.pk in reviewers]
        if clash:
            raise ValidationError(
                {"authors": _("A reviewer of this set cannot be one of its authors: %(names)s.")
                 % {"names": ", ".join(clash)}}
            )  # fmt: skip
    changed = current is None or data.review_due != current.review_due
    if data.review_due and changed and data.review_due < timezone.localdate():
        raise ValidationError({"review_due": _("The next review cannot be in the past.")})
    if data.documents:
        visible = set(
            Document.objects.visible_to(by)
            .filter(pk__in=[document.pk for document in data.documents])
            .values_list("pk", flat=True)
        )
        if any(document.pk not in visible for document in data.documents):
            raise ValidationError(
                {"documents": _("One of the chosen library documents is not one you may open.")}
            )


def _fill(knowledge_set: KnowledgeSet, data: SetData) -> None:
    """Put the data's fields on the set, render its text and check the fields' own rules."""
    for name in ("title", "kind", "summary", "body", "group", "km_step", "category"):
        setattr(knowledge_set, name, getattr(data, name))
    knowledge_set.review_due = data.review_due
    apply_text(knowledge_set)
    knowledge_set.full_clean(exclude=["created_by", "published_version", "status"])


@transaction.atomic
def set_create(*, by: User, data: SetData) -> KnowledgeSet:
    """Start a new set as a draft; its writer is always one of its authors.

    Raises ``PermissionDenied`` for someone who may not write sets and ``ValidationError`` for
    data that breaks a rule (too long, a review date in the past, a document they may not open).
    """
    require(by, "knowledge.add_set")
    _check(by, data, None)
    knowledge_set = KnowledgeSet(status=Status.DRAFT, created_by=by)
    _fill(knowledge_set, data)
    knowledge_set.save()
    knowledge_set.authors.set([*data.authors, by])
    knowledge_set.holders.set(data.holders)
    knowledge_set.documents.set(data.documents)
    knowledge_set.tags.set(tags_from_names(data.tag_names))
    knowledge_set.forget_people()
    record(knowledge_set, action=Action.CREATE, by=by, from_status="")
    return knowledge_set


@transaction.atomic
def set_update(
    *,
    by: User,
    knowledge_set: KnowledgeSet,
    data: SetData,
    expected_version: int | None = None,
) -> KnowledgeSet:
    """Save a change to the working copy (text and catalogue data), re-rendering and sanitising
    the body. Linked documents the editor may not open stay linked.

    Raises ``StaleEditError`` when the set was saved after ``expected_version`` (the version the
    editor's page showed), so one person's save never silently erases another's;
    ``PermissionDenied`` for someone who never edits the set; ``WorkflowError`` when they may not
    edit it in its present state; ``ValidationError`` for data that breaks a rule.
    """
    current = lock_for_edit(knowledge_set, expected_version=expected_version)
    require(by, "knowledge.change_set", current)
    if not can_edit_now(by, current):
        raise WorkflowError(edit_problem(current))
    _check(by, data, current)
    hidden = list(current.documents.exclude(pk__in=Document.objects.visible_to(by).values("pk")))
    _fill(current, data)
    # Only what the writers edit: the workflow's fields and the view count are not theirs.
    current.save(update_fields=[*TEXT_FIELDS, *CATALOGUE_FIELDS, "updated_at"])
    current.authors.set(data.authors)
    current.holders.set(data.holders)
    current.documents.set([*data.documents, *hidden])
    current.tags.set(tags_from_names(data.tag_names))
    current.forget_people()
    knowledge_set.forget_people()
    return current


@transaction.atomic
def set_delete(
    *, by: User, knowledge_set: KnowledgeSet, expected_version: int | None = None
) -> None:
    """Remove a draft that was never published (a published one is retired instead); not if
    someone saved it after the ``expected_version`` the page showed (``StaleEditError``). The
    files of its attachments go once the deletion has committed."""
    current = locked(knowledge_set)
    require(by, "knowledge.delete_set", current)
    check_version(current, expected_version=expected_version)
    if current.status != Status.DRAFT or current.published_version_id:
        raise WorkflowError(
            _("Only a draft that was never published can be deleted; retire a published set.")
        )
    names = stored_files(attachment.file for attachment in current.attachments.all())
    current.delete()
    delete_after_commit(names)
