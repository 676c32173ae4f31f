"""What the Q&A board tells people, through the portal's one notification system.

- Someone is asked to answer (a colleague, or an expert from the directory): at once.
- A question gets an answer: its asker. An answer is accepted: its author. A comment: the
  author of the post it is on.
- Reminder: a question unanswered for ``KM_UNANSWERED_DAYS`` days reaches its moderators (the
  CKO and KM head for the office-wide board, a space's moderators for its own), once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import User
from apps.notifications.kinds import Delivery, Kind, register
from apps.notifications.reminders import Reminder
from apps.notifications.reminders import register as register_reminders
from apps.teams.models import Membership, Role, TeamKind

from . import spaces
from .models import Question

GROUP = _("Q&A board")


def may_open(user, question: Question) -> bool:
    return user.has_perm("board.view_question", question)


def _kind(code, label, sentence, *, default=Delivery.DIGEST, icon="chat-square-text") -> Kind:
    return register(
        Kind(
            code=f"board.{code}",
            group=GROUP,
            label=label,
            sentence=sentence,
            default=default,
            title=lambda question: question.title,
            may_open=may_open,
            icon=icon,
        )
    )


ASKED = _kind(
    "asked",
    _("You are asked to answer a question"),
    _("%(actor)s asks you to answer “%(title)s”."),
    default=Delivery.IMMEDIATE,
    icon="question-circle",
)
ANSWERED = _kind(
    "answered",
    _("Your question has an answer"),
    _("%(actor)s answered your question “%(title)s”."),
    default=Delivery.IMMEDIATE,
    icon="chat-left-text",
)
ACCEPTED = _kind(
    "accepted",
    _("Your answer is accepted"),
    _("%(actor)s accepted your answer to “%(title)s”."),
    icon="check2-circle",
)
COMMENTED = _kind(
    "commented",
    _("A comment on your question or answer"),
    _("%(actor)s commented on “%(title)s”."),
    icon="chat-dots",
)
UNANSWERED = _kind(
    "unanswered",
    _("A question is still unanswered (for moderators)"),
    _("“%(title)s” has waited %(note)s days without an answer."),
    icon="hourglass-split",
)


def unanswered_days() -> int:
    return max(1, int(getattr(settings, "KM_UNANSWERED_DAYS", 3)))


def office_moderators() -> list[User]:
    """The office-wide board's moderators: the KM team's CKO and head today."""
    ids = (
        Membership.objects.current()
        .filter(team__kind=TeamKind.KM_TEAM, role__in=[Role.CKO, Role.HEAD])
        .values("person_id")
    )
    return list(User.objects.filter(pk__in=ids, is_active=True).order_by("pk"))


def moderators_of(question: Question, office: list[User]) -> list[User]:
    kind = spaces.get(question.space_kind) if question.space_kind else None
    people = {person.pk: person for person in office}
    if kind is not None:
        people.update({person.pk: person for person in kind.moderators(question.space_id)})
    return [people[pk] for pk in sorted(people)]


def unanswered_since(today: dt.date):
    """Questions asked before the limit and not answered yet (what the moderators' list shows)."""
    limit = unanswered_days()
    start = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=limit), dt.time()))
    return Question.objects.unanswered().filter(created_at__lt=start)


def unanswered(today: dt.date) -> Iterator[Reminder]:
    """Each question unanswered past ``KM_UNANSWERED_DAYS``: its moderators, once."""
    office = office_moderators()
    for question in unanswered_since(today).order_by("pk").iterator(chunk_size=200):
        days = (today - timezone.localdate(question.created_at)).days
        yield Reminder(
            key=f"board.unanswered:{question.pk}",
            kind=UNANSWERED.code,
            recipients=tuple(moderators_of(question, office)),
            target=question,
            note=str(days),
        )


register_reminders("board.unanswered", unanswered)
