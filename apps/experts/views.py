"""The expert directory's pages: browse and filter, an entry's page, suggest, review, keep.

Views validate input and call one service; the services check permissions again and do the
writing. Review and delete are POST-only function views.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import DetailView, FormView, ListView, UpdateView
from django_filters.views import FilterView
from rules.contrib.views import PermissionRequiredMixin

from apps.core.concurrency import StaleEditError, posted_version
from apps.core.links import safe_next

from . import services
from .filters import ExpertFilter
from .forms import EngagementForm, ExpertForm, ExpertSuggestForm, ReviewForm
from .models import Engagement, Expert


class KMPermissionMixin(PermissionRequiredMixin):
    # Signed-in people without the permission get the Thai 403 page; the anonymous never get
    # this far (LoginRequiredMiddleware sends them to sign in).
    raise_exception = True


def add_service_errors(form, error: ValidationError) -> None:
    """Show a service's validation errors on the form, on the field where the form has one."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


class ExpertListView(KMPermissionMixin, FilterView):
    permission_required = "experts.view_expert"
    filterset_class = ExpertFilter
    paginate_by = 20
    template_name = "experts/expert_filter.html"

    def get_queryset(self):
        return (
            Expert.objects.visible_to(self.request.user)
            .with_engagement_summary()
            .prefetch_related("expertise")
            # Aggregates drop the model's default ordering; pages need a stable one.
            .order_by("first_name", "last_name", "pk")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        params = self.request.GET.copy()
        params.pop("page", None)
        context["query_string"] = params.urlencode()
        context["filtered"] = any(params.values())
        if self.request.user.has_perm("experts.review_expert"):
            context["pending_count"] = Expert.objects.pending().count()
        return context


class ExpertObjectMixin:
    """Fetch the entry once, for both the permission check and the page."""

    queryset = Expert.objects.select_related("person", "suggested_by", "reviewed_by")

    @cached_property
    def _object(self):
        return super().get_object()

    def get_object(self, queryset=None):
        return self._object


class ExpertDetailView(KMPermissionMixin, ExpertObjectMixin, DetailView):
    permission_required = "experts.view_expert"
    template_name = "experts/expert_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["areas"] = list(self.object.expertise.all())
        context["engagements"] = list(self.object.engagements.all())
        context["review_form"] = ReviewForm()
        return context


class ExpertSuggestView(KMPermissionMixin, FormView):
    permission_required = "experts.suggest_expert"
    form_class = ExpertSuggestForm
    template_name = "experts/expert_form.html"
    extra_context = {"mode": "suggest"}

    def save(self, form) -> Expert:
        return services.expert_suggest(
            by=self.request.user,
            fields=form.expert_fields(),
            expertise=form.cleaned_data["expertise"],
        )

    def success_message(self, expert: Expert) -> str:
        return _(
            "Thank you. Your suggestion of %(expert)s waits for the KM secretary's review."
        ) % {"expert": expert}

    def form_valid(self, form):
        try:
            expert = self.save(form)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message(expert))
        return redirect(expert)

    def form_invalid(self, form):
        messages.error(self.request, _("Nothing was saved. Please correct the errors below."))
        return super().form_invalid(form)


class ExpertCreateView(ExpertSuggestView):
    permission_required = "experts.manage_expert"
    form_class = ExpertForm
    extra_context = {"mode": "create"}

    def save(self, form) -> Expert:
        return services.expert_create(
            by=self.request.user,
            fields=form.expert_fields(),
            expertise=form.cleaned_data["expertise"],
            new_areas=form.cleaned_data["new_areas"],
        )

    def success_message(self, expert: Expert) -> str:
        return _("%(expert)s has been added to the directory.") % {"expert": expert}


