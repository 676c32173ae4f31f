"""What knowledge sets tell people, through the portal's one notification system.

- Kinds: one per event of a set (a workflow step, a comment, reviewers asked) and the two
  reminders; "asked to review" and "submitted" (work that now waits for the reviewer) are
  e-mailed at once, the rest go in the daily digest.
- Who is told (``people_concerned``): authors hear how their set fares, reviewers and approvers
  hear what waits for them; with ``KM_KNOWLEDGE_CKO_SIGNOFF`` the CKO is told at once when a set
  awaits their sign-off, and the authors when it is signed off or sent back.
- Reminders: a published set past its review date (its authors and holders, once per review
  date) and a review waiting more than ``KM_REVIEW_WAITING_DAYS`` days (its reviewers and the
  approvers, once per submission and week).

Every notice is about the set itself, so whether a person may still open it is the set's own
rule (``knowledge.view_set``, the searchable's ``may_open``): checked when the notice is written,
when it is listed and again just before any e-mail goes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator

from django.conf import settings
from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import User
from apps.notifications.kinds import Delivery, Kind, register
from apps.notifications.reminders import Reminder
from apps.notifications.reminders import register as register_reminders
from apps.notifications.services import notify
from apps.teams.models import Membership, Role, TeamKind

from .models import (
    COMMENT,
    QUESTION,
    REVIEW_COMMENT,
    REVIEWERS,
    SIGNOFF_ASKED,
    Action,
    KnowledgeSet,
    Status,
    Transition,
)

GROUP = _("Knowledge sets")
WAITING_FOR_REVIEW = (Status.SUBMITTED, Status.IN_REVIEW)


def set_title(knowledge_set: KnowledgeSet) -> str:
    return knowledge_set.display_title


def set_url(knowledge_set: KnowledgeSet) -> str:
    """News about a new version under way concerns its working copy."""
    if knowledge_set.has_pending_revision:
        return reverse("knowledge:working", kwargs={"pk": knowledge_set.pk})
    return knowledge_set.get_absolute_url()


def _kind(code, label, sentence, *, default=Delivery.DIGEST, icon="journal-richtext") -> Kind:
    # ``may_open`` is left to the set's searchable rule (``knowledge.view_set``).
    return register(
        Kind(
            code=f"knowledge.{code}",
            group=GROUP,
            label=label,
            sentence=sentence,
            default=default,
            title=set_title,
            url=set_url,
            icon=icon,
        )
    )


SUBMITTED = _kind(
    "submitted",
    _("A knowledge set is submitted for review"),
    _("%(actor)s submitted “%(title)s” for review."),
    default=Delivery.IMMEDIATE,
    icon="send",
)
REVIEW_ASKED = _kind(
    "reviewers",
    _("You are asked to review a knowledge set"),
    _("%(actor)s asked you to review “%(title)s”."),
    default=Delivery.IMMEDIATE,
    icon="person-check",
)
WITHDRAWN = _kind(
    "withdrawn",
    _("A knowledge set is withdrawn from review"),
    _("%(actor)s withdrew “%(title)s” from review."),
    icon="arrow-counterclockwise",
)
REVIEW_STARTED = _kind(
    "review_started",
    _("The review of a knowledge set has started"),
    _("%(actor)s started the review of “%(title)s”."),
    icon="search",
)
RETURNED = _kind(
    "returned",
    _("Changes are requested to a knowledge set"),
    _("%(actor)s asked for changes to “%(title)s”."),
    icon="pencil-square",
)
APPROVED = _kind(
    "approved",
    _("A knowledge set is approved"),
    _("%(actor)s approved “%(title)s”."),
    icon="check2-circle",
)
SIGNOFF_WAITING = _kind(
    "signoff_waiting",
    _("A knowledge set awaits the CKO's sign-off"),
    _("%(actor)s approved “%(title)s”; it now awaits your sign-off as the CKO."),
    default=Delivery.IMMEDIATE,
    icon="patch-question",
)
SIGNED_OFF = _kind(
    "signed_off",
    _("The CKO signed off a knowledge set"),
    _("%(actor)s signed off “%(title)s” as the CKO; it can be published now."),
    icon="patch-check",
)
PUBLISHED = _kind(
    "published",
    _("A knowledge set is published"),
    _("%(actor)s published “%(title)s”."),
    icon="globe",
)
REVISED = _kind(
    "revised",
    _("A new version of a knowledge set is started"),
    _("%(actor)s started a new version of “%(title)s”."),
    icon="pencil",
)
RESTORED = _kind(
    "restored",
    _("An earlier version of a knowledge set is restored"),
    _("%(actor)s restored an earlier version of “%(title)s”."),
    icon="clock-history",
)
ARCHIVED = _kind(
    "archived",
    _("A knowledge set is retired"),
    _("%(actor)s retired “%(title)s”."),
    icon="archive",
)
REINSTATED = _kind(
    "reinstated",
    _("A knowledge set is reinstated"),
    _("%(actor)s reinstated “%(title)s”."),
    icon="arrow-up-circle",
)
COMMENTED = _kind(
    "commented",
    _("A comment on a knowledge set"),
    _("%(actor)s commented on “%(title)s”."),
    icon="chat-left-text",
)
QUESTIONED = _kind(
    "question",
    _("A question about a knowledge set"),
    _("%(actor)s asked a question about “%(title)s”."),
    icon="question-circle",
)
REVIEW_COMMENTED = _kind(
    "review_comment",
    _("A review comment on a knowledge set"),
    _("%(actor)s left a review comment on “%(title)s”."),
    icon="chat-square-dots",
)
REVIEW_DUE = _kind(
    "review_due",
    _("A knowledge set is past its review date"),
    _("“%(title)s” is past its review date: check that it is still current."),
    icon="calendar-x",
)
REVIEW_WAITING = _kind(
    "review_waiting",
    _("A review has waited too long"),
    _("“%(title)s” is still waiting for its review."),
    icon="hourglass-split",
)

# The event a service reports → the kind of notice. The data migration that moved the old
# notices (``migrations/0003``) keeps its own copy of this table, as migrations must.
KIND_OF_EVENT: dict[str, str] = {
    Action.SUBMIT: SUBMITTED.code,
    Action.WITHDRAW: WITHDRAWN.code,
    Action.START_REVIEW: REVIEW_STARTED.code,
    Action.REQUEST_CHANGES: RETURNED.code,
    Action.APPROVE: APPROVED.code,
    SIGNOFF_ASKED: SIGNOFF_WAITING.code,
    Action.SIGN_OFF: SIGNED_OFF.code,
    Action.RETURN_SIGNOFF: RETURNED.code,
    Action.PUBLISH: PUBLISHED.code,
    Action.REVISE: REVISED.code,
    Action.RESTORE: RESTORED.code,
    Action.ARCHIVE: ARCHIVED.code,
    Action.REINSTATE: REINSTATED.code,
    REVIEWERS: REVIEW_ASKED.code,
    COMMENT: COMMENTED.code,
    QUESTION: QUESTIONED.code,
    REVIEW_COMMENT: REVIEW_COMMENTED.code,
}


# --- Who is told --------------------------------------------------------------------------------
def approvers() -> list[User]:
    """Who holds the KM head's or the CKO's role today."""
    ids = (
        Membership.objects.current()
        .filter(team__kind=TeamKind.KM_TEAM, role__in=[Role.HEAD, Role.CKO])
        .values("person_id")
    )
    return list(User.objects.filter(pk__in=ids, is_active=True))


def ckos() -> list[User]:
    """Who holds the CKO's role today (the one who signs sets off)."""
    ids = (
        Membership.objects.current()
        .filter(team__kind=TeamKind.KM_TEAM, role=Role.CKO)
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
    if event in {Action.START_REVIEW, Action.REQUEST_CHANGES, Action.APPROVE}:
        return authors | reviewers
    if event == SIGNOFF_ASKED:
        return set(ckos())
    if event in {Action.SIGN_OFF, Action.RETURN_SIGNOFF}:
        return authors | reviewers
    if event == Action.PUBLISH:
        return authors | reviewers | set(knowledge_set.holders.filter(is_active=True))
    if event in {Action.ARCHIVE, Action.REINSTATE, Action.REVISE, Action.RESTORE}:
        return authors
    if event in {COMMENT, QUESTION, REVIEW_COMMENT}:
        return authors
    return set()


def tell(
    *,
    knowledge_set: KnowledgeSet,
    event: str,
    actor: User | None,
    note: str = "",
    recipients: Iterable[User] | None = None,
) -> list:
    """Tell the people concerned by ``event`` (or ``recipients``) about the set, inside the
    caller's transaction; never the actor, nor anyone who may not open the set."""
    people = set(recipients) if recipients is not None else people_concerned(knowledge_set, event)
    return notify(
        kind=KIND_OF_EVENT[event],
        recipients=people,
        target=knowledge_set,
        actor=actor,
        note=note,
    )


# --- Reminders ----------------------------------------------------------------------------------
def past_review_date(today: dt.date) -> Iterator[Reminder]:
    """Published sets past their review date: once per set and review date (a set confirmed as
    current gets a new date, and so a new reminder when that one passes)."""
    overdue = (
        KnowledgeSet.objects.public()
        .filter(review_due__lt=today)
        .select_related("published_version")
        .prefetch_related("authors", "holders")
        .order_by("review_due", "pk")
    )
    for knowledge_set in overdue.iterator(chunk_size=200):
        people = {*knowledge_set.authors.all(), *knowledge_set.holders.all()}
        yield Reminder(
            key=f"knowledge.review_due:{knowledge_set.pk}:{knowledge_set.review_due.isoformat()}",
            kind=REVIEW_DUE.code,
            recipients=tuple(sorted(people, key=lambda person: person.pk)),
            target=knowledge_set,
        )


def waiting_days() -> int:
    return max(1, int(getattr(settings, "KM_REVIEW_WAITING_DAYS", 7)))


def reviews_waiting(today: dt.date) -> Iterator[Reminder]:
    """Sets submitted more than ``KM_REVIEW_WAITING_DAYS`` days ago and not yet decided: their
    reviewers and the approvers, on the first day past the limit and then once a week, per
    submission (a set sent back and submitted again starts over)."""
    limit = waiting_days()
    submissions = Transition.objects.filter(
        knowledge_set=OuterRef("pk"), action=Action.SUBMIT
    ).order_by("-at", "-pk")
    waiting = (
        KnowledgeSet.objects.filter(status__in=WAITING_FOR_REVIEW)
        .annotate(
            submission_id=Subquery(submissions.values("pk")[:1]),
            submitted_at=Subquery(submissions.values("at")[:1]),
        )
        .filter(submitted_at__isnull=False)
        .select_related("published_version")
        .prefetch_related("reviewers")
        .order_by("pk")
    )
    approving = approvers()
    for knowledge_set in waiting.iterator(chunk_size=200):
        days = (today - timezone.localdate(knowledge_set.submitted_at)).days
        if days <= limit:
            continue
        week = (days - limit - 1) // 7
        people = set(knowledge_set.reviewers.all()) | set(approving)
        yield Reminder(
            key=f"knowledge.review_waiting:{knowledge_set.pk}:{knowledge_set.submission_id}:{week}",
            kind=REVIEW_WAITING.code,
            recipients=tuple(sorted(people, key=lambda person: person.pk)),
            target=knowledge_set,
        )


register_reminders("knowledge.review_due", past_review_date)
register_reminders("knowledge.review_waiting", reviews_waiting)
