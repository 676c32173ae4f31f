"""Learning and development (steps 5–7 of the KM process): mentoring, job rotation and
secondment, and learning events (training, เวทีแลกเปลี่ยนเรียนรู้, KM Day).

Tacit knowledge moves between people here: a mentor (พี่เลี้ยง) teaches a job and signs off the
mentee's skills; a person rotated to another job records what they learned and a short AAR; an
event has registration with a waiting list, attendance, an evaluation and a certificate.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.choices import KMStep
from apps.core.links import record_url
from apps.core.models import TimeStampedModel, VersionedModel
from apps.teams.predicates import is_staff_member

from .rules import is_km_roles

USER = settings.AUTH_USER_MODEL


class AARFields(models.Model):
    """The after-action review Thai offices use: expected, happened, why different, keep, change."""

    aar_expected = models.TextField(_("what we expected"), blank=True)
    aar_happened = models.TextField(_("what actually happened"), blank=True)
    aar_why = models.TextField(_("why it was different"), blank=True)
    aar_keep = models.TextField(_("what to keep doing"), blank=True)
    aar_change = models.TextField(_("what to change next time"), blank=True)

    AAR = ("aar_expected", "aar_happened", "aar_why", "aar_keep", "aar_change")

    class Meta:
        abstract = True

    @property
    def has_aar(self) -> bool:
        return any(getattr(self, name) for name in self.AAR)


# --- Mentoring -----------------------------------------------------------------------------------
class PairStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    COMPLETED = "completed", _("Completed")
    ENDED = "ended", _("Ended early")


class PairQuerySet(models.QuerySet):
    def visible_to(self, user) -> PairQuerySet:
        """The rule ``learning.view_pair`` as a query: the mentor, the mentee, the KM roles."""
        if not is_staff_member(user):
            return self.none()
        if is_km_roles(user):
            return self.all()
        return self.filter(Q(mentor_id=user.pk) | Q(mentee_id=user.pk))


class MentoringPair(VersionedModel, TimeStampedModel):
    """A mentor (พี่เลี้ยง) teaching a mentee a job over a period, towards written goals."""

    mentor = models.ForeignKey(
        USER, verbose_name=_("mentor"), on_delete=models.PROTECT, related_name="mentoring_given"
    )
    mentee = models.ForeignKey(
        USER, verbose_name=_("mentee"), on_delete=models.PROTECT, related_name="mentoring_received"
    )
    topic = models.CharField(_("topic"), max_length=255)
    job = models.CharField(
        _("job being learned"),
        max_length=255,
        blank=True,
        help_text=_("e.g. the work of a cooperative inspector"),
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    goals = models.TextField(_("goals"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=PairStatus.choices, default=PairStatus.ACTIVE
    )
    km_step = models.CharField(
        _("KM step"), max_length=20, choices=KMStep.choices, default=KMStep.SHARE
    )
    created_by = models.ForeignKey(
        USER,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = PairQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "-pk"]
        verbose_name = _("mentoring pair")
        verbose_name_plural = _("mentoring pairs")
        constraints = [
            models.CheckConstraint(
                condition=~Q(mentor=models.F("mentee")), name="learning_pair_two_people"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="learning_pair_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.topic} ({self.mentor.get_full_name()} → {self.mentee.get_full_name()})"

    def get_absolute_url(self) -> str:
        return record_url("learning:pair_detail", self.pk)

    def clean(self):
        from django.core.exceptions import ValidationError

        errors = {}
        if self.mentor_id and self.mentor_id == self.mentee_id:
            errors["mentee"] = _("The mentee must be someone other than the mentor.")
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("The end date cannot be before the start date.")
        if errors:
            raise ValidationError(errors)


class MentoringSession(TimeStampedModel):
    """One meeting of a pair and what the mentee learned in it."""

    pair = models.ForeignKey(
        MentoringPair, verbose_name=_("pair"), on_delete=models.CASCADE, related_name="sessions"
    )
    held_on = models.DateField(_("date"))
    learned = models.TextField(_("what was learned"))
    logged_by = models.ForeignKey(
        USER,
        verbose_name=_("logged by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("mentoring session")
        verbose_name_plural = _("mentoring sessions")

    def __str__(self) -> str:
        return f"{self.pair.topic} {self.held_on}"

    def get_absolute_url(self) -> str:
        return self.pair.get_absolute_url()


class SkillItem(TimeStampedModel):
    """One skill of the job on the mentee's checklist, signed off by the mentor once learned."""

    pair = models.ForeignKey(
        MentoringPair, verbose_name=_("pair"), on_delete=models.CASCADE, related_name="skills"
    )
    skill = models.CharField(_("skill"), max_length=255)
    order = models.PositiveIntegerField(_("order"), default=0)
    signed_off_by = models.ForeignKey(
        USER,
        verbose_name=_("signed off by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    signed_off_at = models.DateTimeField(_("signed off at"), null=True, blank=True)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("skill")
        verbose_name_plural = _("skills checklist")

    def __str__(self) -> str:
        return self.skill

    def get_absolute_url(self) -> str:
        return self.pair.get_absolute_url()

    @property
    def signed_off(self) -> bool:
        return self.signed_off_at is not None


# --- Job rotation and secondment -----------------------------------------------------------------
class RotationKind(models.TextChoices):
    ROTATION = "rotation", _("Job rotation")
    SECONDMENT = "secondment", _("Secondment")


class RotationQuerySet(models.QuerySet):
    def visible_to(self, user) -> RotationQuerySet:
        """The rule ``learning.view_rotation`` as a query: the person rotated, the KM roles."""
        if not is_staff_member(user):
            return self.none()
        if is_km_roles(user):
            return self.all()
        return self.filter(person_id=user.pk)


class Rotation(AARFields, VersionedModel, TimeStampedModel):
    """A person moved to another unit or job for a while, to learn it (or lend what they know)."""

    person = models.ForeignKey(
        USER, verbose_name=_("person"), on_delete=models.PROTECT, related_name="rotations"
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=RotationKind.choices, default=RotationKind.ROTATION
    )
    from_unit = models.CharField(_("from unit"), max_length=255)
    from_job = models.CharField(_("from job"), max_length=255, blank=True)
    to_unit = models.CharField(_("to unit"), max_length=255)
    to_job = models.CharField(_("to job"), max_length=255, blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    learned = models.TextField(_("what was learned"), blank=True)
    km_step = models.CharField(
        _("KM step"), max_length=20, choices=KMStep.choices, default=KMStep.LEARN
    )
    created_by = models.ForeignKey(
        USER,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = RotationQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "-pk"]
        verbose_name = _("job rotation or secondment")
        verbose_name_plural = _("job rotations and secondments")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="learning_rotation_period",
            ),
        ]

    def __str__(self) -> str:
        return _("%(person)s: %(from)s → %(to)s") % {
            "person": self.person.get_full_name(),
            "from": self.from_unit,
            "to": self.to_unit,
        }

    def get_absolute_url(self) -> str:
        return record_url("learning:rotation_detail", self.pk)

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The end date cannot be before the start date.")})


# --- Learning events -----------------------------------------------------------------------------
class EventKind(models.TextChoices):
    TRAINING = "training", _("Training")
    FORUM = "forum", _("Knowledge-sharing forum")
    KM_DAY = "km_day", _("KM Day")


class EventQuerySet(models.QuerySet):
    def visible_to(self, user) -> EventQuerySet:
        """Every staff member sees every event (``learning.view_event``)."""
        return self.all() if is_staff_member(user) else self.none()

    def going_ahead(self) -> EventQuerySet:
        """Events not called off."""
        return self.filter(cancelled_at__isnull=True)

    def with_counts(self) -> EventQuerySet:
        return self.annotate(
            confirmed_count=models.Count(
                "registrations", filter=Q(registrations__status=RegStatus.CONFIRMED)
            ),
            waiting_count=models.Count(
                "registrations", filter=Q(registrations__status=RegStatus.WAITING)
            ),
        )


class LearningEvent(AARFields, VersionedModel, TimeStampedModel):
    """A training, a knowledge-sharing forum or the KM Day, with registration for its seats."""

    title = models.CharField(_("title"), max_length=255)
    kind = models.CharField(
        _("kind"), max_length=20, choices=EventKind.choices, default=EventKind.TRAINING
    )
    km_step = models.CharField(
        _("KM step"),
        max_length=20,
        choices=[
            (KMStep.ACCESS.value, KMStep.ACCESS.label),
            (KMStep.SHARE.value, KMStep.SHARE.label),
        ],
        default=KMStep.SHARE,
    )
    description = models.TextField(_("description"), blank=True)
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("starts at"))
    end_time = models.TimeField(_("ends at"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=255)
    seats = models.PositiveIntegerField(
        _("seats"), validators=[MinValueValidator(1), MaxValueValidator(2000)]
    )
    registration_closes = models.DateField(
        _("registration closes"),
        null=True,
        blank=True,
        help_text=_("The last day to register; empty means the day of the event."),
    )
    organisers = models.ManyToManyField(
        USER, verbose_name=_("organisers"), related_name="organised_events", blank=True
    )
    materials = models.ManyToManyField(
        "library.Document", verbose_name=_("materials"), related_name="learning_events", blank=True
    )
    created_by = models.ForeignKey(
        USER,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancel_reason = models.TextField(_("why it was cancelled"), blank=True, max_length=1000)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-start_time", "-pk"]
        verbose_name = _("learning event")
        verbose_name_plural = _("learning events")
        constraints = [
            models.CheckConstraint(condition=Q(seats__gte=1), name="learning_event_seats"),
            models.CheckConstraint(
                condition=Q(registration_closes__isnull=True)
                | Q(registration_closes__lte=models.F("date")),
                name="learning_event_closes_by_the_day",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return record_url("learning:event_detail", self.pk)

    @property
    def closes_on(self):
        return self.registration_closes or self.date

    def registration_open(self, today) -> bool:
        return today <= self.closes_on

    def has_started(self, today) -> bool:
        return today >= self.date

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    def clean(self):
        from django.core.exceptions import ValidationError

        errors = {}
        if self.registration_closes and self.date and self.registration_closes > self.date:
            errors["registration_closes"] = _("Registration must close by the day of the event.")
        if self.end_time and self.start_time and self.end_time <= self.start_time:
            errors["end_time"] = _("The event must end after it starts.")
        if errors:
            raise ValidationError(errors)


class RegStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Has a seat")
    WAITING = "waiting", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")


class Registration(TimeStampedModel):
    """A person's place at an event: a seat, or a place in the waiting list (first come, first
    served by ``queued_at``), or cancelled. One row per person and event."""

    event = models.ForeignKey(
        LearningEvent,
        verbose_name=_("event"),
        on_delete=models.CASCADE,
        related_name="registrations",
    )
    person = models.ForeignKey(
        USER, verbose_name=_("person"), on_delete=models.CASCADE, related_name="registrations"
    )
    status = models.CharField(_("status"), max_length=20, choices=RegStatus.choices)
    queued_at = models.DateTimeField(_("registered at"))
    attended = models.BooleanField(_("attended"), default=False)

    class Meta:
        ordering = ["queued_at", "pk"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(fields=["event", "person"], name="learning_one_registration"),
            models.CheckConstraint(
                condition=Q(attended=False) | Q(status="confirmed"),
                name="learning_attendee_has_a_seat",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person.get_full_name()} · {self.event}"

    def get_absolute_url(self) -> str:
        return self.event.get_absolute_url()


def rating_field(label):
    return models.PositiveSmallIntegerField(
        label, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )


class Evaluation(TimeStampedModel):
    """An attendee's evaluation of the event: four ratings from 1 to 5 and comments."""

    registration = models.OneToOneField(
        Registration,
        verbose_name=_("registration"),
        on_delete=models.CASCADE,
        related_name="evaluation",
    )
    content = rating_field(_("content"))
    speakers = rating_field(_("speakers and facilitators"))
    usefulness = rating_field(_("usefulness for my work"))
    organisation = rating_field(_("organisation and venue"))
    comments = models.TextField(_("comments and suggestions"), blank=True)

    RATINGS = ("content", "speakers", "usefulness", "organisation")

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        constraints = [
            models.CheckConstraint(
                condition=Q(content__range=(1, 5))
                & Q(speakers__range=(1, 5))
                & Q(usefulness__range=(1, 5))
                & Q(organisation__range=(1, 5)),
                name="learning_ratings_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return str(self.registration)
