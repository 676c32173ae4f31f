from django.conf import settings
from django.urls import get_script_prefix

from . import portal


def portal_context(request):
    """What the base layout needs on every page: navigation, the search target, the office.

    ``nav_key`` names what the navigation bar's kept parts are drawn from (``navbar.html``): the
    entries this person sees, the page, the address prefix."""
    user = getattr(request, "user", None)
    items = portal.nav_items(user) if user is not None else []
    match = getattr(request, "resolver_match", None)
    return {
        "nav_items": items,
        "nav_entries": portal.nav_entries(user, items) if user is not None else [],
        "nav_key": "|".join(
            [get_script_prefix(), match.view_name if match else "", *(i.url_name for i in items)]
        ),
        "search_url": portal.search_url(),
        "organisation_name": settings.KM_ORGANISATION_NAME,
    }
