from django.conf import settings
from django.template import loader
from django.utils import translation
from django.utils.cache import patch_vary_headers


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
