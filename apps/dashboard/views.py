"""The dashboards: the office's (CKO, head, secretary) with its print view, Excel export and the
lists behind its figures, and everyone's personal one.

Every page only reads: the filters come from the query string (``DashboardFilterForm``) and
become a ``Scope``; a page for those who steer KM answers 403 to everyone else.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.generic import RedirectView, TemplateView, View

from apps.core.permissions import PagePermissionMixin
from apps.plans.selectors import plan_years

from . import exports, figures, lists, pdf, personal
from .forms import DashboardFilterForm
from .scope import Scope

LIST_PAGE_SIZE = 50


class ScopeMixin(PagePermissionMixin):
    """A read-only dashboard page (GET and HEAD) for those with ``permission_required``, with
    the ``scope`` its filters choose."""

    http_method_names = ["get", "head"]
    permission_required = "dashboard.view_office"

    @cached_property
    def filter_form(self) -> DashboardFilterForm:
        request = self.request
        return DashboardFilterForm(
            request.GET if request.GET else None, years=plan_years(request.user)
        )

    @cached_property
    def scope(self) -> Scope:
        """The filters from the query string. A bad value is reported and replaced by its
        default, so the page always shows something true about what it says it shows."""
        form = self.filter_form
        if form.is_bound and not form.is_valid():
            messages.warning(
                self.request,
                _("Some filters were not valid; their defaults were used instead."),
            )
        year, team, step = form.scope_values()
        return Scope.for_request(self.request, year=year, team=team, step=step)


class HomeView(RedirectView):
    """The navigation's entry: the office dashboard for those who steer KM, the personal one
    for everyone else."""

    http_method_names = ["get", "head"]

    def get_redirect_url(self, *args, **kwargs) -> str:
        if self.request.user.has_perm("dashboard.view_office"):
            return reverse("dashboard:office")
        return reverse("dashboard:personal")


class OfficeView(ScopeMixin, TemplateView):
    template_name = "dashboard/office.html"

    def get_context_data(self, **kwargs) -> dict[str, Any]:
        scope = self.scope
        (sections, sections_html), worked_out = figures.kept(
            scope, "page", lambda: self.sections_and_html(scope)
        )
        return super().get_context_data(
            scope=scope,
            form=self.filter_form,
            sections=sections,
            sections_html=sections_html,
            as_of=dt.datetime.fromtimestamp(worked_out, tz=timezone.get_current_timezone()),
            headline=figures.headline(sections),
            filters=exports.filters_text(scope),
            **kwargs,
        )

    @staticmethod
    def sections_and_html(scope: Scope) -> tuple[list[figures.Section], str]:
        """The figures and their sections' HTML, which depends on nothing else (no form, no
        request): hundreds of cells, written once while the figures are kept (issue 20)."""
        sections = figures.office(scope)
        html = render_to_string("dashboard/includes/office_sections.html", {"sections": sections})
        return sections, html


class OfficePrintView(ScopeMixin, TemplateView):
    template_name = "dashboard/office_print.html"

    def get_context_data(self, **kwargs) -> dict[str, Any]:
        scope = self.scope
        return super().get_context_data(
            scope=scope,
            sections=figures.office_kept(scope)[0],
            filters=exports.filters_text(scope),
            **kwargs,
        )


class OfficeXlsxView(ScopeMixin, View):
    """The office dashboard as an Excel workbook."""

    def get(self, request, *args, **kwargs) -> HttpResponse:
        scope = self.scope
        data = exports.dashboard_xlsx(scope, figures.office_kept(scope)[0])
        response = HttpResponse(data, content_type=exports.XLSX)
        response["Content-Disposition"] = f'attachment; filename="km-dashboard-{scope.year}.xlsx"'
        response["X-Content-Type-Options"] = "nosniff"
        return response


class OfficeSummaryPdfView(ScopeMixin, View):
    """The office dashboard as a one- or two-page A4 executive summary (issue 16)."""

    def get(self, request, *args, **kwargs) -> HttpResponse:
        scope = self.scope
        response = HttpResponse(pdf.office_summary_pdf(scope), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="km-summary-{scope.year}.pdf"'
        response["X-Content-Type-Options"] = "nosniff"
        return response


class FigureListView(ScopeMixin, TemplateView):
    """The records behind one of the dashboard's figures. An odd page number shows the nearest
    page (``Paginator.get_page``) rather than a 404."""

    template_name = "dashboard/list.html"

    def get_context_data(self, **kwargs) -> dict[str, Any]:
        kind = self.kwargs["kind"]
        drill = lists.LISTS.get(kind)
        if drill is None:
            raise Http404
        scope = self.scope
        filters = drill.filters(self.request.GET)
        if filters.is_valid():
            records = drill.records(scope, filters.cleaned_data)
            described = lists.describe(filters)
        else:
            records = drill.records(scope, {}).none()
            described = []
        page = Paginator(records, LIST_PAGE_SIZE).get_page(self.request.GET.get("page"))
        query = self.request.GET.copy()
        query.pop("page", None)
        return super().get_context_data(
            scope=scope,
            drill=drill,
            filters=filters,
            described=described,
            scope_text=exports.filters_text(scope),
            page_obj=page,
            records=page.object_list,
            query_string=query.urlencode(),
            **kwargs,
        )


class PersonalView(ScopeMixin, TemplateView):
    permission_required = "dashboard.view_personal"
    template_name = "dashboard/personal.html"

    def get_context_data(self, **kwargs) -> dict[str, Any]:
        scope = self.scope
        return super().get_context_data(
            scope=scope,
            form=self.filter_form,
            **personal.personal(scope),
            sees_office=self.request.user.has_perm("dashboard.view_office"),
            **kwargs,
        )
