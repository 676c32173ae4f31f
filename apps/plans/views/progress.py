"""Progress: an owner's report, the evidence files, and the secretary's overview of a quarter
(who has not reported, the compiled report to print or export)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView

from apps.core import files
from apps.core.permissions import require, require_visible, visible_or_404
from apps.core.views.downloads import attachment
from apps.core.views.forms import ServiceFormView, show_service_error

from .. import exports, reminding, report_pdf, selectors
from ..forms.plans import ProgressReportForm, SummaryForm
from ..models import Activity, EvidenceFile, Plan, ProgressReport, ProgressSummary
from ..periods import Period, current_period, periods
from ..services import progress as services
from .plans import READ_ONLY, CheckedPageMixin, PlanPageMixin


class ReportCreateView(CheckedPageMixin, ServiceFormView):
    """An owner (or the secretary) files a progress report on an activity of a plan in force."""

    form_class = ProgressReportForm
    template_name = "plans/report_form.html"
    success_message = gettext_lazy("Thank you. Your progress report has been filed.")

    def check(self) -> None:
        user = self.request.user
        activities = Activity.objects.select_related("plan")
        self.activity = visible_or_404(activities, user, "plans.view_plan", pk=self.kwargs["pk"])
        require(user, "plans.report_progress", self.activity)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "activity": self.activity, "user": self.request.user}

    def get_context_data(self, **kwargs) -> dict[str, Any]:
        context = {"activity": self.activity, "plan": self.activity.plan}
        return super().get_context_data(**context, **kwargs)

    def perform(self, form) -> ProgressReport:
        cleaned = form.cleaned_data
        return services.progress_report_create(
            by=self.request.user,
            activity=self.activity,
            data=form.to_data(),
            files=cleaned["files"],
            links=form.checked_links,
        )

    def get_success_url(self) -> str:
        return self.activity.get_absolute_url()


@require_POST
def report_delete(request, pk):
    report = get_object_or_404(
        ProgressReport.objects.select_related("activity", "activity__plan"), pk=pk
    )
    require_visible(request.user, "plans.view_plan", report.activity)
    require(request.user, "plans.delete_report", report)
    services.progress_report_delete(by=request.user, report=report)
    messages.success(request, _("The progress report has been withdrawn."))
    return redirect(report.activity)


class EvidenceView(View):
    """An evidence file, through the plan's permission; always downloaded, never shown inline."""

    http_method_names = READ_ONLY

    def get(self, request, pk) -> FileResponse:
        stored = get_object_or_404(
            EvidenceFile.objects.select_related("report__activity__plan"), pk=pk
        )
        require_visible(request.user, "plans.view_plan", stored.report.activity)
        return files.serve(stored.file, filename=stored.original_name, mime=stored.mime)


# --- A quarter's progress ------------------------------------------------------------------------
class PeriodMixin(PlanPageMixin):
    """A quarter of one year's plan (``?quarter=``; today's, or the nearest, when not given),
    for those who follow progress."""

    def get_period(self) -> Period:
        year = self.kwargs["year"]
        try:
            quarter = int(self.request.GET.get("quarter", ""))
        except ValueError:
            quarter = 0
        if quarter in (1, 2, 3, 4):
            return Period(year, quarter)
        return current_period(year)

    def get_plan(self):
        plan = super().get_plan()
        require(self.request.user, "plans.view_progress", plan)
        return plan


