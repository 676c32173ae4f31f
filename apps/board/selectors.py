"""Reads of the Q&A board that span relations: lists, a thread, a person's answers, figures.

Every read starts from ``Question.objects.visible_to(user)``: nothing a person may not open is
named or counted.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import HttpRequest

from apps.accounts.models import User

from .models import Answer, AskedPerson, Comment, Question, Vote

PANEL_LIMIT = 8


def list_queryset(user) -> QuerySet[Question]:
    """The board's list for ``user``: shown questions (hidden ones only where they may see
    them), with their counts, in one query plus the tags' prefetch."""
    return (
        Question.objects.visible_to(user)
        .select_related("asker", "accepted_answer")
        .prefetch_related("tags")
        .annotate(
            answer_count=Count("answers", filter=Q(answers__hidden=False), distinct=True),
            vote_count=Count("votes", filter=Q(votes__answer__isnull=True), distinct=True),
        )
        .order_by("-created_at", "-pk")
    )


def waiting_for(user) -> QuerySet[Question]:
    """Questions ``user`` was asked to answer and has not answered yet."""
    asked = AskedPerson.objects.filter(question=OuterRef("pk"), person_id=user.pk)
    answered = Answer.objects.filter(question=OuterRef("pk"), author_id=user.pk)
    return (
        Question.objects.visible_to(user)
        .shown()
        .filter(Exists(asked))
        .exclude(Exists(answered))
        .filter(accepted_answer__isnull=True)
        .order_by("created_at", "pk")
    )


def thread(question: Question, user) -> dict:
    """What a question's page shows: answers (hidden ones only to their author and the
    moderators), comments, the person's votes and the vote counts, in a fixed number of
    queries."""
    moderator = user.has_perm("board.moderate", question)
    answers = list(
        question.answers.select_related("author")
        .annotate(vote_count=Count("votes", distinct=True))
        .prefetch_related(
            Prefetch(
                "comments",
                queryset=Comment.objects.select_related("author").order_by("created_at", "pk"),
            )
        )
        .order_by("created_at", "pk")
    )
    answers = [a for a in answers if not a.hidden or moderator or a.author_id == user.pk]
    # The accepted answer first, then the most useful, then the oldest.
    answers.sort(
        key=lambda a: (a.pk != question.accepted_answer_id, -a.vote_count, a.created_at, a.pk)
    )
    comments = [
        c
        for c in question.comments.filter(answer__isnull=True)
        .select_related("author")
        .order_by("created_at", "pk")
        if not c.hidden or moderator or c.author_id == user.pk
    ]
    voted = set(
        Vote.objects.filter(question=question, person_id=user.pk).values_list(
            "answer_id", flat=True
        )
    )
    question_votes = question.votes.filter(answer__isnull=True).count()
    asked = list(question.asked.select_related("person").order_by("created_at", "pk"))
    return {
        "answers": answers,
        "comments": comments,
        "voted_question": None in voted,
        "voted_answers": {pk for pk in voted if pk is not None},
        "question_votes": question_votes,
        "asked": asked,
        "is_moderator": moderator,
    }


def person_answers(request: HttpRequest, person: User) -> dict | None:
    """The "who knows about" panel of a person's page: their accepted answers the viewer may
    open, and how many answers they gave by tag."""
    visible = Question.objects.visible_to(request.user).shown()
    answers = Answer.objects.filter(author=person, hidden=False, question__in=visible)
    total = answers.count()
    if not total:
        return None
    accepted = list(
        visible.filter(accepted_answer__author=person).order_by("-accepted_at", "-pk")[:PANEL_LIMIT]
    )
    by_tag = (
        answers.filter(question__tags__isnull=False)
        .values("question__tags__name")
        .annotate(n=Count("pk", distinct=True))
        .order_by("-n", "question__tags__name")[:PANEL_LIMIT]
    )
    return {
        "total": total,
        "accepted": accepted,
        "accepted_count": visible.filter(accepted_answer__author=person).count(),
        "topics": [(row["question__tags__name"], row["n"]) for row in by_tag],
    }


# --- Figures -------------------------------------------------------------------------------------
def figures(questions: QuerySet[Question], *, days: int, today: dt.date) -> dict:
    """Questions asked, answered and unanswered (older than ``days``), and the median hours to
    the first answer, over ``questions`` (already limited to what the viewer may open)."""
    from django.utils import timezone

    shown = questions.filter(hidden=False)
    counts = shown.aggregate(
        asked=Count("pk"),
        answered=Count("pk", filter=Q(first_answer_at__isnull=False)),
        accepted=Count("pk", filter=Q(accepted_answer__isnull=False)),
    )
    start = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=days), dt.time()))
    counts["unanswered"] = shown.unanswered().filter(created_at__lt=start).count()
    waits = [
        (first - asked).total_seconds() / 3600
        for asked, first in shown.filter(first_answer_at__isnull=False).values_list(
            "created_at", "first_answer_at"
        )
    ]
    counts["median_hours"] = round(statistics.median(waits), 1) if waits else None
    return counts


def top_tags(questions: QuerySet[Question], limit: int = 10) -> list[tuple[str, int]]:
    counted: Counter = Counter(
        dict(
            questions.filter(hidden=False, tags__isnull=False)
            .values_list("tags__name")
            .annotate(n=Count("pk", distinct=True))
        )
    )
    return counted.most_common(limit)
