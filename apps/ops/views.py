"""The system status and backups pages: for administrators (superusers) only."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, Http404
from django.views.generic import TemplateView, View

from apps.core.permissions import PagePermissionMixin

from . import archive, health


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
