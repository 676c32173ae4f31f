"""Permissions of the Q&A board, built from the teams app's predicates and the spaces registry.

- Every staff member reads, asks and answers on the office-wide board; in a space, its kind's
  ``may_read`` / ``may_post`` decide.
- Moderators (the CKO, the KM head and administrators on the office-wide board; whoever the
  space's ``may_moderate`` names in a space) edit and hide any post, accept an answer for the
  asker, and see the unanswered list.
- An author edits or hides their own post within ``KM_BOARD_EDIT_MINUTES`` of writing it.
- The asker accepts an answer; a "useful" vote is for someone else's post.

Rules receive a question, an answer or a comment; ``question_of`` finds the question.
"""

from __future__ import annotations

import datetime as dt

import rules
from django.conf import settings
from django.utils import timezone

from apps.teams.predicates import is_admin, is_cko, is_head, is_staff_member

from . import spaces


def edit_window() -> dt.timedelta:
    return dt.timedelta(minutes=max(0, int(getattr(settings, "KM_BOARD_EDIT_MINUTES", 30))))


def question_of(post):
    return getattr(post, "question", post)


is_office_moderator = is_staff_member & (is_cko | is_head | is_admin)


@rules.predicate
def may_read_space(user, post) -> bool:
    if post is None or not is_staff_member(user):
        return False
    question = question_of(post)
    if not question.space_kind:
        return True
    kind = spaces.get(question.space_kind)
    return bool(is_admin(user) or (kind is not None and kind.may_read(user, question.space_id)))


@rules.predicate
def may_post_space(user, post) -> bool:
    if post is None or not is_staff_member(user):
        return False
    question = question_of(post)
    if not question.space_kind:
        return True
    kind = spaces.get(question.space_kind)
    return bool(kind is not None and kind.may_post(user, question.space_id))


@rules.predicate
def is_moderator(user, post) -> bool:
    if post is None or not is_staff_member(user):
        return False
    if is_office_moderator(user):
        return True
    question = question_of(post)
    kind = spaces.get(question.space_kind) if question.space_kind else None
    return bool(kind is not None and kind.may_moderate(user, question.space_id))


@rules.predicate
def is_author(user, post) -> bool:
    if post is None:
        return False
    author_id = getattr(post, "author_id", None) or getattr(post, "asker_id", None)
    return author_id is not None and author_id == user.pk


@rules.predicate
def is_asker(user, post) -> bool:
    return post is not None and question_of(post).asker_id == user.pk


@rules.predicate
def is_hidden(user, post) -> bool:
    return bool(post is not None and (post.hidden or question_of(post).hidden))


@rules.predicate
def within_edit_window(user, post) -> bool:
    return post is not None and timezone.now() - post.created_at <= edit_window()


@rules.predicate
def is_moderator_anywhere(user) -> bool:
    """Moderates the office-wide board or at least one space."""
    if not is_staff_member(user):
        return False
    if is_office_moderator(user):
        return True
    return any(list(kind.moderated_ids(user))[:1] for kind in spaces.kinds())


can_view = may_read_space & (~is_hidden | is_author | is_asker | is_moderator)
rules.add_perm("board.browse", is_staff_member)
rules.add_perm("board.view_question", can_view)
rules.add_perm("board.ask", is_staff_member)
rules.add_perm("board.answer", can_view & may_post_space & ~is_hidden)
rules.add_perm("board.comment", can_view & may_post_space & ~is_hidden)
rules.add_perm("board.vote", can_view & ~is_hidden & ~is_author)
rules.add_perm("board.accept", can_view & ~is_hidden & (is_asker | is_moderator))
rules.add_perm("board.ask_people", can_view & ~is_hidden & (is_asker | is_moderator))
rules.add_perm("board.edit_post", can_view & (is_moderator | (is_author & within_edit_window)))
rules.add_perm("board.hide_post", can_view & (is_moderator | (is_author & within_edit_window)))
rules.add_perm("board.moderate", is_moderator)
rules.add_perm("board.view_unanswered", is_moderator_anywhere)
