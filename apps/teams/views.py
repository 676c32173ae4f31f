"""Teams, rosters, appointment orders and the staff directory."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.generic import DetailView, ListView
from django_filters.views import FilterView
from rules.contrib.views import PermissionRequiredMixin, permission_required

from apps.core.concurrency import StaleEditError, posted_version
from apps.core.thaidates import format_date_long

from . import selectors, services
from .filters import DirectoryFilter
from .forms import AppointmentOrderForm, DutiesForm, EndTermForm, MembershipForm, TeamForm
from .models import AppointmentOrder, Membership, Team


def _team_from_kwargs(request, pk):
    return get_object_or_404(Team, pk=pk)


def _membership_team(request, pk):
    return get_object_or_404(Membership.objects.select_related("team"), pk=pk).team


# --- Teams -------------------------------------------------------------------------------------
@require_safe
def team_list(request):
    return render(request, "teams/team_list.html", {"groups": selectors.teams_by_kind()})


class TeamDetailView(PermissionRequiredMixin, DetailView):
    model = Team
    permission_required = "teams.view_team"
    raise_exception = True
    queryset = Team.objects.select_related("parent")

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs, **selectors.team_roster(self.object))


@permission_required("teams.manage_team", raise_exception=True)
@require_http_methods(["GET", "POST"])
def team_edit(request, pk=None):
    team = get_object_or_404(Team, pk=pk) if pk else None
    form = TeamForm(request.POST or None, instance=team)
    if request.method == "POST":
        if form.is_valid():
            try:
                team = services.team_save(form=form, expected_version=form.expected_version)
            except StaleEditError as conflict:
                form.show_conflict(conflict)
            except ValidationError as error:
                form.add_error(None, error)
                messages.error(request, _("Nothing was saved. Please correct the errors below."))
            else:
                messages.success(request, _("The team has been saved."))
                return redirect(team)
        else:
            messages.error(request, _("Nothing was saved. Please correct the errors below."))
    return render(request, "teams/team_form.html", {"form": form, "team": team})


@permission_required("teams.edit_duties", raise_exception=True)
@require_http_methods(["GET", "POST"])
def duties_edit(request, pk):
    team = get_object_or_404(Team, pk=pk)
    form = DutiesForm(request.POST or None, duties=selectors.duties_by_role(team), record=team)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.duties_replace(
                    team=team, duties=form.duties(), expected_version=form.expected_version
                )
            except StaleEditError as conflict:
                form.show_conflict(conflict)
            else:
                messages.success(request, _("The duties have been saved."))
                return redirect(team)
        else:
            messages.error(request, _("Nothing was saved. Please correct the errors below."))
    return render(request, "teams/duties_form.html", {"form": form, "team": team})


# --- Rosters -------------------------------------------------------------------------------------
@permission_required("teams.manage_roster", fn=_team_from_kwargs, raise_exception=True)
@require_http_methods(["GET", "POST"])
def membership_add(request, pk):
    team = get_object_or_404(Team, pk=pk)
    initial = {"start_date": timezone.localdate()}
    form = MembershipForm(request.POST or None, team=team, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            try:
                membership = services.membership_save(form=form)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("%(person)s has been added to %(team)s.")
                    % {"person": membership.person, "team": team},
                )
                return redirect(team)
        messages.error(request, _("Nothing was saved. Please correct the errors below."))
    return render(request, "teams/membership_form.html", {"form": form, "team": team})


@permission_required("teams.manage_roster", fn=_membership_team, raise_exception=True)
@require_http_methods(["GET", "POST"])
def membership_edit(request, pk):
    membership = get_object_or_404(Membership.objects.select_related("team", "person"), pk=pk)
    form = MembershipForm(request.POST or None, team=membership.team, instance=membership)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.membership_save(form=form, expected_version=form.expected_version)
            except StaleEditError as conflict:
                form.show_conflict(conflict)
            except ValidationError as error:
                form.add_error(None, error)
                messages.error(request, _("Nothing was saved. Please correct the errors below."))
            else:
                messages.success(request, _("The membership has been saved."))
                return redirect(membership.team)
        else:
            messages.error(request, _("Nothing was saved. Please correct the errors below."))
    context = {"form": form, "team": membership.team, "membership": membership}
    return render(request, "teams/membership_form.html", context)


@permission_required("teams.manage_roster", fn=_membership_team, raise_exception=True)
@require_POST
def membership_end(request, pk):
    membership = get_object_or_404(Membership.objects.select_related("team", "person"), pk=pk)
    if membership.end_date and membership.end_date < timezone.localdate():
        messages.info(request, _("This term had already ended."))
        return redirect(membership.team)
    form = EndTermForm(request.POST, membership=membership)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("end_date", [])))
        return redirect(membership.team)
    try:
        services.membership_end(
            membership=membership,
            end_date=form.cleaned_data["end_date"],
            expected_version=posted_version(request.POST),
        )
    except StaleEditError as error:
        messages.warning(request, str(error))
    else:
        messages.success(
            request,
            _("The term of %(person)s as %(role)s ends on %(date)s.")
            % {
                "person": membership.person,
                "role": membership.get_role_display(),
                "date": format_date_long(form.cleaned_data["end_date"]),
            },
        )
    return redirect(membership.team)


# --- Appointment orders -----------------------------------------------------------------------
class OrderListView(PermissionRequiredMixin, ListView):
    permission_required = "teams.view_order"
    raise_exception = True
    queryset = AppointmentOrder.objects.prefetch_related("teams")
    template_name = "teams/order_list.html"
    paginate_by = 30


class OrderDetailView(PermissionRequiredMixin, DetailView):
    permission_required = "teams.view_order"
    raise_exception = True
    model = AppointmentOrder
    template_name = "teams/order_detail.html"

    def get_context_data(self, **kwargs):
        memberships = self.object.memberships.select_related("person", "team")
        return super().get_context_data(
            **kwargs, memberships=selectors.sort_by_role(memberships), teams=self.object.teams.all()
        )


@permission_required("teams.manage_order", raise_exception=True)
@require_http_methods(["GET", "POST"])
def order_edit(request, pk=None):
    order = get_object_or_404(AppointmentOrder, pk=pk) if pk else None
    form = AppointmentOrderForm(request.POST or None, request.FILES or None, instance=order)
    if request.method == "POST":
        if form.is_valid():
            try:
                order = services.order_save(form=form, expected_version=form.expected_version)
            except StaleEditError as conflict:
                form.show_conflict(conflict)
            except ValidationError as error:
                form.add_error(None, error)
                messages.error(request, _("Nothing was saved. Please correct the errors below."))
            else:
                messages.success(request, _("The appointment order has been saved."))
                return redirect(order)
        else:
            messages.error(request, _("Nothing was saved. Please correct the errors below."))
    return render(request, "teams/order_form.html", {"form": form, "order": order})


@permission_required("teams.view_order", raise_exception=True)
@require_safe
def order_scan(request, pk):
    """The signed scan, always as a download under its original (Thai) file name."""
    order = get_object_or_404(AppointmentOrder, pk=pk)
    if not order.scan:
        raise Http404
    try:
        handle = order.scan.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    filename = order.scan_filename or f"order-{order.number}-{order.year}{order.scan.name[-4:]}"
    return FileResponse(
        handle,
        as_attachment=True,
        filename=filename,
        content_type=order.scan_content_type or "application/octet-stream",
    )


# --- The staff directory ----------------------------------------------------------------------
class DirectoryView(PermissionRequiredMixin, FilterView):
    permission_required = "teams.view_directory"
    raise_exception = True
    filterset_class = DirectoryFilter
    template_name = "teams/directory.html"
    paginate_by = 25

    def get_queryset(self):
        return selectors.directory()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context["query_string"] = query.urlencode()
        return context
