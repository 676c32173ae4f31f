"""The yearly KM plan (แผนการจัดการความรู้): the knowledge inventory, focus areas, desired states and
the action plan, and the versions the CKO approved.

A plan belongs to one Thai fiscal year (B.E., 1 October – 30 September). The head drafts it and
sends it to the CKO; an approved plan is locked, and changing it means opening a revision, which
the CKO approves again. Every approval keeps a snapshot (``PlanVersion``) and every step of the
workflow an event (``PlanEvent``), so the history shows who changed what and when.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.core.choices import KMStep
from apps.core.links import record_url
from apps.core.models import TimeStampedModel, VersionedModel
from apps.core.thaidates import fiscal_year_range

from .. import rules as plan_rules


class ChangeElement(models.TextChoices):
    """The six elements of the Change Management Process that public-sector KM plans carry."""

    PREPARATION = "preparation", _("Preparation and behaviour change")
    COMMUNICATION = "communication", _("Communication")
    PROCESS_TOOLS = "process_tools", _("Process and tools")
    LEARNING = "learning", _("Learning")
    MEASUREMENT = "measurement", _("Measurement")
    RECOGNITION = "recognition", _("Recognition and reward")

    @property
    def number(self) -> int:
        return list(type(self)).index(self) + 1


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Waiting for the CKO's approval")
    APPROVED = "approved", _("Approved")


class PlanQuerySet(models.QuerySet):
    def in_force(self) -> PlanQuerySet:
        """Plans the CKO has approved at least once (a revision in progress keeps them in force)."""
        return self.filter(version__gte=1)

    def with_counts(self) -> PlanQuerySet:
        """Each plan with its number of activities (``activity_count``) and of those done
        (``done_count``)."""
        return self.annotate(
            activity_count=Count("activities", distinct=True),
            done_count=Count(
                "activities", filter=Q(activities__status=ActivityStatus.DONE), distinct=True
            ),
        )

    def visible_to(self, user) -> PlanQuerySet:
        """The same rule as ``plans.view_plan``: approved plans for all staff; drafts for the KM
        teams and groups, the KM office and administrators."""
        if not plan_rules.is_staff_member(user):
            return self.none()
        if plan_rules.reads_drafts(user):
            return self.all()
        return self.in_force()


class Plan(VersionedModel, TimeStampedModel):
    fiscal_year = models.PositiveSmallIntegerField(
        _("fiscal year (B.E.)"), unique=True, help_text=_("e.g. 2568 runs from 1 October 2567.")
    )
    title = models.CharField(_("name of the plan"), max_length=300)
    description = models.TextField(
        _("introduction"),
        blank=True,
        help_text=_("Why this plan, and how it serves the office's vision and mission."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    version = models.PositiveSmallIntegerField(
        _("approved version"),
        default=0,
        help_text=_("The number of the version in force; 0 until the CKO first approves it."),
    )
    revision_reason = models.TextField(_("reason for the revision"), blank=True)
    return_note = models.TextField(_("the CKO's note"), blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("drafted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = PlanQuerySet.as_manager()

    class Meta:
        ordering = ["-fiscal_year"]
        verbose_name = _("KM plan")
        verbose_name_plural = _("KM plans")
        constraints = [
            models.CheckConstraint(
                condition=Q(fiscal_year__gte=2400, fiscal_year__lte=2700),
                name="plan_fiscal_year_is_buddhist_era",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("plans:detail", kwargs={"year": self.fiscal_year})

    @property
    def is_editable(self) -> bool:
        """Only a draft (a first draft, or an opened revision) can be changed."""
        return self.status == PlanStatus.DRAFT

    @property
    def is_submitted(self) -> bool:
        """Waiting for the CKO's approval."""
        return self.status == PlanStatus.SUBMITTED

    @property
    def is_approved(self) -> bool:
        """Approved, and no revision open."""
        return self.status == PlanStatus.APPROVED

    @property
    def is_in_force(self) -> bool:
        return self.version >= 1

    @property
    def is_revising(self) -> bool:
        return self.is_in_force and self.status != PlanStatus.APPROVED

    @property
    def period(self):
        return fiscal_year_range(self.fiscal_year)


class PlanVersion(models.Model):
    """What the CKO approved, frozen: the plan's content at each approval."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveSmallIntegerField(_("version"))
    reason = models.TextField(_("reason for the revision"), blank=True)
    approved_at = models.DateTimeField(_("approved"), default=timezone.now)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    snapshot = models.JSONField(_("content"), default=dict)

    class Meta:
        ordering = ["plan", "-number"]
        verbose_name = _("approved version")
        verbose_name_plural = _("approved versions")
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="plan_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.plan} · {self.number}"


class PlanEventKind(models.TextChoices):
    CREATED = "created", _("Drafted")
    SUBMITTED = "submitted", _("Sent to the CKO")
    RETURNED = "returned", _("Returned for changes")
    APPROVED = "approved", _("Approved")
    REVISION = "revision", _("Revision opened")


class PlanEvent(models.Model):
    """One step of the plan's workflow, for its history."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("what happened"), max_length=20, choices=PlanEventKind.choices)
    at = models.DateTimeField(_("when"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    version = models.PositiveSmallIntegerField(_("version"), default=0)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["plan", "-at", "-pk"]
        verbose_name = _("plan event")
        verbose_name_plural = _("plan events")

    def __str__(self) -> str:
        return f"{self.plan} · {self.get_kind_display()}"


class KnowledgeForm(models.TextChoices):
    DOCUMENT = "document", _("Written down (documents)")
    PERSON = "person", _("In people's heads")
    NONE = "none", _("Nowhere yet")


class Priority(models.TextChoices):
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


class PlanPart(VersionedModel, TimeStampedModel):
    """A row of a plan; only a draft plan's rows change."""

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE)
    order = models.PositiveSmallIntegerField(
        _("display order"), default=0, blank=True, help_text=_("Leave empty to put it last.")
    )

    class Meta:
        abstract = True
        ordering = ["plan", "order", "pk"]


class KnowledgeNeed(PlanPart):
    """A line of the knowledge inventory (step 1, การบ่งชี้ความรู้)."""

    topic = models.CharField(_("knowledge needed"), max_length=300)
    reason = models.TextField(_("why the office needs it"), blank=True)
    current_form = models.CharField(
        _("where it is now"), max_length=20, choices=KnowledgeForm.choices
    )
    holders = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who holds it"),
        blank=True,
        related_name="held_knowledge",
    )
    source = models.CharField(
        _("other holders or sources"),
        max_length=300,
        blank=True,
        help_text=_("Documents, outside agencies or experts that hold it."),
    )
    gap = models.TextField(_("the gap"), blank=True)
    priority = models.CharField(
        _("priority"), max_length=10, choices=Priority.choices, default=Priority.MEDIUM
    )

    class Meta(PlanPart.Meta):
        default_related_name = "knowledge_needs"
        verbose_name = _("knowledge need")
        verbose_name_plural = _("knowledge inventory")

    def __str__(self) -> str:
        return self.topic


