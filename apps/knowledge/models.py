"""Knowledge sets (ชุดความรู้): written by a KM group, reviewed, approved, published, kept current.

Seed 003: the KM groups gather issues and write a knowledge set, send it to the KM-process working
group, which refines it into a standard document and publishes it for everyone. Here:

- ``KnowledgeSet`` is the set itself: its catalogue data (group, step, category, tags, kind,
  people, documents, review date), its workflow ``status`` and the *working copy* of its text
  (title, summary, Markdown body) that authors and reviewers edit.
- ``Version`` is an immutable snapshot of the text made each time the set is published; readers
  always read ``published_version``. A published set changes through a new working copy that
  goes through the workflow again while readers keep reading the published version.
- ``Transition`` records every step of the workflow: who, when, from, to, and the note.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core import files
from apps.core.choices import KMStep
from apps.core.links import record_url
from apps.core.models import TimeStampedModel, VersionedModel
from apps.teams.predicates import is_cko, is_head, is_staff_member


class SetKind(models.TextChoices):
    KNOWLEDGE_SET = "knowledge_set", _("Knowledge set")
    LESSONS_LEARNED = "lessons_learned", _("Lessons learned (After Action Review)")
    GOOD_PRACTICE = "good_practice", _("Good practice")
    FAQ = "faq", _("Frequently asked questions")
    HOW_TO = "how_to", _("How-to guide")


class Status(models.TextChoices):
    """The state of the working copy. ``published``: the working copy is the published version."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for review")
    IN_REVIEW = "in_review", _("In review")
    # Only when the office wants the CKO's sign-off as a step of its own (KM_KNOWLEDGE_CKO_SIGNOFF).
    AWAITING_SIGNOFF = "awaiting_signoff", _("Awaiting the CKO's sign-off")
    APPROVED = "approved", _("Approved")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Retired")


class KnowledgeSetQuerySet(models.QuerySet):
    def public(self) -> KnowledgeSetQuerySet:
        """Sets every staff member may read: published at least once and not retired."""
        return self.filter(published_version__isnull=False).exclude(status=Status.ARCHIVED)

    def involving(self, user) -> KnowledgeSetQuerySet:
        """Sets the person writes or reviews."""
        return self.filter(self.involving_filter(user))

    @staticmethod
    def involving_filter(user) -> Q:
        authored = KnowledgeSet.authors.through.objects.filter(user_id=user.pk)
        reviewed = KnowledgeSet.reviewers.through.objects.filter(user_id=user.pk)
        return Q(pk__in=authored.values("knowledgeset_id")) | Q(
            pk__in=reviewed.values("knowledgeset_id")
        )

    def visible_to(self, user) -> KnowledgeSetQuerySet:
        """What a person may open: the same rule as ``knowledge.view_set``, as a query.

        Published sets for every staff member; drafts, sets in review and retired sets only for
        their authors and reviewers, the KM head, the CKO (and administrators).
        """
        if not is_staff_member(user):
            return self.none()
        if user.is_superuser or is_head(user) or is_cko(user):
            return self.all()
        public = Q(published_version__isnull=False) & ~Q(status=Status.ARCHIVED)
        return self.filter(public | self.involving_filter(user))


