"""Writes for progress: an owner's report with its evidence, and the secretary's quarter summary.

Each takes plain data, checks the caller's permission (``PermissionDenied``) and the plan's state
(``ValidationError``) itself, and runs in one transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.core import steps
from apps.core.concurrency import check_version
from apps.core.files import atomic_with_files, delete_after_commit
from apps.notifications import reminders
from apps.notifications.services import notify

from .. import reminding
from ..evidence import evidence_type
from ..models import Activity, EvidenceFile, EvidenceLink, Plan, ProgressReport, ProgressSummary
from ..periods import QUARTERS, Period


@dataclass(frozen=True)
class ReportData:
    """What an owner reports on an activity as of a day."""

    as_of: dt.date
    percent: int
    status: str
    narrative: str
    problems: str = ""


def _require(by: User, perm: str, obj: Any = None) -> None:
    if not by.has_perm(perm, obj):
        raise PermissionDenied


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


def _checked_files(files: Sequence[File]) -> list[tuple[File, str]]:
    """Each file with its real type; all refused at once when any is not evidence."""
    errors, checked = [], []
    for upload in files:
        try:
            checked.append((upload, evidence_type(upload)))
        except ValidationError as error:
            errors.extend(error.messages)
    if errors:
        raise ValidationError({"files": errors})
    return checked


def _checked_links(links: Sequence[models.Model], by: User) -> list[tuple[ContentType, int]]:
    """The records a report links to, if each is of a registered kind that ``by`` may open."""
    checked: list[tuple[ContentType, int]] = []
    for record in links:
        source = steps.source_for_model(record._meta.model)
        if source is None or not source.visible(by).filter(pk=record.pk).exists():
            raise ValidationError(
                {"links": _("“%(link)s” is not a record you can open.") % {"link": str(record)}}
            )
        key = (ContentType.objects.get_for_model(source.model), record.pk)
        if key not in checked:
            checked.append(key)
    return checked


def progress_report_create(
    *,
    by: User,
    activity: Activity,
    data: ReportData,
    files: Sequence[File] = (),
    links: Sequence[models.Model] = (),
) -> ProgressReport:
    """File a progress report on an activity of a plan in force, by one of its owners (or the
    secretary, recording a report handed in on paper), with evidence ``files`` (each checked
    for its real type) and ``links`` to portal records the reporter may open."""
    checked_files = _checked_files(files)
    checked_links = _checked_links(links, by)
    with atomic_with_files() as written:
        plan = Plan.objects.select_for_update().get(pk=activity.plan_id)
        if not plan.is_in_force:
            raise ValidationError(
                _("Progress is reported once the CKO has approved the plan."), code="not_in_force"
            )
        activity.plan = plan
        _require(by, "plans.report_progress", activity)
        report = ProgressReport(
            activity=activity,
            reported_by=by,
            as_of=data.as_of,
            percent=data.percent,
            status=data.status,
            narrative=data.narrative,
            problems=data.problems,
        )
        report.full_clean()
        report.save()
        for upload, mime in checked_files:
            stored = EvidenceFile(
                report=report,
                original_name=Path(upload.name).name[:255],
                size=upload.size,
                mime=mime,
            )
            stored.file.save(upload.name, upload, save=False)
            written.append((stored.file.storage, stored.file.name))
            stored.save()
        for content_type, pk in checked_links:
            EvidenceLink.objects.create(report=report, content_type=content_type, object_id=pk)
        refresh_activity(activity)
        notify(
            kind="plans.report_filed",
            recipients=reminding.secretaries(),
            target=report,
            actor=by,
            note=f"{report.percent}%",
        )
    return report


@transaction.atomic
def progress_report_delete(*, by: User, report: ProgressReport) -> None:
    """Withdraw a report filed by mistake; the activity falls back to the report before it."""
    _require(by, "plans.delete_report", report)
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
    by: User,
    plan: Plan,
    quarter: int,
    summary: str,
    issues: str = "",
    expected_version: int | None = None,
) -> ProgressSummary:
    """The secretary's summary of a quarter (written again as often as needed). Refused
    (``StaleEditError``) when someone saved it after the ``expected_version`` the page showed
    (0: the page showed no summary yet)."""
    _require(by, "plans.compile_progress", plan)
    if quarter not in QUARTERS:
        raise ValueError(f"A fiscal year has quarters 1 to 4, not {quarter}.")
    # The plan's lock makes two first summaries of a quarter queue rather than both insert.
    Plan.objects.select_for_update().filter(pk=plan.pk).first()
    record = ProgressSummary.objects.select_for_update().filter(plan=plan, quarter=quarter).first()
    check_version(record, expected_version=expected_version)
    if record is None:
        record = ProgressSummary(plan=plan, quarter=quarter)
    record.summary, record.issues, record.compiled_by = summary, issues, by
    record.save()
    return record


# --- Reminding those who have not reported --------------------------------------------------------
@dataclass
class RemindResult:
    """Who was reminded now, and who had been reminded already today (each with the activities
    they have not reported on)."""

    reminded: list[tuple[User, list[Activity]]]
    already: list[tuple[User, list[Activity]]]


def progress_remind(
    *, by: User, plan: Plan, quarter: int, today: dt.date | None = None
) -> RemindResult:
    """The secretary's one click: remind every owner who has not reported for the quarter (today's
    quarter or the one just ended), one notice per activity, at once. Nobody is reminded twice
    the same day, whether by an earlier click, another person's, or the daily schedule."""
    today = today or timezone.localdate()
    if quarter not in QUARTERS:
        raise ValueError(f"A fiscal year has quarters 1 to 4, not {quarter}.")
    period = Period(plan.fiscal_year, quarter)
    with transaction.atomic():
        _require(by, "plans.remind_progress", plan)
        # Two clicks at once queue here; the second finds the first's reminders.
        plan = Plan.objects.select_for_update().get(pk=plan.pk)
        if not plan.is_in_force:
            raise ValidationError(
                _("Progress is reported once the CKO has approved the plan."), code="not_in_force"
            )
        if not reminding.remindable(period, today):
            raise ValidationError(
                _("Reminders go only for this quarter and the quarter just ended."),
                code="not_this_quarter",
            )
        done_today = reminding.reminded_on(period, today)
        reminded, already = [], []
        for owner, activities in reminding.missing(plan, period):
            told, seen = [], []
            for activity in activities:
                if (activity.pk, owner.pk) in done_today:
                    seen.append(activity)
                    continue
                reminder = reminders.Reminder(
                    key=reminding.key(period, reminding.ASKED, activity, owner, today),
                    kind=reminding.KIND[reminding.ASKED],
                    recipients=(owner,),
                    target=activity,
                    note=reminding.quarter_code(period),
                )
                count = reminders.send(reminder, by=by)
                if count is None:
                    seen.append(activity)
                elif count:
                    told.append(activity)
            if told:
                reminded.append((owner, told))
            if seen:
                already.append((owner, seen))
    return RemindResult(reminded=reminded, already=already)
