import logging

from auditlog.middleware import AuditlogMiddleware as BaseAuditlogMiddleware
from django.conf import settings
from django.core.exceptions import BadRequest
from django.template import loader
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers

from .text import has_nul


class ThaiFirstLocaleMiddleware:
    """Thai unless the person chose English with the language menu (a cookie).

    Django's ``LocaleMiddleware`` would follow the browser's Accept-Language, and many office
    computers run an English Windows: staff would get an English portal they never asked for.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response


class ErrorPageMiddleware:
    """Thai pages for the errors Django answers with an empty body.

    ``require_POST`` and friends answer a GET with an empty 405, a blank page to whoever
    followed an old link. The 400, 403, 404 and 500 pages are Django's error handlers.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        blank = not getattr(response, "streaming", False) and not response.content
        if response.status_code == 405 and blank:
            response.content = loader.get_template("405.html").render()
            response["Content-Type"] = "text/html; charset=utf-8"
        return response


class DiskSpaceMiddleware:
    """Refuse writes while the data folder's disk is nearly full (``KM_MIN_FREE_MB``).

    Checked before anything reads the body, so a refused upload is never spooled to disk. A
    request that writes is refused when its body would leave less than the reserve free; signing
    in and out and the language switch (a few hundred bytes) still pass, so people can read.
    An error raised because the disk filled up anyway gets the same page instead of a 500.
    """

    SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}

    def __init__(self, get_response):
        self.get_response = get_response
        self.small_writes = {reverse(name) for name in ("login", "logout", "set_language")}

    def __call__(self, request):
        if request.method not in self.SAFE_METHODS and request.path not in self.small_writes:
            from . import diskspace, views

            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if not diskspace.has_room(length):
                return views.storage_full(request)
        return self.get_response(request)

    def process_exception(self, request, exception):
        from . import diskspace, views

        if diskspace.is_disk_full(exception):
            logging.getLogger("django.request").error(
                "Storage full: %s", request.path, exc_info=exception
            )
            return views.storage_full(request)
        return None


class PrivatePagesMiddleware:
    """Nothing shown to a signed-in person is kept by a browser or a proxy (``no-store``).

    On a shared office computer the browser's cache would otherwise keep restricted pages and
    files after sign-out. Static files are answered by WhiteNoise before this runs.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response["Cache-Control"] = "private, no-store"
        return response


class AuditlogMiddleware(BaseAuditlogMiddleware):
    """django-auditlog's middleware with the client address we trust (``apps.core.clientip``);
    its own takes the left-most ``X-Forwarded-For`` entry, which anyone can write."""

    @staticmethod
    def _get_remote_addr(request):
        from .clientip import client_ip

        return client_ip(request)


class RejectNulMiddleware:
    """Answer 400 to a request with a NUL character (``%00``) in its path, query, form values,
    cookies or headers.

    PostgreSQL refuses NUL in text, so a NUL that reached any lookup (``/people/a%00b/``, a
    search box, a username at sign-in, a session cookie) used to end in a server error. No
    legitimate page, form or browser sends one, so the request is refused before any view, form
    or middleware that reads the database sees it. Django's form fields refuse NUL too (with a
    message), for input that arrives some other way.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _request_has_nul(request):
            raise BadRequest("NUL character in the request")
        return self.get_response(request)


def _request_has_nul(request) -> bool:
    if has_nul(request.path_info):
        return True
    for name, value in request.META.items():
        if name.startswith("HTTP_") and isinstance(value, str) and has_nul(value):
            return True
    if any(has_nul(name) or has_nul(value) for name, value in request.COOKIES.items()):
        return True
    try:
        form_data, file_names = (request.GET, request.POST), list(request.FILES)
    except OSError:  # the client went away mid-upload; Django's own handling follows
        form_data, file_names = (request.GET,), []
    for data in form_data:
        for name, values in data.lists():
            if has_nul(name) or any(isinstance(v, str) and has_nul(v) for v in values):
                return True
    return any(has_nul(name) for name in file_names)