class ProgressView(CheckedPageMixin, PeriodMixin, ServiceFormView):
    """Who has reported for the quarter and who has not; the secretary writes the summary."""

    form_class = SummaryForm
    template_name = "plans/progress.html"
    success_message = gettext_lazy("The progress summary has been saved.")

    def check(self) -> None:
        user, plan = self.request.user, self.get_plan()
        if self.request.method == "POST":
            require(user, "plans.compile_progress", plan)
        self.can_compile = user.has_perm("plans.compile_progress", plan)
        self.period = self.get_period()
        self.page = selectors.progress_page(plan, self.period)

    def get_form(self, form_class=None):
        if not self.can_compile:
            return None
        return super().get_form(form_class)

    def get_form_kwargs(self) -> dict[str, Any]:
        record = self.page["summary"] or ProgressSummary(
            plan=self.plan, quarter=self.period.quarter
        )
        return {**super().get_form_kwargs(), "record": record}

    def get_context_data(self, **kwargs) -> dict[str, Any]:
        plan = self.plan
        context = {
            "plan": plan,
            "period": self.period,
            "periods": periods(plan.fiscal_year),
            "can_remind": plan.is_in_force
            and self.request.user.has_perm("plans.remind_progress", plan)
            and reminding.remindable(self.period, timezone.localdate()),
            "reminders_sent": reminding.sent(plan, self.period),
            **self.page,
        }
        return super().get_context_data(**context, **kwargs)

    def perform(self, form) -> ProgressSummary:
        return services.summary_save(
            by=self.request.user,
            plan=self.plan,
            quarter=self.period.quarter,
            summary=form.cleaned_data["summary"],
            issues=form.cleaned_data["issues"],
            expected_version=form.expected_version,
        )

    def get_success_url(self) -> str:
        return f"{self.request.path}?quarter={self.period.quarter}"


def _who(people) -> str:
    return ", ".join(
        f"{person} ({len(activities)})" if len(activities) > 1 else str(person)
        for person, activities in people
    )


@require_POST
def progress_remind(request, year):
    """One click: remind the owners who have not reported for the quarter shown."""
    plan = visible_or_404(Plan, request.user, "plans.view_plan", fiscal_year=year)
    require(request.user, "plans.remind_progress", plan)
    try:
        quarter = int(request.POST.get("quarter", ""))
    except ValueError:
        quarter = 0
    if quarter not in (1, 2, 3, 4):
        quarter = current_period(year).quarter
    back = redirect(f"{reverse('plans:progress', kwargs={'year': year})}?quarter={quarter}")
    try:
        result = services.progress_remind(by=request.user, plan=plan, quarter=quarter)
    except ValidationError as error:
        show_service_error(request, error)
        return back
    if result.reminded:
        count = len(result.reminded)
        messages.success(
            request,
            ngettext(
                "%(count)d person reminded: %(people)s.",
                "%(count)d people reminded: %(people)s.",
                count,
            )
            % {"count": count, "people": _who(result.reminded)},
        )
    if result.already:
        messages.info(
            request,
            _("Already reminded today: %(people)s.") % {"people": _who(result.already)},
        )
    if not result.reminded and not result.already:
        messages.info(request, _("Everyone has reported for this quarter; nobody to remind."))
    return back


class ProgressPrintView(PeriodMixin, TemplateView):
    template_name = "plans/progress_print.html"
    http_method_names = READ_ONLY

    def get_context_data(self, **kwargs) -> dict[str, Any]:
        plan, period = self.get_plan(), self.get_period()
        context = {"plan": plan, "period": period, **selectors.progress_page(plan, period)}
        return super().get_context_data(**context, **kwargs)


class ProgressPdfView(PeriodMixin, View):
    """The quarter's progress report in one click, as a Thai government memo (issue 16)."""

    http_method_names = READ_ONLY

    def get(self, request, *args, **kwargs) -> HttpResponse:
        plan, period = self.get_plan(), self.get_period()
        page = selectors.progress_page(plan, period)
        return attachment(
            report_pdf.progress_report_pdf(plan, period, page),
            f"km-progress-{plan.fiscal_year}-q{period.quarter}.pdf",
            "application/pdf",
        )


class ProgressExportView(PeriodMixin, View):
    http_method_names = READ_ONLY

    def get(self, request, *args, **kwargs) -> HttpResponse:
        plan, period = self.get_plan(), self.get_period()
        return attachment(
            exports.progress_xlsx(plan, period),
            f"km-progress-{plan.fiscal_year}-q{period.quarter}.xlsx",
            exports.XLSX,
        )
