from django.conf import settings

from . import portal


def portal_context(request):
    """What the base layout needs on every page: navigation, the search target, the office."""
    user = getattr(request, "user", None)
    items = portal.nav_items(user) if user is not None else []
    return {
        "nav_items": items,
        "nav_entries": portal.nav_entries(user, items) if user is not None else [],
        "search_url": portal.search_url(),
        "organisation_name": settings.KM_ORGANISATION_NAME,
    }
