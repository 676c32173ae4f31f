"""Writes to the Q&A board: questions, answers, comments, acceptance, votes, asking people,
moderation.

Every function takes plain data, checks the caller's permission itself (views check first, for
the 403 page), runs in one transaction and leaves nothing behind when it refuses. Edits of a
question or an answer are versioned (``apps.core.concurrency``) and audited (``apps.core.audit``
registers the models in ``apps.py``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.core.choices import KMStep
from apps.core.concurrency import lock_for_edit
from apps.core.permissions import require
from apps.core.text import is_blank, strip_invisible
from apps.knowledge.content import render
from apps.knowledge.models import KnowledgeSet
from apps.library.models import Document
from apps.library.services import tags_from_names
from apps.notifications.services import notify

from . import notices, spaces
from .models import Answer, AskedPerson, Comment, Question, Vote

TITLE_MAX = 300
BODY_MAX = 20000
COMMENT_MAX = 2000
MAX_ASKED = 20  # people asked at once


def _clean_title(title: str) -> str:
    title = strip_invisible(" ".join((title or "").split()))
    if not title:
        raise ValidationError({"title": _("Write the question.")}, code="required")
    if len(title) > TITLE_MAX:
        raise ValidationError(
            {"title": _("The question can be at most %(limit)d characters.") % {"limit": TITLE_MAX}}
        )
    return title


def _clean_body(body: str, *, field: str = "body", required: bool = False) -> str:
    body = strip_invisible((body or "").replace("\r\n", "\n")).strip()
    if required and not body:
        raise ValidationError({field: _("Write the answer.")}, code="required")
    if len(body) > BODY_MAX:
        raise ValidationError(
            {field: _("The text can be at most %(limit)d characters.") % {"limit": BODY_MAX}}
        )
    return body


def _check_links(by: User, document: Document | None, knowledge_set: KnowledgeSet | None) -> None:
    """Only a document or a set the asker may open can be linked (and so shown to readers)."""
    if document is not None and not by.has_perm("library.view_document", document):
        raise ValidationError({"document": _("You cannot link a document you may not open.")})
    if knowledge_set is not None and not by.has_perm("knowledge.view_set", knowledge_set):
        raise ValidationError(
            {"knowledge_set": _("You cannot link a knowledge set you may not open.")}
        )


MAX_TAGS = 20
TAG_MAX = 100


def _tags(names: Sequence[str]):
    """Tags named (trimmed, each once, case aside), created where missing."""
    cleaned: dict[str, str] = {}
    for name in names:
        name = strip_invisible(" ".join(str(name).split()))
        if name:
            cleaned.setdefault(name.casefold(), name[:TAG_MAX])
    if len(cleaned) > MAX_TAGS:
        raise ValidationError({"tags": _("Give at most %(limit)d tags.") % {"limit": MAX_TAGS}})
    return tags_from_names(list(cleaned.values()))


def _check_step(km_step: str) -> str:
    if km_step and km_step not in KMStep.values:
        raise ValidationError({"km_step": _("Choose a step of the KM process.")})
    return km_step or ""


def _ask(question: Question, people: Iterable[User], *, by: User) -> list[User]:
    """Record the people asked (once each) and tell them; returns those newly asked."""
    people = list({person.pk: person for person in people if person is not None}.values())
    if len(people) > MAX_ASKED:
        raise ValidationError(
            _("Ask at most %(limit)d people at a time.") % {"limit": MAX_ASKED}, code="max"
        )
    already = set(question.asked.values_list("person_id", flat=True))
    new = [p for p in people if p.pk not in already and p.pk != question.asker_id]
    AskedPerson.objects.bulk_create(
        [AskedPerson(question=question, person=person, asked_by=by) for person in new]
    )
    notify(kind=notices.ASKED.code, recipients=new, target=question, actor=by)
    return new


@transaction.atomic
def question_ask(
    *,
    by: User,
    title: str,
    body: str = "",
    tags: Sequence[str] = (),
    km_step: str = "",
    document: Document | None = None,
    knowledge_set: KnowledgeSet | None = None,
    space_kind: str = "",
    space_id: int | None = None,
    ask: Iterable[User] = (),
) -> Question:
    """Ask a question on the office-wide board (``space_kind`` blank) or in a space whose kind
    lets ``by`` post there; the people in ``ask`` are asked to answer and told."""
    require(by, "board.ask")
    if space_kind:
        kind = spaces.get(space_kind)
        if kind is None or space_id is None or not kind.may_post(by, space_id):
            raise PermissionDenied
    else:
        space_id = None
    _check_links(by, document, knowledge_set)
    body = _clean_body(body)
    question = Question(
        space_kind=space_kind,
        space_id=space_id,
        title=_clean_title(title),
        body=body,
        body_html=render(body).html,
        asker=by,
        km_step=_check_step(km_step),
        document=document,
        knowledge_set=knowledge_set,
    )
    question.full_clean()
    question.save()
    question.tags.set(_tags(tags))
    _ask(question, ask, by=by)
    return question


@transaction.atomic
def question_update(
    *,
    by: User,
    question: Question,
    title: str,
    body: str,
    tags: Sequence[str] | None = None,
    km_step: str = "",
    document: Document | None = None,
    knowledge_set: KnowledgeSet | None = None,
    expected_version: int | None = None,
) -> Question:
    """Edit a question: its asker within the edit window, a moderator always. Raises
    ``StaleEditError`` when it was saved after the ``expected_version`` the page showed."""
    require(by, "board.edit_post", question)
    lock_for_edit(question, expected_version=expected_version)
    # A link kept as it was needs no new check (the asker may have lost access since).
    _check_links(
        by,
        document if document is not None and document.pk != question.document_id else None,
        knowledge_set
        if knowledge_set is not None and knowledge_set.pk != question.knowledge_set_id
        else None,
    )
    question.title = _clean_title(title)
    question.body = _clean_body(body)
    question.body_html = render(question.body).html
    question.km_step = _check_step(km_step)
    question.document = document
    question.knowledge_set = knowledge_set
    question.full_clean()
    if tags is not None:  # before the save, whose index updates read them
        question.tags.set(_tags(tags))
    question.save()
    return question


def _set_hidden(by: User, post, hidden: bool, expected_version: int | None):
    require(by, "board.hide_post", post)
    lock_for_edit(post, expected_version=expected_version)
    post.hidden = hidden
    fields = ["hidden", "updated_at"]
    if isinstance(post, Question):
        post.hidden_by = by if hidden else None
        fields.append("hidden_by")
    post.save(update_fields=fields)
    return post


@transaction.atomic
def question_hide(
    *, by: User, question: Question, hidden: bool = True, expected_version: int | None = None
) -> Question:
    """Hide a question from the board and search (or show it again); its asker and the
    moderators still open it."""
    return _set_hidden(by, question, hidden, expected_version)


@transaction.atomic
def question_ask_people(*, by: User, question: Question, people: Iterable[User]) -> list[User]:
    """Ask colleagues or experts (their staff accounts) to answer; each is told once."""
    require(by, "board.ask_people", question)
    people = list(people)
    if not people:
        raise ValidationError({"people": _("Choose at least one person to ask.")})
    return _ask(question, people, by=by)


@transaction.atomic
def answer_post(*, by: User, question: Question, body: str) -> Answer:
    """Answer a question; its asker and those following the thread are told."""
    require(by, "board.answer", question)
    body = _clean_body(body, required=True)
    answer = Answer(question=question, author=by, body=body, body_html=render(body).html)
    answer.full_clean()
    answer.save()
    if question.first_answer_at is None:
        Question.objects.filter(pk=question.pk, first_answer_at__isnull=True).update(
            first_answer_at=answer.created_at
        )
        question.first_answer_at = answer.created_at
    notify(kind=notices.ANSWERED.code, recipients=[question.asker], target=question, actor=by)
    return answer


@transaction.atomic
def answer_update(
    *, by: User, answer: Answer, body: str, expected_version: int | None = None
) -> Answer:
    """Edit an answer: its author within the edit window, a moderator always."""
    require(by, "board.edit_post", answer)
    lock_for_edit(answer, expected_version=expected_version)
    answer.body = _clean_body(body, required=True)
    answer.body_html = render(answer.body).html
    answer.save(update_fields=["body", "body_html", "updated_at"])
    if answer.question.accepted_answer_id == answer.pk:
        _touch(answer.question)  # the accepted answer's text is in the question's index entry
    return answer


@transaction.atomic
def answer_hide(
    *, by: User, answer: Answer, hidden: bool = True, expected_version: int | None = None
) -> Answer:
    """Hide an answer (or show it again). A hidden answer is no longer the accepted one."""
    _set_hidden(by, answer, hidden, expected_version)
    question = answer.question
    if hidden and question.accepted_answer_id == answer.pk:
        question.accepted_answer = None
        question.accepted_at = None
        question.save(update_fields=["accepted_answer", "accepted_at", "updated_at"])
    return answer


def _touch(question: Question) -> None:
    """Save the question so that its search entry (which carries the accepted answer) is
    written again."""
    question.save(update_fields=["updated_at"])


@transaction.atomic
def answer_accept(
    *,
    by: User,
    question: Question,
    answer: Answer | None,
    expected_version: int | None = None,
) -> Question:
    """Accept ``answer`` for its question (``None``: accept none); the asker or a moderator.
    The answer's author is told; the accepted text joins the question's search entry."""
    require(by, "board.accept", question)
    lock_for_edit(question, expected_version=expected_version)
    if answer is not None and (answer.question_id != question.pk or answer.hidden):
        raise ValidationError(_("Only a shown answer to this question can be accepted."))
    question.accepted_answer = answer
    question.accepted_at = timezone.now() if answer is not None else None
    question.save(update_fields=["accepted_answer", "accepted_at", "updated_at"])
    if answer is not None:
        notify(kind=notices.ACCEPTED.code, recipients=[answer.author], target=question, actor=by)
    return question


@transaction.atomic
def comment_add(
    *, by: User, question: Question, text: str, answer: Answer | None = None
) -> Comment:
    """Comment on a question or one of its answers; the author of that post is told."""
    require(by, "board.comment", question)
    if answer is not None and (answer.question_id != question.pk or answer.hidden):
        raise ValidationError(_("That answer is not part of this question."))
    text = strip_invisible((text or "").replace("\r\n", "\n")).strip()
    if is_blank(text):
        raise ValidationError({"text": _("Write the comment.")}, code="required")
    if len(text) > COMMENT_MAX:
        raise ValidationError(
            {"text": _("A comment can be at most %(limit)d characters.") % {"limit": COMMENT_MAX}}
        )
    comment = Comment(question=question, answer=answer, author=by, text=text)
    comment.save()
    author = answer.author if answer is not None else question.asker
    notify(kind=notices.COMMENTED.code, recipients=[author], target=question, actor=by)
    return comment


@transaction.atomic
def vote_toggle(*, by: User, question: Question, answer: Answer | None = None) -> bool:
    """Mark a post useful, or take the mark back; True when it is marked now. Never on one's
    own post; once per person and post."""
    post = answer if answer is not None else question
    if answer is not None and answer.question_id != question.pk:
        raise ValidationError(_("That answer is not part of this question."))
    require(by, "board.vote", post)
    existing = Vote.objects.filter(person=by, question=question, answer=answer)
    if existing.exists():
        existing.delete()
        return False
    try:
        with transaction.atomic():
            Vote.objects.create(person=by, question=question, answer=answer)
    except IntegrityError:  # the same click twice at once: one vote
        pass
    return True


def space_readers_changed(*, kind: str, space_id: int) -> int:
    """Index a space's questions again after its readers changed (the owning app calls it
    from its own service, in its transaction); returns how many."""
    count = 0
    for question in Question.objects.filter(space_kind=kind, space_id=space_id):
        _touch(question)
        count += 1
    return count
