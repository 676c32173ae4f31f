"""The yearly plan's pages: the list of years, a plan, its rows, its workflow and history, the
seven-steps page and the exports.

Reads are generic class views; edit pages are ``ServiceFormView`` (form → one service → message
→ redirect); the workflow steps and removals are POST-only function views. A plan (or a row of
one) the person may not open answers 404; an action they may not take on one they may open, 403.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.http import require_POST
from django.views.generic import DetailView, ListView, TemplateView

from apps.core.choices import KMStep
from apps.core.concurrency import StaleEditError, posted_version
from apps.core.permissions import (
    ObjectPermissionMixin,
    PagePermissionMixin,
    require,
    require_to_edit,
    require_visible,
    visible_or_404,
)
from apps.core.thaidates import fiscal_year
from apps.core.views.downloads import attachment
from apps.core.views.forms import ServiceFormView, show_service_error

from .. import exports, selectors, versions
from ..forms.plans import (
    ActivityForm,
    DesiredStateForm,
    FocusAreaForm,
    KnowledgeNeedForm,
    NoteForm,
    PlanForm,
    RequiredNoteForm,
)
from ..models import Activity, DesiredState, FocusArea, KnowledgeNeed, Plan
from ..services import plans as services

# Who may change a draft: the role that still takes an edit page's form to the service when the
# plan locked meanwhile (the service then says why nothing was saved).
DRAFTER = services.DRAFTER
READ_ONLY = ["get", "head"]
EDIT = ["get", "head", "post"]


class CheckedPageMixin:
    """``check()`` finds what the page is about and refuses (404, 403) those who may not use
    it; it runs once the method is known to be allowed, so a wrong method is always a 405."""

    http_method_names = EDIT

    def check(self) -> None:  # pragma: no cover - every view defines it
        raise NotImplementedError

    def dispatch(self, request, *args, **kwargs):
        if request.method.lower() in self.http_method_names:
            self.check()
        return super().dispatch(request, *args, **kwargs)


class PlanPageMixin:
    """A page of one year's plan (``year`` in the URL): 404 unless the person may open it."""

    def get_plan(self) -> Plan:
        if not hasattr(self, "plan"):
            self.plan = visible_or_404(
                Plan, self.request.user, "plans.view_plan", fiscal_year=self.kwargs["year"]
            )
        return self.plan


class PlanObjectMixin(ObjectPermissionMixin):
    """A ``DetailView`` of one year's plan."""

    model = Plan
    slug_field = "fiscal_year"
    slug_url_kwarg = "year"
    view_permission = "plans.view_plan"
    http_method_names = READ_ONLY


# --- Plans ---------------------------------------------------------------------------------------
class PlanListView(PagePermissionMixin, ListView):
    permission_required = "plans.view_plans"
    template_name = "plans/plan_list.html"
    context_object_name = "plans"
    http_method_names = READ_ONLY

    def get_queryset(self):
        return (
            Plan.objects.visible_to(self.request.user)
            .select_related("approved_by")
            .with_counts()
            .order_by("-fiscal_year")
        )

    def get_context_data(self, **kwargs) -> dict[str, Any]:
        return super().get_context_data(current_year=fiscal_year(), **kwargs)


class PlanDetailView(PlanObjectMixin, DetailView):
    template_name = "plans/plan_detail.html"

    def get_context_data(self, **kwargs) -> dict[str, Any]:
        context = super().get_context_data(**selectors.plan_page(self.object), **kwargs)
        # A revision shows what it changes against the version in force (issue 16).
        if self.object.is_revising:
            context["revision"] = versions.revision_changes(self.object)
        return context


class PlanHistoryView(PlanObjectMixin, DetailView):
    template_name = "plans/plan_history.html"

    def get_context_data(self, **kwargs) -> dict[str, Any]:
        return super().get_context_data(**selectors.plan_history(self.object), **kwargs)


