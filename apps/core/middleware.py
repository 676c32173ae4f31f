from django.conf import settings
from django.core.exceptions import BadRequest
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
