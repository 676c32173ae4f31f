from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from apps.core import portal
from apps.core.concurrency import StaleEditError

from . import services
from .forms import ProfileForm
from .models import User


def person_detail(request, username):
    person = get_object_or_404(
        User.objects.select_related("unit"), username=username, is_active=True
    )
    panels = portal.person_panels(request, person)
    return render(request, "accounts/person_detail.html", {"person": person, "panels": panels})


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


@require_http_methods(["GET", "POST"])
def profile_edit(request):
    if request.method == "POST":
        form = ProfileForm(request.POST, request.FILES, instance=request.user)
        if form.is_valid():
            try:
                services.profile_update(form=form, expected_version=form.expected_version)
            except StaleEditError as conflict:
                form.show_conflict(conflict)
            else:
                messages.success(request, _("Your profile has been saved."))
                return redirect("accounts:profile")
        else:
            messages.error(
                request, _("The profile was not saved. Please correct the errors below.")
            )
    else:
        form = ProfileForm(instance=request.user)
    return render(request, "accounts/profile_form.html", {"form": form})