class PlanCreateView(PagePermissionMixin, ServiceFormView):
    permission_required = "plans.add_plan"
    form_class = PlanForm
    template_name = "plans/plan_form.html"
    success_message = gettext_lazy("The draft plan has been created.")
    http_method_names = EDIT

    def perform(self, form) -> Plan:
        return services.plan_create(
            by=self.request.user,
            fiscal_year=form.cleaned_data["fiscal_year"],
            data=form.to_data(),
            copy_from=form.previous_plan(),
        )


class PlanUpdateView(CheckedPageMixin, PlanPageMixin, ServiceFormView):
    form_class = PlanForm
    template_name = "plans/plan_form.html"
    success_message = gettext_lazy("The plan has been saved.")

    def check(self) -> None:
        require_to_edit(self.request, "plans.change_plan", self.get_plan(), role=DRAFTER)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "instance": self.plan}

    def get_context_data(self, **kwargs) -> dict[str, Any]:
        return super().get_context_data(plan=self.plan, **kwargs)

    def perform(self, form) -> Plan:
        return services.plan_update(
            by=self.request.user,
            plan=self.plan,
            data=form.to_data(),
            expected_version=form.expected_version,
        )


# --- The workflow --------------------------------------------------------------------------------
def _transition(request, year, perm, action, success, *, form_class=NoteForm) -> HttpResponse:
    plan = visible_or_404(Plan, request.user, "plans.view_plan", fiscal_year=year)
    require(request.user, perm, plan)
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("note", [])) or _("Add a note."))
        return redirect(plan)
    try:
        action(
            by=request.user,
            plan=plan,
            note=form.cleaned_data["note"],
            expected_version=posted_version(request.POST),
        )
    except ValidationError as error:
        show_service_error(request, error)
    except StaleEditError as error:
        messages.warning(request, str(error))
    else:
        messages.success(request, success)
    return redirect(plan)


@require_POST
def plan_submit(request, year):
    return _transition(
        request,
        year,
        "plans.submit_plan",
        lambda by, plan, note, expected_version: services.plan_submit(
            by=by, plan=plan, expected_version=expected_version
        ),
        _("The plan now waits for the CKO's approval; it cannot be changed meanwhile."),
    )


@require_POST
def plan_approve(request, year):
    return _transition(
        request,
        year,
        "plans.approve_plan",
        services.plan_approve,
        _("The plan is approved. It is now locked; changes need a revision."),
    )


@require_POST
def plan_return(request, year):
    return _transition(
        request,
        year,
        "plans.approve_plan",
        services.plan_return,
        _("The plan has been returned to the head with your note."),
        form_class=RequiredNoteForm,
    )


@require_POST
def plan_revise(request, year):
    return _transition(
        request,
        year,
        "plans.revise_plan",
        lambda by, plan, note, expected_version: services.plan_open_revision(
            by=by, plan=plan, reason=note, expected_version=expected_version
        ),
        _("A revision is open. The approved version stays in force until the CKO approves it."),
        form_class=RequiredNoteForm,
    )


# --- Rows of the plan ----------------------------------------------------------------------------
PARTS = {
    # kind: (model, form, the section of the plan's page it belongs to)
    "need": (KnowledgeNeed, KnowledgeNeedForm, "inventory"),
    "area": (FocusArea, FocusAreaForm, "focus"),
    "state": (DesiredState, DesiredStateForm, "focus"),
    "activity": (Activity, ActivityForm, "action-plan"),
}


class PartFormView(CheckedPageMixin, ServiceFormView):
    """Add a row to a draft plan (``year`` in the URL) or change one (``pk``)."""

    kind = ""
    template_name = "plans/part_form.html"
    success_message = gettext_lazy("Saved.")

    def check(self) -> None:
        model, self.form_class, self.anchor = PARTS[self.kind]
        user, kwargs = self.request.user, self.kwargs
        if "pk" in kwargs:
            self.part = get_object_or_404(model.objects.select_related("plan"), pk=kwargs["pk"])
            self.plan = self.part.plan
            require_visible(user, "plans.view_plan", self.plan)
        else:
            self.part = None
            self.plan = visible_or_404(Plan, user, "plans.view_plan", fiscal_year=kwargs["year"])
        require_to_edit(self.request, "plans.change_plan", self.plan, role=DRAFTER)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "instance": self.part, "plan": self.plan}

    def get_context_data(self, **kwargs) -> dict[str, Any]:
        context = {"plan": self.plan, "part": self.part, "kind": self.kind, "anchor": self.anchor}
        return super().get_context_data(**context, **kwargs)

    def perform(self, form):
        return services.part_save(
            by=self.request.user,
            plan=self.plan,
            data=form.to_data(),
            part=self.part,
            expected_version=form.expected_version,
        )

    def get_success_url(self) -> str:
        if self.kind == "activity":
            return self.saved.get_absolute_url()
        return f"{self.plan.get_absolute_url()}#{self.anchor}"


