"""The landing page (the knowledge corner's home) and the error pages."""

import logging
import sys

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.utils import timezone
from django.views.decorators.csrf import requires_csrf_token
from django.views.i18n import set_language as django_set_language

from .. import diskspace, logs, portal, selectors
from ..choices import KM_STEP_DESCRIPTIONS, KMStep

logger = logging.getLogger(__name__)


def home(request):
    sections = [
        {"section": section, "items": portal.section_items(section, request)}
        for section in portal.home_sections()
    ]
    steps = [
        {"number": step.number, "label": step.label, "description": KM_STEP_DESCRIPTIONS[step]}
        for step in KMStep
    ]
    context = {"sections": sections, "km_steps": steps, "today": timezone.localdate()}
    return render(request, "core/home.html", context)


@login_not_required  # the switch works on the login page too, before anyone has signed in
def set_language(request):
    """Switch the page language; a signed-in person's choice is kept for their e-mails too."""
    response = django_set_language(request)
    user = getattr(request, "user", None)
    language = request.POST.get("language", "")
    if (
        request.method == "POST"
        and user is not None
        and user.is_authenticated
        and hasattr(user, "language")
        and language in dict(settings.LANGUAGES)
        and user.language != language
    ):
        get_user_model().objects.filter(pk=user.pk).update(language=language)
    return response


@requires_csrf_token
def server_error(request, template_name="500.html"):
    """A Thai 500 page that never depends on the database or the session.

    The page says the error was recorded only when the log file really took it (on a full
    disk it cannot); an error that means the disk is full gets the "storage full" page.
    """
    exc_info = sys.exc_info()
    recorded = logs.record_error(request, exc_info)
    if diskspace.is_disk_full(exc_info[1]):
        response = storage_full(request)
    else:
        try:
            body = loader.get_template(template_name).render({"recorded": recorded})
        except Exception:  # the error page itself must not fail
            body = "<h1>ระบบขัดข้อง / Server error</h1>"
        response = HttpResponseServerError(body)
    response._has_been_logged = True  # Django would log it a second time
    return response


def storage_full(request):
    """Writes refused because the disk is (nearly) full: a Thai page, nothing saved."""
    try:
        body = loader.get_template("storage_full.html").render()
    except Exception:  # rendering may need the disk too
        body = "<h1>พื้นที่จัดเก็บข้อมูลเต็ม / Storage full</h1>"
    response = HttpResponse(body, status=503)
    response["Retry-After"] = "600"
    return response


def csrf_failure(request, reason=""):
    """A Thai page for an expired or forged form, instead of Django's English one."""
    return render(request, "403_csrf.html", status=403)


def audit_trail(request):
    """Who changed what, and who signed in or failed to: for administrators only."""
    if not request.user.is_superuser:
        raise PermissionDenied
    page = Paginator(selectors.audit_entries(), 50).get_page(request.GET.get("page"))
    for entry in page:
        entry.change_rows, entry.more_changes = selectors.audit_change_rows(entry)
    context = {
        "page_obj": page,
        "sign_ins": selectors.recent_sign_ins(limit=20),
        "failed_sign_ins": selectors.recent_failed_sign_ins(limit=20),
    }
    return render(request, "core/audit_trail.html", context)
