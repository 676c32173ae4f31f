"""What the background worker did, for the administrators' jobs page and the health check.

Written by the Huey signal handlers of ``jobwatch`` in the worker: the jobs running now, the
jobs that failed for good (after their retries), and the last run of each schedule (the
heartbeat job's run is the worker's heartbeat). Operational state, not office records: backups
leave it out (``archive.SKIPPED_MODELS``).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RunningJob(models.Model):
    """A job a worker has started and not yet finished."""

    task_id = models.CharField(max_length=64, unique=True)
    name = models.CharField(_("job"), max_length=200)
    arguments = models.CharField(_("arguments"), max_length=200, blank=True)
    worker = models.CharField(_("worker"), max_length=120, blank=True)
    started_at = models.DateTimeField(_("started"))

    class Meta:
        ordering = ["started_at", "pk"]
        verbose_name = _("running job")
        verbose_name_plural = _("running jobs")

    def __str__(self) -> str:
        return self.name


class FailedJob(models.Model):
    """A job that raised on its last try: its work is not done until someone looks."""

    task_id = models.CharField(max_length=64)
    name = models.CharField(_("job"), max_length=200)
    arguments = models.CharField(_("arguments"), max_length=200, blank=True)
    error = models.TextField(_("error"), blank=True)
    retries_used = models.PositiveSmallIntegerField(_("retries used"), default=0)
    worker = models.CharField(_("worker"), max_length=120, blank=True)
    failed_at = models.DateTimeField(_("failed"), db_index=True)

    class Meta:
        ordering = ["-failed_at", "-pk"]
        verbose_name = _("failed job")
        verbose_name_plural = _("failed jobs")

    def __str__(self) -> str:
        return self.name


class ScheduleRun(models.Model):
    """The last run of one periodic job."""

    name = models.CharField(_("job"), max_length=200, unique=True)
    started_at = models.DateTimeField(_("started"))
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    ok = models.BooleanField(_("succeeded"), null=True)
    error = models.TextField(_("error"), blank=True)
    worker = models.CharField(_("worker"), max_length=120, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("schedule run")
        verbose_name_plural = _("schedule runs")

    def __str__(self) -> str:
        return self.name