def _part_delete(request, kind: str, pk: int) -> HttpResponse:
    model, _form, anchor = PARTS[kind]
    part = get_object_or_404(model.objects.select_related("plan"), pk=pk)
    plan = part.plan
    require_visible(request.user, "plans.view_plan", plan)
    require(request.user, "plans.change_plan", plan)
    try:
        services.part_delete(
            by=request.user, part=part, expected_version=posted_version(request.POST)
        )
    except ValidationError as error:
        show_service_error(request, error)
        if kind == "activity":
            return redirect(part)
    except StaleEditError as error:
        messages.warning(request, str(error))
        if kind == "activity":
            return redirect(part)
    else:
        messages.success(request, _("Removed."))
    return redirect(f"{plan.get_absolute_url()}#{anchor}")


def _part_delete_view(kind: str):
    @require_POST
    def delete(request, pk):
        return _part_delete(request, kind, pk)

    delete.__name__ = f"{kind}_delete"
    return delete


need_delete = _part_delete_view("need")
area_delete = _part_delete_view("area")
state_delete = _part_delete_view("state")
activity_delete = _part_delete_view("activity")


class ActivityDetailView(ObjectPermissionMixin, DetailView):
    queryset = Activity.objects.select_related("plan", "desired_state", "team").prefetch_related(
        "owners"
    )
    template_name = "plans/activity_detail.html"
    view_permission = "plans.view_plan"  # the plan's rule, for its activity
    http_method_names = READ_ONLY

    def get_context_data(self, **kwargs) -> dict[str, Any]:
        activity = self.object
        context = {
            "plan": activity.plan,
            "owners": list(activity.owners.all()),
            **selectors.activity_page(activity, self.request.user),
        }
        return super().get_context_data(**context, **kwargs)


# --- The seven steps -----------------------------------------------------------------------------
class StepsView(PagePermissionMixin, TemplateView):
    permission_required = "plans.view_plans"
    template_name = "plans/steps.html"
    http_method_names = READ_ONLY

    def year(self) -> int:
        """The year asked for; this fiscal year when none, or not a year of the Buddhist Era."""
        try:
            year = int(self.request.GET.get("year") or fiscal_year())
        except ValueError:
            return fiscal_year()
        return year if 2400 <= year <= 2700 else fiscal_year()

    def get_context_data(self, **kwargs) -> dict[str, Any]:
        user = self.request.user
        year = self.year()
        context = {
            **selectors.steps_page(user, year),
            # The box offers the year shown even when it has no plan, so it selects that year.
            "years": sorted({*selectors.plan_years(user), year}, reverse=True),
            "steps": list(KMStep),
        }
        return super().get_context_data(**context, **kwargs)


# --- Exports -------------------------------------------------------------------------------------
class PlanExportView(PlanPageMixin, View):
    """The action plan as a file: Excel (``kind="xlsx"``) or PDF (``kind="pdf"``)."""

    kind = "xlsx"
    http_method_names = READ_ONLY

    def get(self, request, *args, **kwargs) -> HttpResponse:
        plan = self.get_plan()
        require(request.user, "plans.export_plan", plan)
        name = f"km-action-plan-{plan.fiscal_year}.{self.kind}"
        if self.kind == "pdf":
            return attachment(exports.action_plan_pdf(plan), name, "application/pdf")
        return attachment(exports.action_plan_xlsx(plan), name, exports.XLSX)
