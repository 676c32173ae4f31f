"""Permissions of knowledge sets, built from the teams app's predicates.

- Members of any KM team, working group or KM group write sets; the people who write one are its
  authors and edit it while it is a draft.
- Reviewers are the people the head (or the CKO) assigns to a set, usually the members of the
  KM-process working group (คณะทำงานกระบวนการจัดการความรู้, seed 003). They start the review,
  comment, refine the text and request changes.
- The KM head and the CKO approve, publish, retire and reinstate, and assign reviewers. When the
  office wants the CKO's final sign-off as a step of its own (``KM_KNOWLEDGE_CKO_SIGNOFF``), only
  the CKO (and administrators) sign off or send back a set the head approved.
- Drafts, sets in review and retired sets are seen only by their authors and reviewers, the head,
  the CKO and administrators; published sets by every staff member.

The permissions say who may act at all; whether an action fits the set's present state is the
workflow's question (``workflow.py``).
"""

from __future__ import annotations

import rules

from apps.teams.predicates import is_cko, is_head, is_km_member, is_staff_member


def _the_set(obj):
    """The set itself, or the set a record belongs to (a comment, an attachment, a version).
    Told apart by what they carry, so that this module imports no models."""
    if obj is None or hasattr(obj, "author_ids"):
        return obj
    return getattr(obj, "knowledge_set", None)


@rules.predicate
def is_author(user, obj) -> bool:
    knowledge_set = _the_set(obj)
    return knowledge_set is not None and user.pk in knowledge_set.author_ids()


@rules.predicate
def is_reviewer(user, obj) -> bool:
    knowledge_set = _the_set(obj)
    return knowledge_set is not None and user.pk in knowledge_set.reviewer_ids()


@rules.predicate
def is_public(user, obj) -> bool:
    knowledge_set = _the_set(obj)
    return knowledge_set is not None and knowledge_set.is_public


@rules.predicate
def is_comment_author(user, comment) -> bool:
    author_id = getattr(comment, "author_id", None)
    return author_id is not None and author_id == user.pk


is_approver = is_head | is_cko
is_insider = is_staff_member & (is_author | is_reviewer | is_approver | rules.is_superuser)
can_view = is_staff_member & (is_public | is_insider)

rules.add_perm("knowledge.browse", is_staff_member)
rules.add_perm("knowledge.view_set", can_view)
# The working copy, review comments and the workflow's history.
rules.add_perm("knowledge.view_working", is_insider)
rules.add_perm("knowledge.add_set", is_staff_member & (is_km_member | is_approver))
# Who may change the text at some stage; ``workflow.can_edit_now`` says whether they may now.
rules.add_perm("knowledge.change_set", is_staff_member & (is_author | is_reviewer | is_approver))
rules.add_perm("knowledge.delete_set", is_staff_member & (is_author | is_approver))
rules.add_perm("knowledge.submit_set", is_staff_member & is_author)
rules.add_perm("knowledge.withdraw_set", is_staff_member & is_author)
rules.add_perm("knowledge.review_set", is_staff_member & (is_reviewer | is_approver))
rules.add_perm("knowledge.approve_set", is_staff_member & is_approver)
rules.add_perm("knowledge.signoff_set", is_staff_member & is_cko)
rules.add_perm("knowledge.publish_set", is_staff_member & is_approver)
rules.add_perm("knowledge.archive_set", is_staff_member & is_approver)
rules.add_perm("knowledge.revise_set", is_staff_member & (is_author | is_approver))
rules.add_perm("knowledge.restore_version", is_staff_member & (is_author | is_approver))
rules.add_perm("knowledge.confirm_current", is_staff_member & (is_author | is_approver))
rules.add_perm("knowledge.assign_reviewers", is_staff_member & is_approver)
# Review comments go with the working copy; comments and questions with the published set.
rules.add_perm("knowledge.review_comment", is_insider)
rules.add_perm("knowledge.comment", can_view & is_public)
rules.add_perm("knowledge.vote", can_view & is_public)
rules.add_perm(
    "knowledge.delete_comment",
    is_staff_member & (is_comment_author | is_approver),
)
