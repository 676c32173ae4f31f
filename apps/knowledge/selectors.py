"""Reads for knowledge-set pages, the home page and people's pages. Each is a fixed number of
queries, whatever the number of sets."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.db import connection
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from apps.accounts.models import User
from apps.core.choices import KMStep
from apps.core.portal import HomeLink
from apps.library.models import Document, Tag
from apps.notifications.models import Notification
from apps.teams.models import Team
from apps.teams.predicates import is_cko, is_head

from .models import (
    Comment,
    CommentKind,
    KnowledgeSet,
    SetKind,
    Status,
    Transition,
    Version,
)

WAITING_FOR_REVIEW = (Status.SUBMITTED, Status.IN_REVIEW)
MAX_NOTICES = 1000  # marked read at once


def with_cards(queryset: QuerySet[KnowledgeSet]) -> QuerySet[KnowledgeSet]:
    """What a list of sets shows on each card, fetched with the list."""
    return queryset.select_related("published_version", "group", "category").prefetch_related(
        "tags"
    )


def browse(user: User) -> QuerySet[KnowledgeSet]:
    """The knowledge corner's sets: published ones, with their usefulness votes counted."""
    return (
        with_cards(KnowledgeSet.objects.public())
        .annotate(useful_count=Count("votes", filter=Q(votes__useful=True), distinct=True))
        .order_by("-published_version__published_at", "-pk")
    )


def facets(sets: QuerySet[KnowledgeSet]) -> dict[str, Any]:
    """Counts for the side panel: by kind, KM step, group and tag."""
    base = sets.order_by()
    kind_labels = dict(SetKind.choices)
    step_labels = dict(KMStep.choices)
    kinds = [
        (value, kind_labels.get(value, value), n)
        for value, n in base.values_list("kind").annotate(n=Count("pk", distinct=True))
        if value
    ]
    steps = [
        (value, step_labels.get(value, value), n)
        for value, n in base.values_list("km_step").annotate(n=Count("pk", distinct=True))
        if value
    ]
    step_order = {value: index for index, value in enumerate(KMStep.values)}
    steps.sort(key=lambda row: step_order.get(row[0], 99))
    group_counts = dict(
        base.exclude(group__isnull=True)
        .values_list("group_id")
        .annotate(n=Count("pk", distinct=True))
    )
    groups = [(team, group_counts[team.pk]) for team in Team.objects.filter(pk__in=group_counts)]
    tags = list(
        Tag.objects.filter(knowledge_sets__in=base.values("pk"))
        .annotate(n=Count("knowledge_sets", distinct=True))
        .order_by("-n", "name")[:30]
    )
    return {"kinds": kinds, "steps": steps, "groups": groups, "tags": tags}


def latest_published(request: HttpRequest, *, limit: int = 6) -> list[HomeLink]:
    """The home page's "new knowledge sets" (public ones: the same for every signed-in person),
    as titles and addresses, so the home page may keep them (``published_fingerprint``)."""
    rows = (
        KnowledgeSet.objects.public()
        .order_by("-published_version__published_at")
        .values_list("pk", "published_version__title")[:limit]
    )
    return [HomeLink(title, KnowledgeSet(pk=pk).get_absolute_url()) for pk, title in rows]


def published_fingerprint(request: HttpRequest | None = None) -> tuple:
    """What the published sets look like, in two index lookups: a set added, changed (its
    status, its published version: the services save the set) or removed, and a version
    published, change it."""
    sets = connection.ops.quote_name(KnowledgeSet._meta.db_table)
    versions = connection.ops.quote_name(Version._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT COUNT(*) FROM {sets}), (SELECT MAX(id) FROM {sets}),"  # noqa: S608
            f" (SELECT MAX(updated_at) FROM {sets}), (SELECT COUNT(*) FROM {versions}),"
            f" (SELECT MAX(id) FROM {versions}), (SELECT MAX(published_at) FROM {versions})"
        )
        row = cursor.fetchone()
    return tuple(str(value) for value in row)


def review_due(user: User, *, on: dt.date | None = None) -> QuerySet[KnowledgeSet]:
    """Published sets past their review date that this person should look at: their own, and
    every one for the KM head (and the CKO)."""
    on = on or timezone.localdate()
    overdue = (
        KnowledgeSet.objects.public()
        .filter(review_due__lt=on)
        .select_related("published_version")
        .order_by("review_due", "pk")
    )
    if user.is_superuser or is_head(user) or is_cko(user):
        return overdue
    authored = KnowledgeSet.authors.through.objects.filter(user_id=user.pk)
    return overdue.filter(pk__in=authored.values("knowledgeset_id"))


