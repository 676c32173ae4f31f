"""Mentoring (ระบบพี่เลี้ยง): the pairs the viewer may see, a pair's page with its sessions and
the skills checklist, making and changing a pair, logging a session, adding skills and the
mentor's sign-off (POST-only). A pair the viewer may not see answers 404."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import DetailView, ListView, UpdateView

from apps.core.permissions import (
    ObjectPermissionMixin,
    PagePermissionMixin,
    require,
    require_visible,
    visible_or_404,
)
from apps.core.views.forms import ServiceFormMixin, ServiceFormView

from .. import services
from ..forms import PairEditForm, PairForm, SessionForm, SkillsForm
from ..models import MentoringPair, SkillItem

VIEW = "learning.view_pair"


class PairListView(PagePermissionMixin, ListView):
    permission_required = "learning.view_home"
    template_name = "learning/pair_list.html"
    context_object_name = "pairs"
    paginate_by = 20

    def get_queryset(self):
        return (
            MentoringPair.objects.visible_to(self.request.user)
            .select_related("mentor", "mentee")
            .annotate(
                skill_count=Count("skills", distinct=True),
                signed_count=Count(
                    "skills", filter=Q(skills__signed_off_at__isnull=False), distinct=True
                ),
                session_count=Count("sessions", distinct=True),
            )
            .order_by("status", "-starts_on", "-pk")
        )


class PairDetailView(ObjectPermissionMixin, DetailView):
    view_permission = VIEW
    queryset = MentoringPair.objects.select_related("mentor", "mentee", "created_by")
    template_name = "learning/pair_detail.html"
    context_object_name = "pair"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["sessions"] = list(self.object.sessions.select_related("logged_by"))
        context["skills"] = list(self.object.skills.select_related("signed_off_by"))
        context["signed"] = sum(1 for skill in context["skills"] if skill.signed_off)
        return context


class PairCreateView(PagePermissionMixin, ServiceFormView):
    permission_required = "learning.add_pair"
    form_class = PairForm
    template_name = "learning/form.html"
    extra_context = {"heading": gettext_lazy("New mentoring pair"), "section": "mentoring"}

    def perform(self, form):
        return services.pair_create(
            by=self.request.user, fields=form.pair_fields(), skills=form.cleaned_data["skills"]
        )

    def get_success_message(self) -> str:
        return _("The mentoring pair has been made; the mentor and the mentee have been told.")


class PairUpdateView(ObjectPermissionMixin, ServiceFormMixin, UpdateView):
    view_permission = VIEW
    permission_required = "learning.change_pair"
    queryset = MentoringPair.objects.select_related("mentor", "mentee")
    form_class = PairEditForm
    template_name = "learning/form.html"
    extra_context = {"heading": gettext_lazy("Edit the mentoring pair"), "section": "mentoring"}
    success_message = gettext_lazy("The changes have been saved.")

    def perform(self, form):
        return services.pair_update(
            by=self.request.user,
            pair=self.object,
            fields=form.cleaned_data,
            expected_version=form.expected_version,
        )


class _PairFormView(ServiceFormView):
    template_name = "learning/form.html"
    permission = ""

    @cached_property
    def pair(self) -> MentoringPair:
        pair = visible_or_404(
            MentoringPair.objects.select_related("mentor", "mentee"),
            self.request.user,
            VIEW,
            pk=self.kwargs["pk"],
        )
        require(self.request.user, self.permission, pair)
        return pair

    def dispatch(self, request, *args, **kwargs):
        self.pair  # noqa: B018 - 404 or 403 before anything else
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            pair=self.pair, section="mentoring", cancel_url=self.pair.get_absolute_url(), **kwargs
        )

    def get_success_url(self) -> str:
        return self.pair.get_absolute_url()


class SessionAddView(_PairFormView):
    form_class = SessionForm
    permission = "learning.log_session"
    extra_context = {"heading": gettext_lazy("Log a mentoring session")}
    success_message = gettext_lazy("The session has been logged.")

    def perform(self, form):
        return services.session_log(
            by=self.request.user,
            pair=self.pair,
            held_on=form.cleaned_data["held_on"],
            learned=form.cleaned_data["learned"],
        )


class SkillsAddView(_PairFormView):
    form_class = SkillsForm
    permission = "learning.change_pair"
    extra_context = {"heading": gettext_lazy("Add skills to the checklist")}
    success_message = gettext_lazy("The skills have been added to the checklist.")

    def perform(self, form):
        return services.skills_add(
            by=self.request.user, pair=self.pair, skills=form.cleaned_data["skills"]
        )


@require_POST
def skill_sign_off(request, pk):
    """The mentor signs a skill off (POST-only)."""
    skill = get_object_or_404(SkillItem.objects.select_related("pair"), pk=pk)
    require_visible(request.user, VIEW, skill.pair)
    require(request.user, "learning.sign_off_skill", skill.pair)
    try:
        services.skill_sign_off(by=request.user, skill=skill)
    except ValidationError as error:
        messages.warning(request, " ".join(error.messages))
    else:
        messages.success(request, _("“%(skill)s” has been signed off.") % {"skill": skill.skill})
    return redirect(skill.pair)
