"""Teams, rosters, appointment orders and the staff directory.

Edit pages are ``ServiceFormView``s: the form validates, one service (which checks the
permission again) saves. Ending a term is a POST-only function view.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe
from django.views.generic import DetailView, ListView, TemplateView, UpdateView
from django_filters.views import FilterView
from rules.contrib.views import permission_required

from apps.core.concurrency import StaleEditError, posted_version
from apps.core.permissions import (
    ObjectPermissionMixin,
    PagePermissionMixin,
    require,
    visible_or_404,
)
from apps.core.thaidates import format_date_long
from apps.core.views.forms import ServiceFormMixin, ServiceFormView

from . import selectors, services
from .filters import DirectoryFilter
from .forms import AppointmentOrderForm, DutiesForm, EndTermForm, MembershipForm, TeamForm
from .models import AppointmentOrder, Membership, Team


# --- Teams -------------------------------------------------------------------------------------
class TeamListView(TemplateView):
    """The active teams, grouped by kind (every signed-in member of staff)."""

    http_method_names = ["get", "head"]
    template_name = "teams/team_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(groups=selectors.teams_by_kind(), **kwargs)


class TeamDetailView(ObjectPermissionMixin, DetailView):
    view_permission = "teams.view_team"
    queryset = Team.objects.select_related("parent")

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs, **selectors.team_roster(self.object))


class TeamCreateView(PagePermissionMixin, ServiceFormView):
    permission_required = "teams.manage_team"
    form_class = TeamForm
    template_name = "teams/team_form.html"
    success_message = gettext_lazy("The team has been saved.")

    def perform(self, form) -> Team:
        return services.team_create(by=self.request.user, fields=form.team_fields())


class TeamUpdateView(ObjectPermissionMixin, ServiceFormMixin, UpdateView):
    view_permission = "teams.view_team"
    permission_required = "teams.manage_team"
    model = Team
    form_class = TeamForm
    template_name = "teams/team_form.html"
    success_message = gettext_lazy("The team has been saved.")

    def perform(self, form) -> Team:
        return services.team_update(
            by=self.request.user,
            team=self.object,
            fields=form.team_fields(),
            expected_version=form.expected_version,
        )


class DutiesEditView(ServiceFormView):
    form_class = DutiesForm
    template_name = "teams/duties_form.html"
    success_message = gettext_lazy("The duties have been saved.")

    @cached_property
    def team(self) -> Team:
        team = get_object_or_404(Team, pk=self.kwargs["pk"])
        require(self.request.user, "teams.edit_duties", team)
        return team

    def dispatch(self, request, *args, **kwargs):
        self.team  # noqa: B018 - 404 or 403 before anything else
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        duties = selectors.duties_by_role(self.team)
        return {**super().get_form_kwargs(), "duties": duties, "record": self.team}

    def get_context_data(self, **kwargs):
        return super().get_context_data(team=self.team, **kwargs)

    def perform(self, form) -> Team:
        services.duties_replace(
            by=self.request.user,
            team=self.team,
            duties=form.duties(),
            expected_version=form.expected_version,
        )
        return self.team


# --- Rosters -------------------------------------------------------------------------------------
class MembershipAddView(ServiceFormView):
    form_class = MembershipForm
    template_name = "teams/membership_form.html"

    @cached_property
    def team(self) -> Team:
        team = get_object_or_404(Team, pk=self.kwargs["pk"])
        require(self.request.user, "teams.manage_roster", team)
        return team

    def dispatch(self, request, *args, **kwargs):
        self.team  # noqa: B018 - 404 or 403 before anything else
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {"start_date": timezone.localdate()}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "team": self.team}

    def get_context_data(self, **kwargs):
        return super().get_context_data(team=self.team, **kwargs)

    def perform(self, form) -> Membership:
        return services.membership_add(
            by=self.request.user, team=self.team, fields=form.membership_fields()
        )

    def get_success_message(self) -> str:
        return _("%(person)s has been added to %(team)s.") % {
            "person": self.saved.person,
            "team": self.team,
        }

    def get_success_url(self) -> str:
        return self.team.get_absolute_url()


class MembershipEditView(ServiceFormMixin, UpdateView):
    form_class = MembershipForm
    template_name = "teams/membership_form.html"
    queryset = Membership.objects.select_related("team", "person")
    context_object_name = "membership"
    success_message = gettext_lazy("The membership has been saved.")

    def get_object(self, queryset=None):
        membership = super().get_object(queryset)
        require(self.request.user, "teams.manage_roster", membership.team)
        return membership

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "team": self.object.team}

    def get_context_data(self, **kwargs):
        return super().get_context_data(team=self.object.team, **kwargs)

    def perform(self, form) -> Membership:
        return services.membership_update(
            by=self.request.user,
            membership=self.object,
            fields=form.membership_fields(),
            expected_version=form.expected_version,
        )

    def get_success_url(self) -> str:
        return self.object.team.get_absolute_url()


def _membership_team(request, pk) -> Team:
    return get_object_or_404(Membership.objects.select_related("team"), pk=pk).team


# The permission first: a GET from someone who may not keep the roster is refused (403), not
# told the method is wrong.
@permission_required("teams.manage_roster", fn=_membership_team, raise_exception=True)
@require_POST
def membership_end(request, pk):
    """End a term (POST-only): the roster keeps it as history."""
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
            by=request.user,
            membership=membership,
            end_date=form.cleaned_data["end_date"],
            expected_version=posted_version(request.POST),
        )
    except StaleEditError as error:
        messages.warning(request, str(error))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
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
class OrderListView(PagePermissionMixin, ListView):
    permission_required = "teams.view_order"
    queryset = AppointmentOrder.objects.prefetch_related("teams")
    template_name = "teams/order_list.html"
    paginate_by = 30


class OrderDetailView(ObjectPermissionMixin, DetailView):
    view_permission = "teams.view_order"
    model = AppointmentOrder
    template_name = "teams/order_detail.html"

    def get_context_data(self, **kwargs):
        memberships = self.object.memberships.select_related("person", "team")
        return super().get_context_data(
            **kwargs, memberships=selectors.sort_by_role(memberships), teams=self.object.teams.all()
        )


class OrderCreateView(PagePermissionMixin, ServiceFormView):
    permission_required = "teams.manage_order"
    form_class = AppointmentOrderForm
    template_name = "teams/order_form.html"
    success_message = gettext_lazy("The appointment order has been saved.")

    def perform(self, form) -> AppointmentOrder:
        return services.order_create(
            by=self.request.user,
            fields=form.appointment_fields(),
            teams=form.cleaned_data["teams"],
            scan=form.new_scan(),
        )


class OrderUpdateView(ObjectPermissionMixin, ServiceFormMixin, UpdateView):
    view_permission = "teams.view_order"
    permission_required = "teams.manage_order"
    model = AppointmentOrder
    context_object_name = "order"
    form_class = AppointmentOrderForm
    template_name = "teams/order_form.html"
    success_message = gettext_lazy("The appointment order has been saved.")

    def perform(self, form) -> AppointmentOrder:
        return services.order_update(
            by=self.request.user,
            order=self.object,
            fields=form.appointment_fields(),
            teams=form.cleaned_data["teams"],
            scan=form.new_scan(),
            clear_scan=form.cleared_scan(),
            expected_version=form.expected_version,
        )


@require_safe
def order_scan(request, pk):
    """The signed scan, always as a download under its original (Thai) file name."""
    order = visible_or_404(AppointmentOrder, request.user, "teams.view_order", pk=pk)
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
class DirectoryView(PagePermissionMixin, FilterView):
    permission_required = "teams.view_directory"
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
