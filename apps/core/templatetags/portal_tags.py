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


@register.filter
def clip(text, length: int) -> str:
    """The first ``length`` characters of ``text``, with "…" when it is longer: for the long
    texts a page shows the start of (a document's text, a scan's). Django's ``truncatechars``
    normalises the whole text and weighs each character in Python, which cost a document page
    more than its query (issue 20); a combining Thai vowel or tone mark counts here as one."""
    text, length = str(text), int(length)
    return text if len(text) <= length else text[: max(length - 1, 0)] + "…"
