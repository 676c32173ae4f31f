"""The system status and backups pages: for administrators (superusers) only."""

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from . import archive, health


def _administrators_only(request) -> None:
    if not request.user.is_superuser:
        raise PermissionDenied


@require_safe
def system_status(request):
    """What ``manage.py doctor`` reports, on a page."""
    _administrators_only(request)
    findings = health.run_checks()
    return render(
        request, "ops/status.html", {"findings": findings, "overall": health.overall(findings)}
    )


@require_safe
def backup_list(request):
    """The archives in the backups folder, newest first, each with its size, date and version."""
    _administrators_only(request)
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
    context = {"backups": backups, "folder": archive.backup_dir()}
    return render(request, "ops/backups.html", context)


@require_safe
def backup_download(request, name: str):
    """One archive, as a download. Only names listed in the backups folder are served."""
    _administrators_only(request)
    for backup in archive.stored_backups():
        if backup.name == name:
            return FileResponse(
                open(backup.path, "rb"),  # FileResponse closes it
                as_attachment=True,
                filename=backup.name,
                content_type="application/gzip",
            )
    raise Http404
