"""People's pages, their photos and one's own profile."""

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, UpdateView

from apps.core import portal
from apps.core.views.forms import ServiceFormMixin

from . import services
from .forms import ProfileForm
from .models import User


class PersonDetailView(DetailView):
    """A member of staff's page: their details and what each app shows about them (their
    teams, their documents ...; see ``apps.core.portal``)."""

    queryset = User.objects.select_related("unit").filter(is_active=True)
    slug_field = slug_url_kwarg = "username"
    context_object_name = "person"
    template_name = "accounts/person_detail.html"

    def get_context_data(self, **kwargs):
        panels = portal.person_panels(self.request, self.object)
        return super().get_context_data(panels=panels, **kwargs)


def person_photo(request, username):
    """Photos are served to signed-in staff only, through Django rather than a public folder."""
    person = get_object_or_404(User, username=username, is_active=True)
    if not person.photo:
        raise Http404
    try:
        handle = person.photo.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def my_profile(request):
    return redirect(request.user)


class ProfileEditView(ServiceFormMixin, UpdateView):
    """A person's own profile; ``profile_update`` saves it."""

    form_class = ProfileForm
    template_name = "accounts/profile_form.html"
    success_url = reverse_lazy("accounts:profile")
    success_message = gettext_lazy("Your profile has been saved.")

    def get_object(self, queryset=None) -> User:
        return self.request.user

    def perform(self, form) -> User:
        return services.profile_update(
            by=self.request.user,
            person=self.object,
            fields=form.profile_fields(),
            photo=form.new_photo(),
            clear_photo=form.cleared_photo(),
            expected_version=form.expected_version,
        )