@dataclass
class HomeEntry:
    """One line of the "for you" box on the home page."""

    text: str
    url: str
    icon: str
    when: Any = None
    unread: bool = False
    overdue_since: Any = None

    def get_absolute_url(self) -> str:
        return self.url

    def __str__(self) -> str:
        return self.text


def notices_for(user: User) -> QuerySet[Notification]:
    """The person's notices about sets they may open now (from the portal's one notification
    system): a reviewer taken off a draft keeps the notice row, but its title is no longer theirs
    to see."""
    return Notification.objects.for_person(user).filter(
        target_type=ContentType.objects.get_for_model(KnowledgeSet),
        target_id__in=KnowledgeSet.objects.visible_to(user).values("pk"),
    )


def with_sets(notices: QuerySet[Notification]) -> QuerySet[Notification]:
    """Notices with their actor and set (and its published version) fetched along."""
    return notices.select_related("actor", "target_type").prefetch_related(
        GenericPrefetch("target", [KnowledgeSet.objects.select_related("published_version")])
    )


def for_you(request: HttpRequest, *, limit: int = 8) -> list[HomeEntry]:
    """The home page's knowledge-set box: unread notices, then sets due for review."""
    user = request.user
    if not getattr(user, "is_authenticated", False):
        return []
    notices = list(
        notices_for(user).unread().select_related("actor").order_by("-created_at", "-pk")[:limit]
    )
    # Every notice here is about a set (``notices_for``): one query for them, without the
    # generic prefetch's grouping by type (the home page's dearest part, issue 20).
    sets = KnowledgeSet.objects.select_related("published_version").in_bulk(
        {n.target_id for n in notices}
    )
    for notice in notices:
        if notice.target_id in sets:
            notice.target = sets[notice.target_id]
    entries = [
        HomeEntry(n.sentence(), n.get_absolute_url(), "bell", when=n.created_at, unread=True)
        for n in notices
    ]
    # Published sets only (``review_due``): what readers see is the published title.
    due = review_due(user).values_list("pk", "published_version__title", "review_due")
    for pk, title, review_date in due[: max(0, limit - len(entries)) or 3]:
        entries.append(
            HomeEntry(
                title,
                KnowledgeSet(pk=pk).get_absolute_url(),
                "calendar-x",
                overdue_since=review_date,
            )
        )
    return entries


def workbench(user: User) -> dict[str, Any]:
    """The "my knowledge sets" page: what waits for this person, what they write and review,
    what is due for review, and their notices."""
    visible = KnowledgeSet.objects.visible_to(user)
    approver = user.is_superuser or is_head(user) or is_cko(user)
    authored_ids = KnowledgeSet.authors.through.objects.filter(user_id=user.pk).values(
        "knowledgeset_id"
    )
    reviewed_ids = KnowledgeSet.reviewers.through.objects.filter(user_id=user.pk).values(
        "knowledgeset_id"
    )
    waiting = Q(pk__in=authored_ids, status=Status.DRAFT)
    waiting |= Q(pk__in=reviewed_ids, status__in=WAITING_FOR_REVIEW)
    if approver:
        waiting |= Q(status__in=[*WAITING_FOR_REVIEW, Status.AWAITING_SIGNOFF, Status.APPROVED])
    cards = with_cards(visible).order_by("-updated_at", "-pk")
    notices = list(with_sets(notices_for(user)).order_by("-created_at", "-pk")[:30])
    return {
        "waiting": list(cards.filter(waiting)[:50]),
        "authored": list(cards.filter(pk__in=authored_ids)[:100]),
        "reviewing": list(cards.filter(pk__in=reviewed_ids)[:100]),
        "due": list(with_cards(review_due(user))[:50]),
        "notices": notices,
        "unread": sum(1 for n in notices if n.read_at is None),
        "is_approver": approver,
    }


