"""Writes for progress: an owner's report with its evidence, and the secretary's quarter summary."""

from __future__ import annotations

from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from apps.core.concurrency import check_version
from apps.core.files import atomic_with_files, delete_after_commit

from ..models import Activity, EvidenceFile, EvidenceLink, Plan, ProgressReport, ProgressSummary


def refresh_activity(activity: Activity) -> Activity:
    """Make the activity's percent, status and last report date those of its latest report."""
    latest = activity.reports.order_by("-as_of", "-pk").first()
    if latest is None:
        return activity
    activity.percent = latest.percent
    activity.status = latest.status
    activity.last_reported_on = latest.as_of
    activity.save(update_fields=["percent", "status", "last_reported_on", "updated_at"])
    return activity


def progress_report_create(*, activity: Activity, by, form) -> ProgressReport:
    """File a progress report on an activity of a plan in force, with the evidence files and
    links the form has already checked."""
    with atomic_with_files() as written:
        plan = Plan.objects.select_for_update().get(pk=activity.plan_id)
        if not plan.is_in_force:
            raise ValidationError(
                _("Progress is reported once the CKO has approved the plan."), code="not_in_force"
            )
        report: ProgressReport = form.save(commit=False)
        report.activity = activity
        report.reported_by = by
        report.save()
        for upload, mime in form.checked_files:
            stored = EvidenceFile(
                report=report,
                original_name=Path(upload.name).name[:255],
                size=upload.size,
                mime=mime,
            )
            stored.file.save(upload.name, upload, save=False)
            written.append((stored.file.storage, stored.file.name))
            stored.save()
        for source, pk in form.checked_links:
            EvidenceLink.objects.get_or_create(
                report=report,
                content_type=ContentType.objects.get_for_model(source.model),
                object_id=pk,
            )
        refresh_activity(activity)
    return report


@transaction.atomic
def progress_report_delete(*, report: ProgressReport, by) -> None:
    """Withdraw a report filed by mistake; the activity falls back to the report before it."""
    activity = report.activity
    names = [(f.file.storage, f.file.name) for f in report.files.all()]
    report.delete()
    if activity.reports.exists():
        refresh_activity(activity)
    else:
        activity.percent, activity.last_reported_on = 0, None
        activity.status = Activity._meta.get_field("status").default
        activity.save(update_fields=["percent", "status", "last_reported_on", "updated_at"])
    delete_after_commit(names)


@transaction.atomic
def summary_save(
    *,
    plan: Plan,
    quarter: int,
    by,
    summary: str,
    issues: str,
    expected_version: int | None = None,
) -> ProgressSummary:
    """The secretary's summary of a quarter (written again as often as needed). Refused
    (``StaleEditError``) when someone saved it after the ``expected_version`` the page showed
    (0: the page showed no summary yet)."""
    # The plan's lock makes two first summaries of a quarter queue rather than both insert.
    Plan.objects.select_for_update().filter(pk=plan.pk).first()
    record = ProgressSummary.objects.select_for_update().filter(plan=plan, quarter=quarter).first()
    check_version(record, expected_version=expected_version)
    if record is None:
        record = ProgressSummary(plan=plan, quarter=quarter)
    record.summary, record.issues, record.compiled_by = summary, issues, by
    record.save()
    return record
