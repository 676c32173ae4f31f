"""Progress: an owner's report, the evidence files, and the secretary's overview of a quarter
(who has not reported, the compiled report to print or export)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from apps.core import files
from apps.core.concurrency import StaleEditError

from .. import exports, selectors
from ..forms.plans import ProgressReportForm, SummaryForm
from ..models import Activity, EvidenceFile, ProgressReport, ProgressSummary
from ..periods import Period, current_period, periods
from ..services import progress as services
from .common import download, invalid, plan_for_year, require, service_error


@require_http_methods(["GET", "POST"])
def report_create(request, pk):
    activity = get_object_or_404(Activity.objects.select_related("plan"), pk=pk)
    require(request, "plans.report_progress", activity)
    form = ProgressReportForm(
        request.POST or None, request.FILES or None, activity=activity, user=request.user
    )
    if request.method == "POST":
        if form.is_valid():
            try:
                services.progress_report_create(activity=activity, by=request.user, form=form)
            except ValidationError as error:
                service_error(request, error, form)
            else:
                messages.success(request, _("Thank you. Your progress report has been filed."))
                return redirect(activity)
        else:
            invalid(request)
    return render(
        request,
        "plans/report_form.html",
        {"form": form, "activity": activity, "plan": activity.plan},
    )


@require_POST
def report_delete(request, pk):
    report = get_object_or_404(
        ProgressReport.objects.select_related("activity", "activity__plan"), pk=pk
    )
    require(request, "plans.delete_report", report)
    services.progress_report_delete(report=report, by=request.user)
    messages.success(request, _("The progress report has been withdrawn."))
    return redirect(report.activity)


@require_safe
def evidence(request, pk):
    """An evidence file, through the plan's permission; always downloaded, never shown inline."""
    stored = get_object_or_404(EvidenceFile.objects.select_related("report__activity__plan"), pk=pk)
    if not request.user.has_perm("plans.view_plan", stored.report.activity.plan):
        raise PermissionDenied
    return files.serve(stored.file, filename=stored.original_name, mime=stored.mime)


def _period(request, year: int) -> Period:
    try:
        quarter = int(request.GET.get("quarter", ""))
    except ValueError:
        quarter = 0
    if quarter in (1, 2, 3, 4):
        return Period(year, quarter)
    return current_period(year)


@require_http_methods(["GET", "POST"])
def progress(request, year):
    """Who has reported for the quarter and who has not; the secretary writes the summary."""
    plan = plan_for_year(year)
    require(request, "plans.view_progress", plan)
    period = _period(request, year)
    page = selectors.progress_page(plan, period)
    summary = page["summary"]
    can_compile = request.user.has_perm("plans.compile_progress", plan)
    record = summary or ProgressSummary(plan=plan, quarter=period.quarter)
    form = SummaryForm(request.POST or None, record=record) if can_compile else None
    if request.method == "POST":
        require(request, "plans.compile_progress", plan)
        if form.is_valid():
            try:
                services.summary_save(
                    plan=plan,
                    quarter=period.quarter,
                    by=request.user,
                    summary=form.cleaned_data["summary"],
                    issues=form.cleaned_data["issues"],
                    expected_version=form.expected_version,
                )
            except StaleEditError as conflict:
                form.show_conflict(conflict)
            else:
                messages.success(request, _("The progress summary has been saved."))
                return redirect(f"{request.path}?quarter={period.quarter}")
        else:
            invalid(request)
    context = {
        "plan": plan,
        "period": period,
        "periods": periods(year),
        "form": form,
        **page,
    }
    return render(request, "plans/progress.html", context)


@require_safe
def progress_print(request, year):
    plan = plan_for_year(year)
    require(request, "plans.view_progress", plan)
    period = _period(request, year)
    context = {"plan": plan, "period": period, **selectors.progress_page(plan, period)}
    return render(request, "plans/progress_print.html", context)


@require_safe
def progress_xlsx(request, year):
    plan = plan_for_year(year)
    require(request, "plans.view_progress", plan)
    period = _period(request, year)
    return download(
        exports.progress_xlsx(plan, period),
        f"km-progress-{plan.fiscal_year}-q{period.quarter}.xlsx",
        exports.XLSX,
    )