class KnowledgeSet(VersionedModel, TimeStampedModel):
    # The working copy of the text.
    title = models.CharField(_("knowledge set title"), max_length=300)
    summary = models.TextField(
        _("summary"), blank=True, max_length=2000, help_text=_("Two or three sentences.")
    )
    body = models.TextField(_("body (Markdown)"), blank=True)
    body_html = models.TextField(editable=False, blank=True)
    toc = models.JSONField(default=list, editable=False, blank=True)
    # Catalogue data (not versioned: it describes the set, whichever version is read).
    kind = models.CharField(
        _("kind"), max_length=20, choices=SetKind.choices, default=SetKind.KNOWLEDGE_SET
    )
    group = models.ForeignKey(
        "teams.Team",
        verbose_name=_("owning KM group"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="knowledge_sets",
    )
    km_step = models.CharField(_("KM step"), max_length=20, choices=KMStep.choices, blank=True)
    category = models.ForeignKey(
        "library.Category",
        verbose_name=_("category"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="knowledge_sets",
    )
    tags = models.ManyToManyField(
        "library.Tag", verbose_name=_("tags"), blank=True, related_name="knowledge_sets"
    )
    authors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("authors"), related_name="authored_sets"
    )
    reviewers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewers"),
        blank=True,
        related_name="reviewed_sets",
    )
    holders = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("people who hold this knowledge"),
        blank=True,
        related_name="held_sets",
        help_text=_("The colleagues whose experience (tacit knowledge) this set writes down."),
    )
    documents = models.ManyToManyField(
        "library.Document",
        verbose_name=_("library documents"),
        blank=True,
        related_name="knowledge_sets",
    )
    review_due = models.DateField(_("next review"), null=True, blank=True)
    # Workflow.
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    published_version = models.OneToOneField(
        "Version",
        verbose_name=_("published version"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    view_count = models.PositiveIntegerField(_("views"), default=0, editable=False)

    objects = KnowledgeSetQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-pk"]
        verbose_name = _("knowledge set")
        verbose_name_plural = _("knowledge sets")
        indexes = [models.Index(fields=["status", "review_due"])]
        constraints = [
            # Published and retired sets have a published version to show.
            models.CheckConstraint(
                condition=~Q(status__in=["published", "archived"])
                | Q(published_version__isnull=False),
                name="knowledge_published_has_a_version",
            ),
        ]

    def __str__(self) -> str:
        return self.display_title

    def get_absolute_url(self) -> str:
        return record_url("knowledge:detail", self.pk)

    @property
    def display_title(self) -> str:
        """What readers see: the published title once there is one."""
        return self.published_version.title if self.published_version_id else self.title

    @property
    def is_public(self) -> bool:
        return self.published_version_id is not None and self.status != Status.ARCHIVED

    @property
    def has_pending_revision(self) -> bool:
        """A published set whose working copy is being changed for a new version."""
        return self.published_version_id is not None and self.status not in {
            Status.PUBLISHED,
            Status.ARCHIVED,
        }

    @property
    def is_review_due(self) -> bool:
        return (
            self.is_public
            and self.review_due is not None
            and self.review_due < timezone.localdate()
        )

    # Who is involved, read once per object (permission checks ask many times per page).
    def author_ids(self) -> frozenset[int]:
        if "_author_ids" not in self.__dict__:
            if "authors" in getattr(self, "_prefetched_objects_cache", {}):
                ids = [person.pk for person in self.authors.all()]
            else:
                ids = self.authors.values_list("pk", flat=True)
            self.__dict__["_author_ids"] = frozenset(ids)
        return self.__dict__["_author_ids"]

    def reviewer_ids(self) -> frozenset[int]:
        if "_reviewer_ids" not in self.__dict__:
            if "reviewers" in getattr(self, "_prefetched_objects_cache", {}):
                ids = [person.pk for person in self.reviewers.all()]
            else:
                ids = self.reviewers.values_list("pk", flat=True)
            self.__dict__["_reviewer_ids"] = frozenset(ids)
        return self.__dict__["_reviewer_ids"]

    def forget_people(self) -> None:
        """Drop the cached authors and reviewers (after they change)."""
        self.__dict__.pop("_author_ids", None)
        self.__dict__.pop("_reviewer_ids", None)
        prefetched = getattr(self, "_prefetched_objects_cache", {})
        prefetched.pop("authors", None)
        prefetched.pop("reviewers", None)


class Version(models.Model):
    """The text of a set as it was published, numbered 1, 2, 3 ... per set."""

    knowledge_set = models.ForeignKey(
        KnowledgeSet,
        verbose_name=_("knowledge set"),
        on_delete=models.CASCADE,
        related_name="versions",
    )
    number = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("knowledge set title"), max_length=300)
    summary = models.TextField(_("summary"), blank=True)
    body = models.TextField(_("body (Markdown)"), blank=True)
    body_html = models.TextField(editable=False, blank=True)
    toc = models.JSONField(default=list, editable=False, blank=True)
    note = models.CharField(_("what changed"), max_length=500, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published"), default=timezone.now)

    class Meta:
        ordering = ["knowledge_set", "-number"]
        verbose_name = _("version")
        verbose_name_plural = _("versions")
        constraints = [
            models.UniqueConstraint(
                fields=["knowledge_set", "number"], name="knowledge_version_number_unique"
            ),
        ]

    def __str__(self) -> str:
        return _("%(title)s, version %(number)s") % {"title": self.title, "number": self.number}

    def get_absolute_url(self) -> str:
        return reverse(
            "knowledge:version", kwargs={"pk": self.knowledge_set_id, "number": self.number}
        )


class Action(models.TextChoices):
    """What happened to a set; the workflow's transitions and the few other recorded events."""

    CREATE = "create", _("Started as a draft")
    SUBMIT = "submit", _("Submitted for review")
    WITHDRAW = "withdraw", _("Withdrawn by the authors")
    START_REVIEW = "start_review", _("Review started")
    REQUEST_CHANGES = "request_changes", _("Changes requested")
    APPROVE = "approve", _("Approved")
    SIGN_OFF = "sign_off", _("Signed off by the CKO")
    RETURN_SIGNOFF = "return_signoff", _("Sent back by the CKO")
    PUBLISH = "publish", _("Published")
    REVISE = "revise", _("New version started")
    RESTORE = "restore", _("Earlier version restored")
    ARCHIVE = "archive", _("Retired")
    REINSTATE = "reinstate", _("Reinstated")
    CONFIRM = "confirm", _("Confirmed as still current")


class Transition(models.Model):
    knowledge_set = models.ForeignKey(
        KnowledgeSet,
        verbose_name=_("knowledge set"),
        on_delete=models.CASCADE,
        related_name="transitions",
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    from_status = models.CharField(
        _("from state"), max_length=20, choices=Status.choices, blank=True
    )
    to_status = models.CharField(_("to state"), max_length=20, choices=Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(_("when"), default=timezone.now)
    note = models.TextField(_("note"), blank=True)
    version_number = models.PositiveIntegerField(_("version"), null=True, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("workflow step")
        verbose_name_plural = _("workflow steps")

    def __str__(self) -> str:
        return f"{self.knowledge_set_id}: {self.get_action_display()}"


class CommentKind(models.TextChoices):
    REVIEW = "review", _("Review comment")
    COMMENT = "comment", _("Comment")
    QUESTION = "question", _("Question")


class Comment(VersionedModel, TimeStampedModel):
    """A reviewer's comment on the working copy, or a reader's comment or question on the
    published set; replies hang one level below."""

    knowledge_set = models.ForeignKey(
        KnowledgeSet,
        verbose_name=_("knowledge set"),
        on_delete=models.CASCADE,
        related_name="comments",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="knowledge_comments",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=CommentKind.choices)
    section = models.CharField(
        _("section"), max_length=200, blank=True, help_text=_("The part of the text it is about.")
    )
    body = models.TextField(_("comment"), max_length=4000)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("reply to"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="replies",
    )

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def __str__(self) -> str:
        return self.body[:80]

    def get_absolute_url(self) -> str:
        return f"{self.knowledge_set.get_absolute_url()}#comment-{self.pk}"


class Vote(TimeStampedModel):
    """ "Was this useful?": one answer per person and set, which they may change."""

    knowledge_set = models.ForeignKey(
        KnowledgeSet,
        verbose_name=_("knowledge set"),
        on_delete=models.CASCADE,
        related_name="votes",
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="knowledge_votes",
    )
    useful = models.BooleanField(_("useful"))

    class Meta:
        verbose_name = _("usefulness vote")
        verbose_name_plural = _("usefulness votes")
        constraints = [
            models.UniqueConstraint(
                fields=["knowledge_set", "person"], name="knowledge_one_vote_per_person"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.knowledge_set_id}: {self.useful}"


class ReadingDay(models.Model):
    """That a person read a set on a day: the view count counts each person once a day."""

    knowledge_set = models.ForeignKey(
        KnowledgeSet, on_delete=models.CASCADE, related_name="reading_days"
    )
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()

    class Meta:
        verbose_name = _("reading")
        verbose_name_plural = _("readings")
        constraints = [
            models.UniqueConstraint(
                fields=["knowledge_set", "person", "day"], name="knowledge_one_view_a_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.knowledge_set_id} {self.person_id} {self.day}"


def attachment_upload_to(instance: Attachment, filename: str) -> str:
    # A generated name: the original (Thai) name is kept in ``original_name`` for downloads.
    return files.generated_name("knowledge", filename, spread=True)


class Attachment(TimeStampedModel):
    knowledge_set = models.ForeignKey(
        KnowledgeSet,
        verbose_name=_("knowledge set"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    file = models.FileField(_("file"), upload_to=attachment_upload_to, max_length=255)
    original_name = models.CharField(_("original file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    mime = models.CharField(_("type"), max_length=120)
    kind_label = models.CharField(_("kind"), max_length=40)
    inline_safe = models.BooleanField(default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        constraints = [
            models.UniqueConstraint(
                fields=["knowledge_set", "sha256"], name="knowledge_attachment_once_per_set"
            ),
        ]

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return record_url("knowledge:attachment", self.pk)


# What a notice can be about besides a workflow step (``Action``).
REVIEWERS = "reviewers"
SIGNOFF_ASKED = "signoff_asked"
COMMENT = "comment"
QUESTION = "question"
REVIEW_COMMENT = "review_comment"
