"""Is the instance healthy? One list of checks for ``manage.py doctor`` and the status page.

Each check returns a :class:`Finding`: ``ok``, ``warning`` or ``error``, with a short detail. The
command's exit code follows the monitoring convention (0 ok, 1 warning, 2 error), so a cron job
or a monitoring agent can act on it.
"""

from __future__ import annotations

import platform
import shutil
import smtplib
import uuid
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import django
from django.apps import apps as registry
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core import diskspace
from apps.library import ocr
from apps.library.models import DocumentFile, OcrStatus, OcrText, TextStatus
from apps.search import indexing, upkeep
from apps.search.models import IndexTask

from . import archive, jobwatch
from .models import FailedJob

OK, WARNING, ERROR = "ok", "warning", "error"
EXIT_CODES = {OK: 0, WARNING: 1, ERROR: 2}
DISK_WARN_FRACTION = 0.10
EXTRACTION_GRACE = timedelta(minutes=15)
BACKUP_MAX_AGE = timedelta(hours=36)


@dataclass(frozen=True)
class Finding:
    key: str
    label: str
    status: str
    detail: str


def _database() -> tuple[str, str]:
    connection = connections[DEFAULT_DB_ALIAS]
    try:
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as error:
        return ERROR, _("cannot reach the database (%(vendor)s): %(error)s") % {
            "vendor": connection.vendor,
            "error": error,
        }
    if connection.vendor == "sqlite":
        version = f"SQLite {connection.Database.sqlite_version}"
    elif connection.vendor == "postgresql":
        major, minor = divmod(connection.pg_version, 10000)
        version = f"PostgreSQL {major}.{minor}"
    else:
        version = connection.vendor
    return OK, _("%(version)s, reachable") % {"version": version}


def _migrations() -> tuple[str, str]:
    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        names = ", ".join(f"{m.app_label}.{m.name}" for m, _backwards in plan[:5])
        return ERROR, _("%(count)s not applied (%(names)s): run `manage.py migrate`") % {
            "count": len(plan),
            "names": names,
        }
    return OK, _("all applied")


def _index() -> tuple[str, str]:
    # The index is built in the portal's language; a check in another one sees every entry
    # whose text holds a translated label as stale.
    with translation.override(settings.LANGUAGE_CODE):
        report = upkeep.check()
    summary = _(
        "missing %(missing)s, stale %(stale)s, orphaned %(orphaned)s, queued %(queued)s"
    ) % {
        "missing": len(report.missing),
        "stale": len(report.stale),
        "orphaned": len(report.orphaned),
        "queued": report.pending,
    }
    if not indexing.get_engine().is_current():
        return ERROR, _(
            "built with an older schema (%(summary)s): run `manage.py rebuild_index --clear`"
        ) % {"summary": summary}
    # An entry whose update is queued is late, not lost: the next flush brings it in step.
    queued = set(IndexTask.objects.values_list("uid", flat=True))
    if set(report.missing + report.stale + report.orphaned) - queued:
        return ERROR, _(
            "out of step with the database (%(summary)s): run `manage.py check_index --repair`"
        ) % {"summary": summary}
    if report.pending:
        return WARNING, _("updates are waiting (%(summary)s)") % {"summary": summary}
    return OK, _("in step with the database (%(summary)s)") % {"summary": summary}


def _extractions() -> tuple[str, str]:
    pending = DocumentFile.objects.filter(text_status=TextStatus.PENDING)
    stuck = pending.filter(created_at__lt=timezone.now() - EXTRACTION_GRACE).count()
    failed = DocumentFile.objects.filter(text_status=TextStatus.FAILED).count()
    detail = _("%(waiting)s files waiting, %(failed)s not extracted") % {
        "waiting": pending.count(),
        "failed": failed,
    }
    if stuck:
        return WARNING, _(
            "%(detail)s; %(stuck)s waiting for over 15 minutes: run `manage.py extract_pending`"
        ) % {"detail": detail, "stuck": stuck}
    return OK, detail


def _ocr() -> tuple[str, str]:
    found = ocr.engine()
    counts = {
        status: OcrText.objects.filter(status=status).count()
        for status in (OcrStatus.WAITING, OcrStatus.RUNNING, OcrStatus.UNAVAILABLE)
    }
    if found is None:
        return WARNING, _(
            "OCR is not installed (no `%(command)s` with the Thai model): scanned documents are "
            "kept but their text is not read (%(unread)s files). Install the Debian packages "
            "tesseract-ocr and tesseract-ocr-tha (see README, OCR), then run "
            "`manage.py extract_pending --ocr`"
        ) % {
            "command": settings.LIBRARY_TESSERACT or "tesseract",
            "unread": counts[OcrStatus.UNAVAILABLE],
        }
    detail = _("Tesseract %(version)s (%(languages)s); %(waiting)s files waiting") % {
        "version": found.version,
        "languages": "+".join(found.languages),
        "waiting": counts[OcrStatus.WAITING] + counts[OcrStatus.RUNNING],
    }
    if counts[OcrStatus.UNAVAILABLE]:
        return WARNING, _(
            "%(detail)s; %(unread)s files were stored while OCR was missing: run "
            "`manage.py extract_pending --ocr`"
        ) % {"detail": detail, "unread": counts[OcrStatus.UNAVAILABLE]}
    return OK, detail


