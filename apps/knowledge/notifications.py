"""Telling the people concerned: a notice on their home page, and an email where mail is set up.

Notices are rows written in the same transaction as the change; emails go out only after it
commits (a refused or failed change sends nothing) and a mail server that is down never breaks
the change itself.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.core.links import absolute_url
from apps.teams.models import Membership, Role, TeamKind

from .models import COMMENT, QUESTION, REVIEW_COMMENT, Action, KnowledgeSet, Notification

logger = logging.getLogger(__name__)

_email_on: ContextVar[bool] = ContextVar("knowledge_email_on", default=True)

# Events besides the workflow's actions.


@contextmanager
def no_email() -> Iterator[None]:
    """Record notices but send no email (the demo data)."""
    token = _email_on.set(False)
    try:
        yield
    finally:
        _email_on.reset(token)


def approvers() -> list[User]:
    """Who holds the KM head's or the CKO's role today."""
    ids = (
        Membership.objects.current()
        .filter(team__kind=TeamKind.KM_TEAM, role__in=[Role.HEAD, Role.CKO])
        .values("person_id")
    )
    return list(User.objects.filter(pk__in=ids, is_active=True))


def people_concerned(knowledge_set: KnowledgeSet, event: str) -> set[User]:
    """Who hears about ``event``: authors hear how their set fares; reviewers and approvers hear
    what waits for them."""
    authors = set(knowledge_set.authors.filter(is_active=True))
    reviewers = set(knowledge_set.reviewers.filter(is_active=True))
    if event == Action.SUBMIT:
        return reviewers | set(approvers())
    if event == Action.WITHDRAW:
        return reviewers
    if event == Action.START_REVIEW:
        return authors | reviewers
    if event in {Action.REQUEST_CHANGES, Action.APPROVE}:
        return authors | reviewers
    if event == Action.PUBLISH:
        return authors | reviewers | set(knowledge_set.holders.filter(is_active=True))
    if event in {Action.ARCHIVE, Action.REINSTATE, Action.REVISE, Action.RESTORE}:
        return authors
    if event in {COMMENT, QUESTION, REVIEW_COMMENT}:
        return authors
    return set()


def notify(
    *,
    knowledge_set: KnowledgeSet,
    event: str,
    actor: User | None,
    note: str = "",
    recipients: Iterable[User] | None = None,
) -> list[Notification]:
    """Write a notice for each person concerned (never the actor) and email them after commit."""
    people = set(recipients) if recipients is not None else people_concerned(knowledge_set, event)
    people = {person for person in people if actor is None or person.pk != actor.pk}
    notices = Notification.objects.bulk_create(
        Notification(
            recipient=person, knowledge_set=knowledge_set, actor=actor, event=event, note=note
        )
        for person in sorted(people, key=lambda p: p.pk)
    )
    if notices and _email_on.get():
        ids = [notice.pk for notice in notices]
        transaction.on_commit(lambda: send_emails(ids))
    return notices


def send_emails(notice_ids: list[int]) -> None:
    """One email per notice, in the portal's language; failures are logged, never raised."""
    notices = Notification.objects.filter(pk__in=notice_ids).select_related(
        "recipient", "actor", "knowledge_set__published_version"
    )
    with translation.override(settings.LANGUAGE_CODE):
        for notice in notices:
            if not notice.recipient.email:
                continue
            if not notice.recipient.has_perm("knowledge.view_set", notice.knowledge_set):
                continue  # taken off the set before the e-mail went: its title is not theirs
            subject = _("[KM Portal] %(title)s") % {"title": notice.knowledge_set.display_title}
            lines = [str(notice)]
            if notice.note:
                lines += ["", notice.note]
            lines += ["", _("Open the knowledge set: %(path)s") % {"path": _link(notice)}]
            try:
                send_mail(
                    subject[:200],
                    "\n".join(lines),
                    settings.DEFAULT_FROM_EMAIL,
                    [notice.recipient.email],
                )
            except Exception:  # a mail server that is down must not break anything
                logger.exception("could not email knowledge notification %s", notice.pk)


def _link(notice: Notification) -> str:
    return absolute_url(notice.get_absolute_url())
