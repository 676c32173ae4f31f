"""The workflow of a knowledge set, in one table.

::

    draft ─submit─▶ submitted ─start review─▶ in review ─approve─▶ approved ─publish─▶ published
    draft ◀─withdraw─ submitted          in review ─request changes─▶ draft
    draft (changes were requested) ─submit─▶ in review (straight back to its reviewers)
    published ─revise (a new version)─▶ draft
    published ─retire─▶ retired ─reinstate─▶ published

With ``KM_KNOWLEDGE_CKO_SIGNOFF`` on (issue 16), the head's approval is not the last word::

    in review ─approve (head)─▶ awaiting the CKO's sign-off ─sign off (CKO)─▶ approved
    awaiting the CKO's sign-off ─send back (CKO)─▶ draft (like "request changes")

The CKO's own approval of a set in review is their sign-off: it goes straight to approved.

Who may take each step is a permission in ``rules.py`` (a question of role: authors submit, the
head and the CKO approve ...); whether the step fits the set's state is a question of this table.
A step whose role is wrong is refused (403); one whose state is wrong, for instance the same POST
sent twice, changes nothing and says why.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from apps.teams.predicates import is_cko

from .models import Action, KnowledgeSet, Status
from .rules import is_approver, is_author, is_reviewer


@dataclass(frozen=True)
class Step:
    action: str
    label: Any
    sources: frozenset[str]
    target: str
    perm: str
    note_required: bool = False
    note_label: Any = None
    # Offer a note box (required notes always have one); a folded step sits behind a "more" line.
    wants_note: bool = False
    folded: bool = False
    button: str = "btn-primary"
    icon: str = "arrow-right-circle"


STEPS: dict[str, Step] = {
    step.action: step
    for step in [
        Step(Action.SUBMIT, _("Submit for review"), frozenset({Status.DRAFT}), Status.SUBMITTED,
             "knowledge.submit_set", note_label=_("A note for the reviewers (optional)"),
             wants_note=True, icon="send"),
        Step(Action.WITHDRAW, _("Withdraw to draft"), frozenset({Status.SUBMITTED}), Status.DRAFT,
             "knowledge.withdraw_set", button="btn-outline-secondary",
             icon="arrow-counterclockwise"),
        Step(Action.START_REVIEW, _("Start the review"), frozenset({Status.SUBMITTED}),
             Status.IN_REVIEW, "knowledge.review_set", icon="search"),
        # As visible as "approve" (issue 16): a reviewer sees both choices side by side.
        Step(Action.REQUEST_CHANGES, _("Request changes"), frozenset({Status.IN_REVIEW}),
             Status.DRAFT, "knowledge.review_set", note_required=True,
             note_label=_("What should the authors change?"), button="btn-warning",
             icon="pencil-square"),
        Step(Action.APPROVE, _("Approve"), frozenset({Status.IN_REVIEW}), Status.APPROVED,
             "knowledge.approve_set", wants_note=True, button="btn-success", icon="check2-circle"),
        # The CKO's sign-off (issue 16): both choices side by side, as visible as approve.
        Step(Action.RETURN_SIGNOFF, _("Send back to the authors"),
             frozenset({Status.AWAITING_SIGNOFF}), Status.DRAFT, "knowledge.signoff_set",
             note_required=True, note_label=_("Why does the set go back? What should change?"),
             button="btn-warning", icon="pencil-square"),
        Step(Action.SIGN_OFF, _("Sign off as the CKO"), frozenset({Status.AWAITING_SIGNOFF}),
             Status.APPROVED, "knowledge.signoff_set", wants_note=True, button="btn-success",
             icon="patch-check"),
        Step(Action.PUBLISH, _("Publish"), frozenset({Status.APPROVED}), Status.PUBLISHED,
             "knowledge.publish_set", note_label=_("What changed in this version (optional)"),
             wants_note=True, button="btn-success", icon="globe"),
        Step(Action.REVISE, _("Start a new version"), frozenset({Status.PUBLISHED}), Status.DRAFT,
             "knowledge.revise_set", button="btn-outline-primary", icon="pencil"),
        Step(Action.ARCHIVE, _("Retire"), frozenset({Status.PUBLISHED}), Status.ARCHIVED,
             "knowledge.archive_set", note_required=True,
             note_label=_("Why is this knowledge no longer useful?"), button="btn-outline-danger",
             icon="archive", folded=True),
        Step(Action.REINSTATE, _("Reinstate"), frozenset({Status.ARCHIVED}), Status.PUBLISHED,
             "knowledge.archive_set", button="btn-outline-success", icon="arrow-up-circle"),
    ]
}  # fmt: skip

# States in which the working copy's text may change, and who may change it then: the authors
# write their draft; reviewers, the head and the CKO refine the text during the review (seed 003:
# the working group edits it into a standard document).
AUTHOR_EDITS = frozenset({Status.DRAFT})
REVIEWER_EDITS = frozenset({Status.IN_REVIEW})
# An earlier version may be restored into the working copy while nobody is reviewing it.
RESTORABLE = frozenset({Status.DRAFT, Status.PUBLISHED})


def state_problem(knowledge_set: KnowledgeSet, step: Step) -> str | None:
    """Why ``step`` does not fit the set's state now (None when it does)."""
    if knowledge_set.status in step.sources:
        return None
    return str(
        _("This cannot be done now: the set is %(status)s.")
        % {"status": knowledge_set.get_status_display().lower()}
    )


