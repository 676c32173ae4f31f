"""The dashboards: the office's (CKO, head, secretary) with its print view, Excel export and the
lists behind its figures, and everyone's personal one."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from apps.core.permissions import require
from apps.plans.selectors import plan_years

from . import exports, figures, lists, personal
from .forms import DashboardFilterForm
from .scope import Scope

LIST_PAGE_SIZE = 50


def _scope(request) -> tuple[Scope, DashboardFilterForm]:
    """The filters from the query string. A bad value is reported and replaced by its default,
    so the page always shows something true about what it says it shows."""
    form = DashboardFilterForm(request.GET if request.GET else None, years=plan_years(request.user))
    if form.is_bound and not form.is_valid():
        messages.warning(
            request,
            _("Some filters were not valid; their defaults were used instead."),
        )
    year, team, step = form.scope_values()
    return Scope.for_request(request, year=year, team=team, step=step), form


@require_safe
def home(request):
    """The navigation's entry: the office dashboard for those who steer KM, the personal one
    for everyone else."""
    if request.user.has_perm("dashboard.view_office"):
        return redirect("dashboard:office")
    return redirect("dashboard:personal")


@require_safe
def office(request):
    require(request.user, "dashboard.view_office")
    scope, form = _scope(request)
    sections = figures.office(scope)
    return render(
        request,
        "dashboard/office.html",
        {
            "scope": scope,
            "form": form,
            "sections": sections,
            "headline": figures.headline(sections),
            "filters": exports.filters_text(scope),
        },
    )


@require_safe
def office_print(request):
    require(request.user, "dashboard.view_office")
    scope, _form = _scope(request)
    return render(
        request,
        "dashboard/office_print.html",
        {
            "scope": scope,
            "sections": figures.office(scope),
            "filters": exports.filters_text(scope),
        },
    )


@require_safe
def office_xlsx(request):
    require(request.user, "dashboard.view_office")
    scope, _form = _scope(request)
    data = exports.dashboard_xlsx(scope, figures.office(scope))
    response = HttpResponse(data, content_type=exports.XLSX)
    response["Content-Disposition"] = f'attachment; filename="km-dashboard-{scope.year}.xlsx"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_safe
def figure_list(request, kind: str):
    """The records behind one of the dashboard's figures."""
    require(request.user, "dashboard.view_office")
    drill = lists.LISTS.get(kind)
    if drill is None:
        raise Http404
    scope, _form = _scope(request)
    filters = drill.filters(request.GET)
    if filters.is_valid():
        records = drill.records(scope, filters.cleaned_data)
        described = lists.describe(filters)
    else:
        records = drill.records(scope, {}).none()
        described = []
    page = Paginator(records, LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "dashboard/list.html",
        {
            "scope": scope,
            "drill": drill,
            "kind": kind,
            "filters": filters,
            "described": described,
            "scope_text": exports.filters_text(scope),
            "page_obj": page,
            "records": page.object_list,
            "query_string": query.urlencode(),
        },
    )


@require_safe
def personal_view(request):
    require(request.user, "dashboard.view_personal")
    scope, form = _scope(request)
    return render(
        request,
        "dashboard/personal.html",
        {
            "scope": scope,
            "form": form,
            **personal.personal(scope),
            "sees_office": request.user.has_perm("dashboard.view_office"),
        },
    )
