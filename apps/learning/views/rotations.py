"""Job rotation and secondment: the records the viewer may see, one record's page, recording
and changing one (the KM roles), and what was learned with the AAR (the person or the KM roles).
A record the viewer may not see answers 404."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, ListView, UpdateView

from apps.core.permissions import ObjectPermissionMixin, PagePermissionMixin
from apps.core.views.forms import ServiceFormMixin, ServiceFormView

from .. import services
from ..forms import RotationForm, RotationReviewForm
from ..models import Rotation

VIEW = "learning.view_rotation"


class RotationListView(PagePermissionMixin, ListView):
    permission_required = "learning.view_home"
    template_name = "learning/rotation_list.html"
    context_object_name = "rotations"
    paginate_by = 20

    def get_queryset(self):
        return (
            Rotation.objects.visible_to(self.request.user)
            .select_related("person")
            .order_by("-starts_on", "-pk")
        )


class RotationDetailView(ObjectPermissionMixin, DetailView):
    view_permission = VIEW
    queryset = Rotation.objects.select_related("person", "created_by")
    template_name = "learning/rotation_detail.html"
    context_object_name = "rotation"


class RotationCreateView(PagePermissionMixin, ServiceFormView):
    permission_required = "learning.add_rotation"
    form_class = RotationForm
    template_name = "learning/form.html"
    extra_context = {"heading": _("New job rotation or secondment"), "section": "rotations"}
    success_message = _("The job rotation has been recorded.")

    def perform(self, form):
        return services.rotation_create(by=self.request.user, fields=form.cleaned_data)


class RotationUpdateView(ObjectPermissionMixin, ServiceFormMixin, UpdateView):
    view_permission = VIEW
    permission_required = "learning.change_rotation"
    queryset = Rotation.objects.select_related("person")
    form_class = RotationForm
    template_name = "learning/form.html"
    extra_context = {"heading": _("Edit the job rotation"), "section": "rotations"}
    success_message = _("The changes have been saved.")

    def perform(self, form):
        return services.rotation_update(
            by=self.request.user,
            rotation=self.object,
            fields=form.cleaned_data,
            expected_version=form.expected_version,
        )


class RotationReviewView(RotationUpdateView):
    permission_required = "learning.review_rotation"
    form_class = RotationReviewForm
    extra_context = {
        "heading": _("What was learned and the after-action review"),
        "section": "rotations",
    }

    def perform(self, form):
        return services.rotation_review(
            by=self.request.user,
            rotation=self.object,
            fields=form.cleaned_data,
            expected_version=form.expected_version,
        )