def cko_signoff_wanted() -> bool:
    """The office wants the CKO's final sign-off after the head's approval (a setting)."""
    return bool(getattr(settings, "KM_KNOWLEDGE_CKO_SIGNOFF", False))


def target_of(user, knowledge_set: KnowledgeSet, step: Step) -> str:
    """The state ``step`` takes the set to when this person takes it now."""
    if step.action == Action.SUBMIT and resubmitted_to_review(knowledge_set):
        return Status.IN_REVIEW
    if step.action == Action.APPROVE and cko_signoff_wanted() and not is_cko(user):
        return Status.AWAITING_SIGNOFF
    return step.target


def resubmitted_to_review(knowledge_set: KnowledgeSet) -> bool:
    """A draft the reviewers or the CKO sent back (its last return to draft was "request changes"
    or the CKO's "send back") that
    still has reviewers: submitted again, it goes straight back into their review, with no
    second "start review" (issue 16)."""
    if knowledge_set.status != Status.DRAFT or not knowledge_set.reviewer_ids():
        return False
    last = (
        knowledge_set.transitions.filter(to_status=Status.DRAFT)
        .order_by("-at", "-pk")
        .values_list("action", flat=True)
        .first()
    )
    return last in {Action.REQUEST_CHANGES, Action.RETURN_SIGNOFF}


def can_edit_now(user, knowledge_set: KnowledgeSet) -> bool:
    """The text and catalogue data may be changed by this person in the set's present state."""
    if user.is_superuser:
        return knowledge_set.status in AUTHOR_EDITS | REVIEWER_EDITS
    if knowledge_set.status in AUTHOR_EDITS and is_author(user, knowledge_set):
        return True
    return knowledge_set.status in REVIEWER_EDITS and (
        is_reviewer(user, knowledge_set) or is_approver(user)
    )


def edit_problem(knowledge_set: KnowledgeSet) -> str:
    """What to tell someone who may edit the set at some stage, but not at this one."""
    status = knowledge_set.status
    if status == Status.SUBMITTED:
        return str(_("The set waits for its review. Withdraw it to draft to change it."))
    if status == Status.DRAFT:
        return str(_("Only the authors change a draft."))
    if status == Status.IN_REVIEW:
        return str(_("During the review the reviewers, the head and the CKO refine the text."))
    if status == Status.AWAITING_SIGNOFF:
        return str(
            _("The set waits for the CKO's sign-off; the CKO signs it off or sends it back.")
        )
    if status == Status.APPROVED:
        return str(_("The set is approved and waits to be published; it can no longer change."))
    if status == Status.PUBLISHED:
        return str(_("A published set changes through a new version: start one first."))
    return str(_("A retired set does not change."))


def available_steps(user, knowledge_set: KnowledgeSet) -> list[Step]:
    """The steps this person may take on the set now (the buttons on its page)."""
    return [
        step
        for step in STEPS.values()
        if knowledge_set.status in step.sources and user.has_perm(step.perm, knowledge_set)
    ]
