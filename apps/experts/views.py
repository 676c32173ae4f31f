"""The expert directory's pages: browse and filter, an entry's page, suggest, review, keep.

Views validate input and call one service; the services check permissions again and do the
writing. An entry a person may not see answers 404; one they see but may not change, 403.
Review and delete are POST-only function views.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import DetailView, ListView, UpdateView
from django_filters.views import FilterView

from apps.core.concurrency import StaleEditError, posted_version
from apps.core.links import safe_next
from apps.core.permissions import (
    ObjectPermissionMixin,
    PagePermissionMixin,
    require,
    require_visible,
    visible_or_404,
)
from apps.core.views.forms import ServiceFormMixin, ServiceFormView

from . import services
from .filters import ExpertFilter
from .forms import EngagementForm, ExpertForm, ExpertSuggestForm, ReviewForm
from .models import Engagement, Expert

VIEW = "experts.view_expert"


class ExpertListView(PagePermissionMixin, FilterView):
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


class ExpertDetailView(ObjectPermissionMixin, DetailView):
    view_permission = VIEW
    queryset = Expert.objects.select_related("person", "suggested_by", "reviewed_by")
    template_name = "experts/expert_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["areas"] = list(self.object.expertise.all())
        context["engagements"] = list(self.object.engagements.all())
        context["review_form"] = ReviewForm()
        return context


class ExpertSuggestView(PagePermissionMixin, ServiceFormView):
    permission_required = "experts.suggest_expert"
    form_class = ExpertSuggestForm
    template_name = "experts/expert_form.html"
    extra_context = {"mode": "suggest"}

    def perform(self, form) -> Expert:
        return services.expert_suggest(
            by=self.request.user,
            fields=form.expert_fields(),
            expertise=form.cleaned_data["expertise"],
        )

    def get_success_message(self) -> str:
        return _(
            "Thank you. Your suggestion of %(expert)s waits for the KM secretary's review."
        ) % {"expert": self.saved}


class ExpertCreateView(ExpertSuggestView):
    permission_required = "experts.manage_expert"
    form_class = ExpertForm
    extra_context = {"mode": "create"}

    def perform(self, form) -> Expert:
        return services.expert_create(
            by=self.request.user,
            fields=form.expert_fields(),
            expertise=form.cleaned_data["expertise"],
            new_areas=form.cleaned_data["new_areas"],
        )

    def get_success_message(self) -> str:
        return _("%(expert)s has been added to the directory.") % {"expert": self.saved}


class ExpertUpdateView(ObjectPermissionMixin, ServiceFormMixin, UpdateView):
    view_permission = VIEW
    permission_required = "experts.manage_expert"
    queryset = Expert.objects.select_related("person", "suggested_by", "reviewed_by")
    form_class = ExpertForm
    template_name = "experts/expert_form.html"
    extra_context = {"mode": "update"}
    success_message = gettext_lazy("The changes have been saved.")

    def perform(self, form) -> Expert:
        return services.expert_update(
            by=self.request.user,
            expert=self.object,
            fields=form.expert_fields(),
            expertise=form.cleaned_data["expertise"],
            new_areas=form.cleaned_data["new_areas"],
            expected_version=form.expected_version,
        )


class ExpertReviewView(PagePermissionMixin, ListView):
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
    expert = visible_or_404(Expert, request.user, VIEW, pk=pk)
    require(request.user, "experts.review_expert", expert)
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
    """Approve a suggestion (POST-only): it joins the directory."""
    return _review(request, pk, approve=True)


@require_POST
def expert_reject(request, pk):
    """Turn a suggestion down (POST-only), with the reason its suggester reads."""
    return _review(request, pk, approve=False)


@require_POST
def expert_delete(request, pk):
    """Remove an entry (POST-only)."""
    expert = visible_or_404(Expert, request.user, VIEW, pk=pk)
    require(request.user, "experts.manage_expert", expert)
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


class EngagementAddView(ServiceFormView):
    form_class = EngagementForm
    template_name = "experts/engagement_form.html"
    success_message = gettext_lazy("The talk or training has been recorded.")

    @cached_property
    def expert(self) -> Expert:
        expert = visible_or_404(Expert, self.request.user, VIEW, pk=self.kwargs["pk"])
        require(self.request.user, "experts.manage_expert", expert)
        return expert

    def dispatch(self, request, *args, **kwargs):
        self.expert  # noqa: B018 - 404 or 403 before anything else
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(expert=self.expert, **kwargs)

    def perform(self, form) -> Engagement:
        return services.engagement_add(
            by=self.request.user, expert=self.expert, fields=form.cleaned_data
        )

    def get_success_url(self) -> str:
        return self.expert.get_absolute_url()


@require_POST
def engagement_delete(request, pk):
    """Remove a talk or training recorded by mistake (POST-only)."""
    engagement = get_object_or_404(Engagement.objects.select_related("expert"), pk=pk)
    require_visible(request.user, VIEW, engagement.expert)
    require(request.user, "experts.manage_expert", engagement.expert)
    services.engagement_delete(by=request.user, engagement=engagement)
    messages.success(request, _("The talk or training has been removed."))
    return redirect(engagement.expert)