def _worker() -> tuple[str, str]:
    queue = jobwatch.HUEY
    try:
        waiting, scheduled = queue.pending_count(), queue.scheduled_count()
    except Exception as error:
        return ERROR, _("cannot read the job queue: %(error)s") % {"error": error}
    failed = FailedJob.objects.filter(failed_at__gte=timezone.now() - timedelta(days=1)).count()
    detail = _("%(waiting)s jobs waiting, %(scheduled)s scheduled, %(failed)s failed today") % {
        "waiting": waiting,
        "scheduled": scheduled,
        "failed": failed,
    }
    age = jobwatch.heartbeat_age()
    if age is None:
        return WARNING, _("%(detail)s; no worker has run yet: start `manage.py run_huey`") % {
            "detail": detail
        }
    seconds = int(age.total_seconds())
    if age > jobwatch.HEARTBEAT_STALE:
        return WARNING, _(
            "%(detail)s; no sign of the worker for %(seconds)s seconds: is `manage.py run_huey` "
            "running?"
        ) % {"detail": detail, "seconds": seconds}
    detail = _("%(detail)s; last sign of life %(seconds)s seconds ago") % {
        "detail": detail,
        "seconds": seconds,
    }
    if failed:
        return WARNING, _("%(detail)s: see the jobs page") % {"detail": detail}
    return OK, detail


def _stored_files() -> tuple[str, str]:
    referenced = missing = 0
    sample = []
    media_root = Path(settings.MEDIA_ROOT)
    for model in registry.get_models():
        for field in model._meta.local_concrete_fields:
            if not isinstance(field, models.FileField):
                continue
            names = model._base_manager.exclude(**{field.attname: ""}).values_list(
                field.attname, flat=True
            )
            for name in names.iterator():
                referenced += 1
                if not (media_root / name).is_file():
                    missing += 1
                    sample.append(name)
    if missing:
        return ERROR, _("%(missing)s of %(total)s stored files are missing (%(names)s)") % {
            "missing": missing,
            "total": referenced,
            "names": ", ".join(sample[:3]),
        }
    return OK, _("%(total)s stored files, all present") % {"total": referenced}


def _data_folder() -> tuple[str, str]:
    data_dir = Path(settings.DATA_DIR)
    usage = shutil.disk_usage(data_dir)
    free = usage.free / usage.total if usage.total else 0
    detail = _("%(folder)s: %(free).1f GiB free of %(total).1f GiB (%(percent)s%%)") % {
        "folder": data_dir,
        "free": usage.free / 2**30,
        "total": usage.total / 2**30,
        "percent": round(free * 100),
    }
    probe = Path(settings.MEDIA_ROOT) / f".doctor-{uuid.uuid4().hex}"
    try:
        probe.write_bytes(b"ok")
        probe.unlink()
    except OSError as error:
        return ERROR, _("%(detail)s; cannot write to %(folder)s: %(error)s") % {
            "detail": detail,
            "folder": settings.MEDIA_ROOT,
            "error": error,
        }
    if free < DISK_WARN_FRACTION:
        return WARNING, _("%(detail)s: less than 10%% free") % {"detail": detail}
    return OK, detail


