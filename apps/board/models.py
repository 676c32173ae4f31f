"""The Q&A board (กระดานถาม-ตอบ): questions, their answers and comments, and "useful" votes.

- ``Question``: a Thai title, a Markdown body (rendered and sanitised as knowledge sets are),
  tags, an optional KM step and links (a library document, a knowledge set), in the office-wide
  board or in another app's space (``spaces``). Its asker, or a moderator, accepts one answer.
- ``Answer`` and ``Comment`` (on the question or on one answer); ``Vote``: one "useful" per
  person and post, never on one's own.
- ``AskedPerson``: a colleague or an expert asked to answer; the question waits for them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.choices import KMStep
from apps.core.links import record_url
from apps.core.models import TimeStampedModel, VersionedModel
from apps.teams.predicates import is_admin, is_staff_member

from . import spaces
from .rules import is_office_moderator


class QuestionQuerySet(models.QuerySet):
    def readable_by(self, user) -> QuestionQuerySet:
        """Questions of the spaces ``user`` may read (hidden ones included)."""
        if not is_staff_member(user):
            return self.none()
        if is_admin(user):
            return self.all()
        where = Q(space_kind="")
        for kind in spaces.kinds():
            ids = list(kind.readable_ids(user))
            if ids:
                where |= Q(space_kind=kind.code, space_id__in=ids)
        return self.filter(where)

    def moderated_by(self, user) -> QuestionQuerySet:
        """Questions ``user`` moderates (the office-wide board's moderators: all of them)."""
        if not is_staff_member(user):
            return self.none()
        if is_office_moderator(user):
            return self.all()
        where = Q(pk__in=[])
        for kind in spaces.kinds():
            ids = list(kind.moderated_ids(user))
            if ids:
                where |= Q(space_kind=kind.code, space_id__in=ids)
        return self.filter(where)

    def visible_to(self, user) -> QuestionQuerySet:
        """What ``user`` may open: the same rule as ``board.view_question``, as a query. A
        hidden question stays open to its asker and the moderators."""
        readable = self.readable_by(user)
        if is_office_moderator(user):
            return readable
        moderated = self.moderated_by(user).values("pk")
        return readable.filter(Q(hidden=False) | Q(asker_id=user.pk) | Q(pk__in=moderated))

    def shown(self) -> QuestionQuerySet:
        return self.filter(hidden=False)

    def unanswered(self) -> QuestionQuerySet:
        """Not hidden, and no answer anyone can read yet."""
        return self.shown().exclude(answers__hidden=False)


class Question(VersionedModel, TimeStampedModel):
    space_kind = models.CharField(_("space kind"), max_length=30, blank=True, db_index=True)
    space_id = models.PositiveIntegerField(_("space"), null=True, blank=True)
    title = models.CharField(_("question"), max_length=300)
    body = models.TextField(_("details"), blank=True)
    body_html = models.TextField(editable=False, blank=True)
    asker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("asked by"),
        on_delete=models.PROTECT,
        related_name="board_questions",
    )
    tags = models.ManyToManyField(
        "library.Tag", verbose_name=_("tags"), blank=True, related_name="board_questions"
    )
    km_step = models.CharField(_("KM step"), max_length=20, choices=KMStep.choices, blank=True)
    document = models.ForeignKey(
        "library.Document",
        verbose_name=_("document"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="board_questions",
    )
    knowledge_set = models.ForeignKey(
        "knowledge.KnowledgeSet",
        verbose_name=_("knowledge set"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="board_questions",
    )
    accepted_answer = models.OneToOneField(
        "board.Answer",
        verbose_name=_("accepted answer"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="accepted_for",
    )
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    first_answer_at = models.DateTimeField(_("first answered at"), null=True, blank=True)
    hidden = models.BooleanField(_("hidden"), default=False)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("hidden by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            models.CheckConstraint(
                condition=(Q(space_kind="", space_id__isnull=True))
                | (~Q(space_kind="") & Q(space_id__isnull=False)),
                name="board_question_space_complete",
            ),
        ]
        indexes = [models.Index(fields=["space_kind", "space_id"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return record_url("board:detail", self.pk)

    @property
    def space(self) -> spaces.SpaceKind | None:
        return spaces.get(self.space_kind) if self.space_kind else None

    @property
    def space_title(self) -> str:
        space = self.space
        return space.title(self.space_id) if space else ""

    @property
    def space_url(self) -> str:
        space = self.space
        return space.url(self.space_id) if space else ""


class Answer(VersionedModel, TimeStampedModel):
    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="answers"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.PROTECT,
        related_name="board_answers",
    )
    body = models.TextField(_("answer"))
    body_html = models.TextField(editable=False, blank=True)
    hidden = models.BooleanField(_("hidden"), default=False)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")

    def __str__(self) -> str:
        return _("Answer to “%(question)s”") % {"question": self.question.title}

    def get_absolute_url(self) -> str:
        return f"{self.question.get_absolute_url()}#answer-{self.pk}"


class Comment(VersionedModel, TimeStampedModel):
    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="comments"
    )
    answer = models.ForeignKey(
        Answer,
        verbose_name=_("answer"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="comments",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        on_delete=models.PROTECT,
        related_name="board_comments",
    )
    text = models.TextField(_("comment"), max_length=2000)
    hidden = models.BooleanField(_("hidden"), default=False)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def __str__(self) -> str:
        return self.text[:60]

    def get_absolute_url(self) -> str:
        return f"{self.question.get_absolute_url()}#comment-{self.pk}"


class Vote(models.Model):
    """One person's "useful" on a question (``answer`` empty) or on one of its answers."""

    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="votes"
    )
    answer = models.ForeignKey(
        Answer,
        verbose_name=_("answer"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="votes",
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="board_votes"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("useful vote")
        verbose_name_plural = _("useful votes")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "question"],
                condition=Q(answer__isnull=True),
                name="board_one_vote_per_question",
            ),
            models.UniqueConstraint(
                fields=["person", "answer"],
                condition=Q(answer__isnull=False),
                name="board_one_vote_per_answer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} → {self.answer_id or self.question_id}"


class AskedPerson(models.Model):
    """A colleague or an expert asked to answer a question."""

    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="asked"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("asked"),
        on_delete=models.CASCADE,
        related_name="board_asked",
    )
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("person asked")
        verbose_name_plural = _("people asked")
        constraints = [
            models.UniqueConstraint(fields=["question", "person"], name="board_ask_once"),
        ]

    def __str__(self) -> str:
        return str(self.person)
