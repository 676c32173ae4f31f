"""The pages of learning and development, one module per part."""

from django.views.generic import TemplateView

from apps.core.permissions import PagePermissionMixin

from .. import selectors


class HomeView(PagePermissionMixin, TemplateView):
    """The overview: upcoming events and the viewer's own mentoring and rotations."""

    permission_required = "learning.view_home"
    template_name = "learning/home.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**selectors.overview(self.request.user), **kwargs)