def _backups() -> tuple[str, str]:
    stored = archive.stored_backups()
    if not stored:
        return WARNING, _("no backup in %(folder)s: schedule `manage.py backup`") % {
            "folder": archive.backup_dir()
        }
    newest = stored[0]
    age = timezone.now() - newest.modified
    detail = _("%(count)s in %(folder)s, the newest %(name)s") % {
        "count": len(stored),
        "folder": archive.backup_dir(),
        "name": newest.name,
    }
    if age > BACKUP_MAX_AGE:
        return WARNING, _("%(detail)s is %(hours)s hours old") % {
            "detail": detail,
            "hours": int(age.total_seconds() // 3600),
        }
    return OK, detail


def _email() -> tuple[str, str]:
    backend = settings.EMAIL_BACKEND.rsplit(".", 2)[-2]
    sender = settings.DEFAULT_FROM_EMAIL
    if backend != "smtp":
        status = WARNING if not settings.DEBUG and backend in {"console", "dummy"} else OK
        return status, _("%(backend)s backend (no mail leaves the server); from %(sender)s") % {
            "backend": backend,
            "sender": sender,
        }
    detail = f"SMTP {settings.EMAIL_HOST}:{settings.EMAIL_PORT}; {sender}"
    try:
        mail_class = smtplib.SMTP_SSL if settings.EMAIL_USE_SSL else smtplib.SMTP
        with mail_class(settings.EMAIL_HOST, settings.EMAIL_PORT, timeout=5) as server:
            if settings.EMAIL_USE_TLS:
                server.starttls()
            server.noop()
    except (OSError, smtplib.SMTPException) as error:
        return WARNING, _(
            "%(detail)s: cannot connect (%(error)s); password-reset mail will not go out"
        ) % {"detail": detail, "error": error}
    return OK, _("%(detail)s: reachable") % {"detail": detail}


def _time_zone() -> tuple[str, str]:
    try:
        zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return ERROR, _("unknown time zone %(zone)s") % {"zone": settings.TIME_ZONE}
    local = timezone.now().astimezone(zone)
    return OK, f"{settings.TIME_ZONE}, {local:%Y-%m-%d %H:%M} (UTC{local:%z})"


def _versions() -> tuple[str, str]:
    return OK, (
        f"KM Portal {archive.portal_version()}, Django {django.get_version()}, "
        f"Python {platform.python_version()}"
    )


CHECKS: list[tuple[str, object, Callable[[], tuple[str, str]]]] = [
    ("database", gettext_lazy("Database"), _database),
    ("migrations", gettext_lazy("Database changes (migrations)"), _migrations),
    ("index", gettext_lazy("Search index"), _index),
    ("extraction", gettext_lazy("Text extraction"), _extractions),
    ("ocr", gettext_lazy("OCR of scanned documents"), _ocr),
    ("worker", gettext_lazy("Background worker"), _worker),
    ("files", gettext_lazy("Stored files"), _stored_files),
    ("disk", gettext_lazy("Data folder and free space"), _data_folder),
    ("backups", gettext_lazy("Backups"), _backups),
    ("email", gettext_lazy("E-mail"), _email),
    ("timezone", gettext_lazy("Time zone"), _time_zone),
    ("versions", gettext_lazy("Versions"), _versions),
]


def run_checks() -> list[Finding]:
    """Every check; a check that fails to run is itself an error, and the rest still run. When
    the database is unreachable, the checks that need it are skipped."""
    findings = []
    database_down = False
    for key, label, check in CHECKS:
        if database_down and key in {"migrations", "index", "extraction", "ocr", "worker", "files"}:
            findings.append(
                Finding(key, str(label), ERROR, _("skipped: the database is unreachable"))
            )
            continue
        try:
            status, detail = check()
        except Exception as error:
            status = ERROR
            detail = _("the check failed: %(error)s") % {
                "error": f"{type(error).__name__}: {error}"
            }
        if key == "database" and status == ERROR:
            database_down = True
        findings.append(Finding(key, str(label), status, detail))
    return findings


def overall(findings: list[Finding]) -> str:
    """The worst status among ``findings``."""
    statuses = {finding.status for finding in findings}
    return ERROR if ERROR in statuses else WARNING if WARNING in statuses else OK


# --- /healthz: for a load balancer or monitoring, without signing in --------------------------
#: Index updates queued longer than this mean flushes are failing (the sweep runs each minute).
INDEX_QUEUE_STALE = timedelta(minutes=15)


def probe() -> dict:
    """The quick health answer of ``/healthz``: the database, the index, the worker's heartbeat
    and free disk, each with ``ok``; figures only, no paths, versions or error messages (it is
    served to anyone). ``status`` is "ok" only when all are."""
    report: dict = {}
    try:
        connection = connections[DEFAULT_DB_ALIAS]
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        report["database"] = {"ok": True}
    except Exception:
        report["database"] = {"ok": False}
        connections[DEFAULT_DB_ALIAS].close()
    if report["database"]["ok"]:
        try:
            queued = IndexTask.objects.order_by("pk").values_list("created_at", flat=True)
            oldest = queued.first()
            waited = (timezone.now() - oldest).total_seconds() if oldest else 0
            current = indexing.get_engine().is_current()
            report["index"] = {
                "ok": current and waited < INDEX_QUEUE_STALE.total_seconds(),
                "queued": queued.count(),
                "oldest_queued_seconds": int(waited),
            }
        except Exception:
            report["index"] = {"ok": False}
        try:
            age = jobwatch.heartbeat_age()
        except Exception:
            age = None
        if age is None:
            report["worker"] = {"ok": False, "state": "never", "heartbeat_age_seconds": None}
        else:
            fresh = age <= jobwatch.HEARTBEAT_STALE
            report["worker"] = {
                "ok": fresh,
                "state": "ok" if fresh else "stale",
                "heartbeat_age_seconds": int(age.total_seconds()),
            }
    else:
        report["index"] = {"ok": False}
        report["worker"] = {"ok": False, "state": "unknown", "heartbeat_age_seconds": None}
    free = diskspace.free_bytes()
    report["disk"] = {"ok": free >= settings.KM_MIN_FREE_BYTES, "free_mb": free // 2**20}
    healthy = all(part["ok"] for part in report.values())
    return {"status": "ok" if healthy else "error", **report}
