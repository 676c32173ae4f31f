"""The expert directory (ทำเนียบวิทยากร): people the office can call on to teach or advise.

Seed 003 names "a knowledge base of network trainers on cooperatives" as a desired state. An entry
is either one of our own staff or an outside trainer; staff suggest entries and the KM office
(secretary, head, administrators) approves them, so only reviewed entries reach everyone.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Count, Max, Q
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import ATTACHED_TITLES
from apps.core.links import record_url
from apps.core.models import TimeStampedModel, VersionedModel
from apps.teams.predicates import is_km_office, is_staff_member

from .choices import ExpertStatus  # also imported from here by the rest of the app


class ExpertiseArea(VersionedModel, TimeStampedModel):
    """A tag for what experts know, e.g. การบัญชีสหกรณ์ or กฎหมายสหกรณ์."""

    name = models.CharField(_("name"), max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("expertise area")
        verbose_name_plural = _("expertise areas")

    def __str__(self) -> str:
        return self.name


class ExpertKind(models.TextChoices):
    INTERNAL = "internal", _("Internal staff")
    EXTERNAL = "external", _("External trainer")


class ExpertQuerySet(models.QuerySet):
    def approved(self) -> ExpertQuerySet:
        return self.filter(status=ExpertStatus.APPROVED)

    def pending(self) -> ExpertQuerySet:
        return self.filter(status=ExpertStatus.SUGGESTED)

    def visible_to(self, user) -> ExpertQuerySet:
        """Approved entries for every staff member, plus their own suggestions; the KM office
        (secretary, head, administrators) sees everything, as it reviews the suggestions."""
        if not is_staff_member(user):
            return self.none()
        if is_km_office(user):
            return self.all()
        return self.filter(Q(status=ExpertStatus.APPROVED) | Q(suggested_by_id=user.pk))

    def with_engagement_summary(self) -> ExpertQuerySet:
        """Annotate how many talks and trainings each expert gave, and the latest one's date."""
        return self.annotate(
            engagement_count=Count("engagements", distinct=True),
            last_engaged_on=Max("engagements__held_on"),
        )


class Expert(VersionedModel, TimeStampedModel):
    """One entry of the directory: a trainer, speaker or adviser and what they can teach."""

    kind = models.CharField(
        _("kind"), max_length=20, choices=ExpertKind.choices, default=ExpertKind.EXTERNAL
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff member"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="expert_entries",
        help_text=_("For internal staff: their account in the portal."),
    )
    title = models.CharField(
        _("title"), max_length=100, blank=True, help_text=_("e.g. นาย, นางสาว, ดร., ผศ.ดร.")
    )
    first_name = models.CharField(_("first name"), max_length=150)
    last_name = models.CharField(_("last name"), max_length=150, blank=True)
    organisation = models.CharField(_("organisation"), max_length=255, blank=True)
    position = models.CharField(_("position"), max_length=255, blank=True)
    expertise = models.ManyToManyField(
        ExpertiseArea, verbose_name=_("expertise areas"), related_name="experts", blank=True
    )
    topics = models.TextField(
        _("topics they can teach"), blank=True, help_text=_("One topic per line.")
    )
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("email"), blank=True)
    contact_note = models.CharField(
        _("contact note"),
        max_length=255,
        blank=True,
        help_text=_("e.g. the best time to call, or whom to contact first."),
    )
    bio = models.TextField(_("background"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ExpertStatus.choices, default=ExpertStatus.SUGGESTED
    )
    suggested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("suggested by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="suggested_experts",
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reviewed_experts",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_note = models.TextField(_("review note"), blank=True)

    objects = ExpertQuerySet.as_manager()

    class Meta:
        ordering = ["first_name", "last_name", "pk"]
        verbose_name = _("expert")
        verbose_name_plural = _("experts")
        constraints = [
            # Only our own staff have an account to link to.
            models.CheckConstraint(
                condition=Q(person__isnull=True) | Q(kind=ExpertKind.INTERNAL),
                name="expert_person_only_for_internal_staff",
                violation_error_message=_("Only internal staff are linked to a staff account."),
            ),
            # One live entry per staff member; a rejected suggestion does not block a new one.
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(person__isnull=False) & ~Q(status=ExpertStatus.REJECTED),
                name="expert_one_live_entry_per_person",
                violation_error_message=_(
                    "This staff member already has an entry in the directory."
                ),
            ),
            # A reviewed entry says when it was reviewed; a pending one has not been.
            models.CheckConstraint(
                condition=(
                    Q(status=ExpertStatus.SUGGESTED, reviewed_at__isnull=True)
                    | (~Q(status=ExpertStatus.SUGGESTED) & Q(reviewed_at__isnull=False))
                ),
                name="expert_reviewed_at_matches_status",
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name()

    def get_absolute_url(self) -> str:
        return record_url("experts:detail", self.pk)

    def get_full_name(self) -> str:
        # The same convention as people's names (accounts.User): นาย/นาง/นางสาว are written
        # against the given name, ranks and academic titles stand apart.
        separator = "" if self.title in ATTACHED_TITLES else " "
        given = f"{self.title}{separator}{self.first_name}".strip()
        return " ".join(part for part in (given, self.last_name) if part)

    @property
    def topic_list(self) -> list[str]:
        return [line.strip() for line in self.topics.splitlines() if line.strip()]

    @property
    def is_pending(self) -> bool:
        return self.status == ExpertStatus.SUGGESTED

    @property
    def is_approved(self) -> bool:
        return self.status == ExpertStatus.APPROVED


class EngagementKind(models.TextChoices):
    TALK = "talk", _("Talk or lecture")
    TRAINING = "training", _("Training")
    MENTORING = "mentoring", _("Mentoring or coaching")
    OTHER = "other", _("Other")


class Engagement(VersionedModel, TimeStampedModel):
    """A talk, training or other occasion where the expert taught or advised."""

    expert = models.ForeignKey(
        Expert, verbose_name=_("expert"), on_delete=models.CASCADE, related_name="engagements"
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=EngagementKind.choices, default=EngagementKind.TRAINING
    )
    title = models.CharField(_("subject"), max_length=500)
    held_on = models.DateField(_("date"))
    ends_on = models.DateField(
        _("last day"), null=True, blank=True, help_text=_("For an event of several days.")
    )
    organiser = models.CharField(_("organiser"), max_length=255, blank=True)
    place = models.CharField(_("place"), max_length=255, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("talk or training")
        verbose_name_plural = _("talks and trainings")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("held_on")),
                name="engagement_ends_after_it_starts",
                violation_error_message=_("The last day cannot be before the first day."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return self.expert.get_absolute_url()