def person_sets(request: HttpRequest, person: User) -> dict | None:
    """The knowledge-sets panel of a person's page: the sets they wrote that the viewer may open,
    and those whose knowledge they hold."""
    visible = KnowledgeSet.objects.visible_to(request.user).select_related("published_version")
    authored = list(visible.filter(authors=person).order_by("-updated_at")[:20])
    held = list(visible.filter(holders=person).order_by("-updated_at")[:20])
    if not authored and not held:
        return None
    return {"authored": authored, "held": held}


# --- One set's page ------------------------------------------------------------------------------
def detail_queryset() -> QuerySet[KnowledgeSet]:
    """Sets with what their page shows fetched along (people, tags, the published version)."""
    return KnowledgeSet.objects.select_related(
        "published_version", "group", "category", "created_by"
    ).prefetch_related("authors", "reviewers", "holders", "tags")


def visible_documents(knowledge_set: KnowledgeSet, user: User) -> list[Document]:
    """The linked library documents this person may open; the others are not even named."""
    return list(
        knowledge_set.documents.visible_to(user).select_related("category").order_by("title")
    )


def comment_threads(knowledge_set: KnowledgeSet, kinds: list[str]) -> list[Comment]:
    """Top-level comments of these kinds, oldest first, with their replies."""
    replies = Comment.objects.select_related("author").order_by("created_at", "pk")
    return list(
        knowledge_set.comments.filter(kind__in=kinds, parent__isnull=True)
        .select_related("author")
        .prefetch_related(Prefetch("replies", queryset=replies))
    )


def reader_threads(knowledge_set: KnowledgeSet) -> list[Comment]:
    """Readers' comments and questions on the published set, with their answers."""
    return comment_threads(knowledge_set, [CommentKind.COMMENT, CommentKind.QUESTION])


def review_threads(knowledge_set: KnowledgeSet) -> list[Comment]:
    """The reviewers' comments on the working copy, with their replies."""
    return comment_threads(knowledge_set, [CommentKind.REVIEW])


def transitions(knowledge_set: KnowledgeSet) -> list[Transition]:
    """The set's workflow history, newest first, with who took each step."""
    return list(knowledge_set.transitions.select_related("actor"))


def votes(knowledge_set: KnowledgeSet, user: User) -> dict[str, Any]:
    """How many found the set useful and not, and this person's own answer (None if none)."""
    counts = knowledge_set.votes.aggregate(
        yes=Count("pk", filter=Q(useful=True)), no=Count("pk", filter=Q(useful=False))
    )
    mine = knowledge_set.votes.filter(person_id=user.pk).values_list("useful", flat=True).first()
    return {**counts, "mine": mine}


def versions(knowledge_set: KnowledgeSet) -> list[Version]:
    """The published versions, newest first."""
    return list(knowledge_set.versions.select_related("published_by").order_by("-number"))


def related_sets(knowledge_set: KnowledgeSet, user: User, *, limit: int = 5) -> list[KnowledgeSet]:
    """Published sets that share tags, the category or the group, most shared tags first."""
    tag_ids = [tag.pk for tag in knowledge_set.tags.all()]
    condition = Q(tags__in=tag_ids) if tag_ids else Q(pk__in=[])
    if knowledge_set.category_id:
        condition |= Q(category_id=knowledge_set.category_id)
    if knowledge_set.group_id:
        condition |= Q(group_id=knowledge_set.group_id)
    return list(
        KnowledgeSet.objects.public()
        .visible_to(user)
        .filter(condition)
        .exclude(pk=knowledge_set.pk)
        .select_related("published_version")
        .annotate(shared=Count("tags", filter=Q(tags__in=tag_ids), distinct=True))
        .order_by("-shared", "-published_version__published_at")[:limit]
    )


def related_documents(knowledge_set: KnowledgeSet, user: User, *, limit: int = 5) -> list[Document]:
    """Library documents on the same tags or category that are not linked already."""
    tag_ids = [tag.pk for tag in knowledge_set.tags.all()]
    condition = Q(tags__in=tag_ids) if tag_ids else Q(pk__in=[])
    if knowledge_set.category_id:
        condition |= Q(category_id=knowledge_set.category_id)
    linked = knowledge_set.documents.values("pk")
    return list(
        Document.objects.visible_to(user)
        .filter(condition)
        .exclude(pk__in=linked)
        .annotate(shared=Count("tags", filter=Q(tags__in=tag_ids), distinct=True))
        .order_by("-shared", "-issued_on")[:limit]
    )
