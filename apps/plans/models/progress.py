"""Progress on the action plan: the owners' reports, their evidence, and the secretary's summary
of each quarter for the head and the CKO."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.core import files
from apps.core.links import record_url
from apps.core.models import TimeStampedModel, VersionedModel

from .plan import Activity, ActivityStatus, Plan


class ProgressReport(VersionedModel, TimeStampedModel):
    """An owner's report on an activity: how far it is, what was done, the evidence."""

    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="reports"
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="km_progress_reports",
    )
    as_of = models.DateField(_("as of"))
    percent = models.PositiveSmallIntegerField(_("progress (%)"))
    status = models.CharField(_("status"), max_length=20, choices=ActivityStatus.choices)
    narrative = models.TextField(_("what was done"))
    problems = models.TextField(_("problems and obstacles"), blank=True)

    class Meta:
        ordering = ["activity", "-as_of", "-pk"]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        constraints = [
            models.CheckConstraint(
                condition=Q(percent__lte=100), name="progress_percent_at_most_100"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.activity} · {self.percent}%"

    def get_absolute_url(self) -> str:
        return f"{self.activity.get_absolute_url()}#report-{self.pk}"


def evidence_upload_to(instance: EvidenceFile, filename: str) -> str:
    return files.generated_name("plans/evidence", filename)


class EvidenceFile(models.Model):
    """A file that shows the work was done (photos, attendance sheets, a report ...)."""

    report = models.ForeignKey(
        ProgressReport, verbose_name=_("report"), on_delete=models.CASCADE, related_name="files"
    )
    file = models.FileField(_("file"), upload_to=evidence_upload_to, max_length=255)
    original_name = models.CharField(_("original file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size"))
    mime = models.CharField(_("type"), max_length=120)

    class Meta:
        ordering = ["report", "pk"]
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return record_url("plans:evidence", self.pk)


class EvidenceLink(models.Model):
    """A link from a report to a record elsewhere in the portal: a library document, a knowledge
    set (any model registered in ``apps.core.steps``)."""

    report = models.ForeignKey(
        ProgressReport, verbose_name=_("report"), on_delete=models.CASCADE, related_name="links"
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveIntegerField()

    class Meta:
        ordering = ["report", "pk"]
        verbose_name = _("evidence link")
        verbose_name_plural = _("evidence links")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "content_type", "object_id"], name="evidence_link_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.content_type.model}:{self.object_id}"


class ProgressSummary(VersionedModel, TimeStampedModel):
    """The secretary's summary of a quarter, compiled for the head and the CKO."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="summaries"
    )
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    summary = models.TextField(_("overall progress"))
    issues = models.TextField(_("problems, obstacles and suggestions"), blank=True)
    compiled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("compiled by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )

    class Meta:
        ordering = ["plan", "quarter"]
        verbose_name = _("progress summary")
        verbose_name_plural = _("progress summaries")
        constraints = [
            models.UniqueConstraint(fields=["plan", "quarter"], name="one_summary_per_quarter"),
            models.CheckConstraint(
                condition=Q(quarter__gte=1, quarter__lte=4), name="summary_quarter_1_to_4"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan} · Q{self.quarter}"

    def get_absolute_url(self) -> str:
        url = reverse("plans:progress", kwargs={"year": self.plan.fiscal_year})
        return f"{url}?quarter={self.quarter}"
