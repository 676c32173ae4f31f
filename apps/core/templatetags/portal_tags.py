from django import template

register = template.Library()


@register.filter
def nav_active(entry, request) -> bool:
    """Whether the page shown is one of a navigation entry's links."""
    match = getattr(request, "resolver_match", None)
    return entry.is_active(match.view_name if match else None)


@register.filter
def absolute(path: str) -> str:
    """A path on the site's configured address (``KM_SITE_URL``): for links in e-mails."""
    from apps.core.links import absolute_url

    return absolute_url(str(path))
