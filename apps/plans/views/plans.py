"""The yearly plan's pages: the list of years, a plan, its rows, its workflow and history, the
seven-steps page and the exports."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from apps.core.choices import KMStep
from apps.core.concurrency import StaleEditError, posted_version
from apps.core.thaidates import fiscal_year

from .. import exports, selectors
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
from .common import download, invalid, plan_for_year, require, require_to_edit, service_error


# --- Plans ---------------------------------------------------------------------------------------
@require_safe
def plan_list(request):
    require(request, "plans.view_plans")
    plans = (
        Plan.objects.visible_to(request.user)
        .select_related("approved_by")
        .annotate(
            activity_count=Count("activities", distinct=True),
            done_count=Count("activities", filter=Q(activities__status="done"), distinct=True),
        )
        .order_by("-fiscal_year")
    )
    return render(
        request,
        "plans/plan_list.html",
        {"plans": plans, "current_year": fiscal_year()},
    )


@require_http_methods(["GET", "POST"])
def plan_create(request):
    require(request, "plans.add_plan")
    form = PlanForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                plan = services.plan_create(
                    form=form, by=request.user, copy_from=form.previous_plan()
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The draft plan has been created."))
                return redirect(plan)
        invalid(request)
    return render(request, "plans/plan_form.html", {"form": form})


@require_safe
def plan_detail(request, year):
    plan = plan_for_year(year)
    require(request, "plans.view_plan", plan)
    context = {"plan": plan, **selectors.plan_page(plan)}
    return render(request, "plans/plan_detail.html", context)


@require_http_methods(["GET", "POST"])
def plan_update(request, year):
    plan = plan_for_year(year)
    require_to_edit(request, "plans.change_plan", plan, role="plans.add_plan")
    form = PlanForm(request.POST or None, instance=plan)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.plan_update(
                    form=form, by=request.user, expected_version=form.expected_version
                )
            except ValidationError as error:
                service_error(request, error, form)
            except StaleEditError as conflict:
                form.show_conflict(conflict)
            else:
                messages.success(request, _("The plan has been saved."))
                return redirect(plan)
        else:
            invalid(request)
    return render(request, "plans/plan_form.html", {"form": form, "plan": plan})


def _transition(request, year, perm, action, success, *, form_class=NoteForm):
    plan = plan_for_year(year)
    require(request, perm, plan)
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("note", [])) or _("Add a note."))
        return redirect(plan)
    try:
        action(
            plan=plan,
            by=request.user,
            note=form.cleaned_data["note"],
            expected_version=posted_version(request.POST),
        )
    except ValidationError as error:
        service_error(request, error)
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
        lambda plan, by, note, expected_version: services.plan_submit(
            plan=plan, by=by, expected_version=expected_version
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
        lambda plan, by, note, expected_version: services.plan_open_revision(
            plan=plan, by=by, reason=note, expected_version=expected_version
        ),
        _("A revision is open. The approved version stays in force until the CKO approves it."),
        form_class=RequiredNoteForm,
    )


@require_safe
def plan_history(request, year):
    plan = plan_for_year(year)
    require(request, "plans.view_plan", plan)
    return render(
        request, "plans/plan_history.html", {"plan": plan, **selectors.plan_history(plan)}
    )


# --- Rows of the plan ----------------------------------------------------------------------------
PARTS = {
    # kind: (model, form, the section of the plan's page it belongs to)
    "need": (KnowledgeNeed, KnowledgeNeedForm, "inventory"),
    "area": (FocusArea, FocusAreaForm, "focus"),
    "state": (DesiredState, DesiredStateForm, "focus"),
    "activity": (Activity, ActivityForm, "action-plan"),
}


def _part_edit(request, kind: str, *, year=None, pk=None):
    model, form_class, anchor = PARTS[kind]
    if pk is not None:
        part = get_object_or_404(model.objects.select_related("plan"), pk=pk)
        plan = part.plan
    else:
        part, plan = None, plan_for_year(year)
    require_to_edit(request, "plans.change_plan", plan, role="plans.add_plan")
    form = form_class(request.POST or None, instance=part, plan=plan)
    if request.method == "POST":
        if form.is_valid():
            try:
                part = services.part_save(
                    form=form, plan=plan, by=request.user, expected_version=form.expected_version
                )
            except ValidationError as error:
                service_error(request, error, form)
            except StaleEditError as conflict:
                form.show_conflict(conflict)
            else:
                messages.success(request, _("Saved."))
                if kind == "activity":
                    return redirect(part)
                return redirect(f"{plan.get_absolute_url()}#{anchor}")
        else:
            invalid(request)
    context = {"form": form, "plan": plan, "part": part, "kind": kind, "anchor": anchor}
    return render(request, "plans/part_form.html", context)


def _part_delete(request, kind: str, pk: int):
    model, _form, anchor = PARTS[kind]
    part = get_object_or_404(model.objects.select_related("plan"), pk=pk)
    plan = part.plan
    require(request, "plans.change_plan", plan)
    try:
        services.part_delete(
            part=part, by=request.user, expected_version=posted_version(request.POST)
        )
    except ValidationError as error:
        service_error(request, error)
        if kind == "activity":
            return redirect(part)
    except StaleEditError as error:
        messages.warning(request, str(error))
        if kind == "activity":
            return redirect(part)
    else:
        messages.success(request, _("Removed."))
    return redirect(f"{plan.get_absolute_url()}#{anchor}")


def _part_views(kind: str):
    @require_http_methods(["GET", "POST"])
    def create(request, year):
        return _part_edit(request, kind, year=year)

    @require_http_methods(["GET", "POST"])
    def update(request, pk):
        return _part_edit(request, kind, pk=pk)

    @require_POST
    def delete(request, pk):
        return _part_delete(request, kind, pk)

    return create, update, delete


need_create, need_update, need_delete = _part_views("need")
area_create, area_update, area_delete = _part_views("area")
state_create, state_update, state_delete = _part_views("state")
activity_create, activity_update, activity_delete = _part_views("activity")


@require_safe
def activity_detail(request, pk):
    activity = get_object_or_404(
        Activity.objects.select_related("plan", "desired_state", "team").prefetch_related("owners"),
        pk=pk,
    )
    require(request, "plans.view_plan", activity.plan)
    context = {
        "activity": activity,
        "plan": activity.plan,
        "owners": list(activity.owners.all()),
        **selectors.activity_page(activity, request.user),
    }
    return render(request, "plans/activity_detail.html", context)


# --- The seven steps -----------------------------------------------------------------------------
@require_safe
def steps_overview(request):
    require(request, "plans.view_plans")
    try:
        year = int(request.GET.get("year") or fiscal_year())
    except ValueError:
        year = fiscal_year()
    if not 2400 <= year <= 2700:
        year = fiscal_year()
    context = {
        **selectors.steps_page(request.user, year),
        # The box offers the year shown even when it has no plan, so it selects that year.
        "years": sorted({*selectors.plan_years(request.user), year}, reverse=True),
        "steps": list(KMStep),
    }
    return render(request, "plans/steps.html", context)


# --- Exports -------------------------------------------------------------------------------------
@require_safe
def export_xlsx(request, year):
    plan = plan_for_year(year)
    require(request, "plans.export_plan", plan)
    return download(
        exports.action_plan_xlsx(plan),
        f"km-action-plan-{plan.fiscal_year}.xlsx",
        exports.XLSX,
    )


@require_safe
def export_pdf(request, year):
    plan = plan_for_year(year)
    require(request, "plans.export_plan", plan)
    return download(
        exports.action_plan_pdf(plan), f"km-action-plan-{plan.fiscal_year}.pdf", "application/pdf"
    )
