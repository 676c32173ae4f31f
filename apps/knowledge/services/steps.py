"""The workflow of a set (``workflow.STEPS``), restoring an earlier version, confirming that a
published set is still current and choosing its reviewers. Each locks the set's row first."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.core.concurrency import bump_version, check_version
from apps.core.permissions import require
from apps.core.text import strip_invisible

from .. import notices, skeletons
from ..models import REVIEWERS, SIGNOFF_ASKED, Action, KnowledgeSet, Status, Version
from ..workflow import RESTORABLE, STEPS, state_problem, target_of
from .common import WorkflowError, apply_text, check_expected, locked, record

# A set is reviewed for currency a year after it is published, unless its owners chose a date.
REVIEW_AFTER = dt.timedelta(days=365)


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
    ``ValidationError`` for a missing note, or for a submission whose required template section
    still holds its placeholder (``skeletons.unfilled_sections``; a draft saves as it is).
    Publishing makes a new numbered ``Version`` of the working copy. With
    ``KM_KNOWLEDGE_CKO_SIGNOFF`` on, the head's approval leaves the set awaiting the CKO's
    sign-off (``workflow.target_of``) and the CKO is told at once.
    """
    step = STEPS.get(action)
    if step is None:
        raise WorkflowError(_("There is no such step."))
    current = locked(knowledge_set)
    require(by, step.perm, current)
    check_version(current, expected_version=expected_version)
    check_expected(current, expected)
    problem = state_problem(current, step)
    if problem:
        raise WorkflowError(problem)
    note = strip_invisible(note)
    if step.note_required and not note:
        raise ValidationError(_("Please write a note: %(label)s") % {"label": step.note_label})
    if step.action == Action.SUBMIT:
        unfilled = skeletons.unfilled_sections(current.body, current.kind)
        if unfilled:
            raise ValidationError(
                _(
                    "The set was not submitted: the section “%(section)s” still holds the "
                    "template's placeholder [ระบุ: …]. Write that part, or delete the "
                    "placeholder, then submit again."
                )
                % {"section": unfilled[0]}
            )
    from_status = current.status
    current.status = target_of(by, current, step)
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
    record(current, action=step.action, by=by, from_status=from_status, note=note,
           version_number=number)  # fmt: skip
    notices.tell(knowledge_set=current, event=step.action, actor=by, note=note)
    if current.status == Status.AWAITING_SIGNOFF:
        notices.tell(knowledge_set=current, event=SIGNOFF_ASKED, actor=by, note=note)
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
    current = locked(knowledge_set)
    require(by, "knowledge.restore_version", current)
    check_version(current, expected_version=expected_version)
    check_expected(current, expected)
    if current.status not in RESTORABLE:
        raise WorkflowError(
            _("An earlier version can be restored only into a draft or a published set.")
        )
    version = current.versions.filter(number=number).first()
    if version is None:
        raise WorkflowError(_("There is no version %(number)s.") % {"number": number})
    from_status = current.status
    current.title, current.summary, current.body = version.title, version.summary, version.body
    apply_text(current)
    current.status = Status.DRAFT
    current.save(
        update_fields=["title", "summary", "body", "body_html", "toc", "status", "updated_at"]
    )
    note = _("Restored the text of version %(number)s.") % {"number": number}
    record(current, action=Action.RESTORE, by=by, from_status=from_status, note=note,
           version_number=number)  # fmt: skip
    notices.tell(knowledge_set=current, event=Action.RESTORE, actor=by, note=note)
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
    current = locked(knowledge_set)
    require(by, "knowledge.confirm_current", current)
    check_version(current, expected_version=expected_version)
    if current.status != Status.PUBLISHED:
        raise WorkflowError(_("Only a published set with no new version under way is confirmed."))
    if review_due <= timezone.localdate():
        raise ValidationError(_("The next review must be a day after today."))
    current.review_due = review_due
    current.save(update_fields=["review_due", "updated_at"])
    record(current, action=Action.CONFIRM, by=by, from_status=current.status)
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
    current = locked(knowledge_set)
    require(by, "knowledge.assign_reviewers", current)
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
        notices.tell(knowledge_set=current, event=REVIEWERS, actor=by, recipients=added)
    return current