class ExpertUpdateView(KMPermissionMixin, ExpertObjectMixin, UpdateView):
    permission_required = "experts.manage_expert"
    form_class = ExpertForm
    template_name = "experts/expert_form.html"
    extra_context = {"mode": "update"}

    def form_valid(self, form):
        try:
            expert = services.expert_update(
                by=self.request.user,
                expert=self.object,
                fields=form.expert_fields(),
                expertise=form.cleaned_data["expertise"],
                new_areas=form.cleaned_data["new_areas"],
                expected_version=form.expected_version,
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        except StaleEditError as conflict:
            form.show_conflict(conflict)
            return self.render_to_response(self.get_context_data(form=form))
        messages.success(self.request, _("The changes have been saved."))
        return redirect(expert)

    def form_invalid(self, form):
        messages.error(self.request, _("Nothing was saved. Please correct the errors below."))
        return super().form_invalid(form)


class ExpertReviewView(KMPermissionMixin, ListView):
    """The suggestions waiting for the KM office, oldest first."""

    permission_required = "experts.review_expert"
    template_name = "experts/expert_review.html"
    context_object_name = "suggestions"
    paginate_by = 20

    def get_queryset(self):
        return (
            Expert.objects.pending()
            .select_related("suggested_by", "person")
            .prefetch_related("expertise")
            .order_by("created_at", "pk")
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(review_form=ReviewForm(), **kwargs)


def _review(request, pk, *, approve: bool):
    expert = get_object_or_404(Expert, pk=pk)
    if not request.user.has_perm("experts.review_expert", expert):
        raise PermissionDenied
    back = safe_next(request, expert.get_absolute_url())
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The review was not saved: the note is too long."))
        return redirect(back)
    note = form.cleaned_data["note"]
    version = posted_version(request.POST)
    try:
        if approve:
            services.expert_approve(
                by=request.user, expert=expert, note=note, expected_version=version
            )
            messages.success(request, _("%(expert)s is now in the directory.") % {"expert": expert})
        else:
            services.expert_reject(
                by=request.user, expert=expert, note=note, expected_version=version
            )
            messages.success(
                request, _("The suggestion of %(expert)s was turned down.") % {"expert": expert}
            )
    except (services.ReviewError, StaleEditError) as error:
        messages.warning(request, str(error))
    except ValidationError as error:
        messages.error(
            request,
            _("The suggestion was not turned down: %(reason)s")
            % {"reason": " ".join(error.messages)},
        )
    return redirect(back)


@require_POST
def expert_approve(request, pk):
    return _review(request, pk, approve=True)


@require_POST
def expert_reject(request, pk):
    return _review(request, pk, approve=False)


@require_POST
def expert_delete(request, pk):
    expert = get_object_or_404(Expert, pk=pk)
    if not request.user.has_perm("experts.manage_expert", expert):
        raise PermissionDenied
    name = str(expert)
    try:
        services.expert_delete(
            by=request.user, expert=expert, expected_version=posted_version(request.POST)
        )
    except StaleEditError as error:
        messages.warning(request, str(error))
        return redirect(expert)
    messages.success(
        request, _("%(expert)s has been removed from the directory.") % {"expert": name}
    )
    return redirect("experts:list")


class EngagementAddView(KMPermissionMixin, FormView):
    permission_required = "experts.manage_expert"
    form_class = EngagementForm
    template_name = "experts/engagement_form.html"

    @cached_property
    def expert(self) -> Expert:
        return get_object_or_404(Expert, pk=self.kwargs["pk"])

    def get_permission_object(self):
        return self.expert

    def get_context_data(self, **kwargs):
        return super().get_context_data(expert=self.expert, **kwargs)

    def form_valid(self, form):
        try:
            services.engagement_add(
                by=self.request.user, expert=self.expert, fields=form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The talk or training has been recorded."))
        return redirect(self.expert)

    def form_invalid(self, form):
        messages.error(self.request, _("Nothing was saved. Please correct the errors below."))
        return super().form_invalid(form)


@require_POST
def engagement_delete(request, pk):
    engagement = get_object_or_404(Engagement.objects.select_related("expert"), pk=pk)
    if not request.user.has_perm("experts.manage_expert", engagement.expert):
        raise PermissionDenied
    services.engagement_delete(by=request.user, engagement=engagement)
    messages.success(request, _("The talk or training has been removed."))
    return redirect(engagement.expert)
