"""The system status, background jobs and backups pages: for administrators (superusers) only;
and ``/healthz``, the health answer for monitoring, open to anyone."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.http import FileResponse, Http404, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView, View

from apps.core.permissions import PagePermissionMixin

from . import archive, health, jobwatch
from .models import FailedJob, RunningJob, ScheduleRun

#: Rows shown of each list on the jobs page (the counts are whole).
JOBS_SHOWN = 50


class AdministratorPage(PagePermissionMixin):
    """Read-only (GET and HEAD); 403 for anyone but an administrator."""

    http_method_names = ["get", "head"]
    permission_required = "ops.view_status"


class SystemStatusView(AdministratorPage, TemplateView):
    """What ``manage.py doctor`` reports, on a page."""

    template_name = "ops/status.html"

    def get_context_data(self, **kwargs) -> dict[str, Any]:
        findings = health.run_checks()
        return super().get_context_data(
            findings=findings, overall=health.overall(findings), **kwargs
        )


class BackupListView(AdministratorPage, TemplateView):
    """The archives in the backups folder, newest first, each with its size, date and version."""

    template_name = "ops/backups.html"

    def get_context_data(self, **kwargs) -> dict[str, Any]:
        backups = archive.stored_backups()
        for backup in backups:
            try:
                manifest = archive.read_manifest(backup.path)
            except archive.ArchiveError:
                backup.version, backup.rows, backup.damaged = "", None, True
            else:
                backup.version = manifest["portal_version"]
                backup.rows = sum(int(n) for n in manifest["counts"].values())
                backup.damaged = False
        return super().get_context_data(backups=backups, folder=archive.backup_dir(), **kwargs)


class BackupDownloadView(AdministratorPage, View):
    """One archive, as a download. Only names listed in the backups folder are served."""

    permission_required = "ops.download_backup"

    def get(self, request, name: str) -> FileResponse:
        for backup in archive.stored_backups():
            if backup.name == name:
                return FileResponse(
                    open(backup.path, "rb"),  # FileResponse closes it
                    as_attachment=True,
                    filename=backup.name,
                    content_type="application/gzip",
                )
        raise Http404


class JobsView(AdministratorPage, TemplateView):
    """The background worker: jobs waiting, scheduled, running and failed, the last run of each
    schedule and the heartbeat."""

    template_name = "ops/jobs.html"
    permission_required = "ops.view_jobs"

    def get_context_data(self, **kwargs) -> dict[str, Any]:
        queue = jobwatch.HUEY
        try:
            waiting = [jobwatch.task_name(task) for task in queue.pending(limit=JOBS_SHOWN)]
            scheduled = queue.scheduled(limit=JOBS_SHOWN)
            counts = {"waiting": queue.pending_count(), "scheduled": queue.scheduled_count()}
            queue_error = ""
        except Exception as error:  # Redis down: the rest of the page still answers
            waiting, scheduled, counts = [], [], {"waiting": None, "scheduled": None}
            queue_error = f"{type(error).__name__}: {error}"
        runs = {run.name: run for run in ScheduleRun.objects.all()}
        schedules = []
        for task in queue._registry.periodic_tasks:
            name = jobwatch.task_name(task)
            schedules.append({"name": name, "run": runs.get(name)})
        age = jobwatch.heartbeat_age()
        return super().get_context_data(
            backend=type(queue).__name__,
            counts=counts,
            waiting=waiting,
            scheduled=[
                {"name": jobwatch.task_name(task), "eta": _aware(task.eta), "retries": task.retries}
                for task in scheduled
            ],
            queue_error=queue_error,
            running=RunningJob.objects.all()[:JOBS_SHOWN],
            running_count=RunningJob.objects.count(),
            failed=FailedJob.objects.all()[:JOBS_SHOWN],
            failed_count=FailedJob.objects.count(),
            schedules=sorted(schedules, key=lambda row: row["name"]),
            heartbeat_seconds=None if age is None else int(age.total_seconds()),
            heartbeat_stale=age is None or age > jobwatch.HEARTBEAT_STALE,
            **kwargs,
        )


def _aware(moment: dt.datetime | None) -> dt.datetime | None:
    """Huey keeps times as naive UTC (``utc=True``)."""
    if moment is None or timezone.is_aware(moment):
        return moment
    return moment.replace(tzinfo=dt.UTC)


@login_not_required
@require_safe
@never_cache
def healthz(request) -> JsonResponse:
    """Database, index, worker heartbeat and free disk as JSON: 200 when all are in order, 503
    otherwise (for a load balancer or a monitoring agent; no sign-in, no secrets)."""
    report = health.probe()
    return JsonResponse(report, status=200 if report["status"] == "ok" else 503)