class FocusArea(PlanPart):
    """A KM Focus Area (ขอบเขต KM)."""

    title = models.CharField(_("focus area"), max_length=300)
    description = models.TextField(_("description"), blank=True)

    class Meta(PlanPart.Meta):
        default_related_name = "focus_areas"
        verbose_name = _("KM focus area")
        verbose_name_plural = _("KM focus areas")

    def __str__(self) -> str:
        return self.title


class DesiredState(PlanPart):
    """A Desired State (เป้าหมาย KM): what success looks like, measured, by a deadline."""

    title = models.CharField(_("desired state"), max_length=300)
    focus_area = models.ForeignKey(
        FocusArea,
        verbose_name=_("focus area"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="desired_states",
    )
    indicator = models.CharField(_("indicator"), max_length=300)
    target = models.CharField(_("target"), max_length=200, blank=True)
    deadline = models.DateField(_("deadline"))

    class Meta(PlanPart.Meta):
        default_related_name = "desired_states"
        verbose_name = _("desired state")
        verbose_name_plural = _("desired states")

    def __str__(self) -> str:
        return self.title


class ActivityStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


CLOSED_STATUSES = (ActivityStatus.DONE, ActivityStatus.CANCELLED)


class ActivityQuerySet(models.QuerySet):
    def late(self, today=None) -> ActivityQuerySet:
        """Past their end date and neither done nor cancelled."""
        today = today or timezone.localdate()
        return self.filter(end_date__lt=today).exclude(status__in=CLOSED_STATUSES)

    def open(self) -> ActivityQuerySet:
        return self.exclude(status__in=CLOSED_STATUSES)


class Activity(PlanPart):
    """A row of the KM Action Plan, tied to one of the seven steps or one Change-Management
    element."""

    title = models.CharField(_("activity"), max_length=300)
    km_step = models.CharField(
        _("KM step"), max_length=20, choices=KMStep.choices, blank=True, db_index=True
    )
    change_element = models.CharField(
        _("change-management element"), max_length=20, choices=ChangeElement.choices, blank=True
    )
    desired_state = models.ForeignKey(
        DesiredState,
        verbose_name=_("desired state"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
    )
    method = models.TextField(_("method"), blank=True)
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"))
    indicator = models.CharField(_("indicator"), max_length=300)
    target = models.CharField(_("target"), max_length=200)
    budget = models.DecimalField(_("budget (baht)"), max_digits=12, decimal_places=2, default=0)
    owners = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("owners"), related_name="km_activities"
    )
    team = models.ForeignKey(
        "teams.Team",
        verbose_name=_("responsible team"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="km_activities",
        help_text=_("The KM team, working group or KM group that carries it out."),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ActivityStatus.choices,
        default=ActivityStatus.NOT_STARTED,
    )
    percent = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    last_reported_on = models.DateField(_("last report"), null=True, blank=True)

    objects = ActivityQuerySet.as_manager()

    class Meta(PlanPart.Meta):
        default_related_name = "activities"
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        constraints = [
            models.CheckConstraint(
                condition=(~Q(km_step="") & Q(change_element=""))
                | (Q(km_step="") & ~Q(change_element="")),
                name="activity_has_one_step_or_element",
            ),
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="activity_ends_after_it_starts"
            ),
            models.CheckConstraint(
                condition=Q(percent__lte=100), name="activity_percent_at_most_100"
            ),
            models.CheckConstraint(condition=Q(budget__gte=0), name="activity_budget_not_negative"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return record_url("plans:activity", self.pk)

    @property
    def step(self) -> KMStep | None:
        return KMStep(self.km_step) if self.km_step else None

    @property
    def element(self) -> ChangeElement | None:
        return ChangeElement(self.change_element) if self.change_element else None

    @property
    def category_label(self) -> str:
        """ "Step 3 · Knowledge organization" or "Change management 2 · Communication"."""
        if self.step:
            return gettext("Step %(number)s · %(label)s") % {
                "number": self.step.number,
                "label": self.step.label,
            }
        if self.element:
            return gettext("Change management %(number)s · %(label)s") % {
                "number": self.element.number,
                "label": self.element.label,
            }
        return ""

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_STATUSES

    def is_late(self, today=None) -> bool:
        today = today or timezone.localdate()
        return not self.is_closed and self.end_date < today

    @property
    def late(self) -> bool:
        return self.is_late()
