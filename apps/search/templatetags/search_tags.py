from django import template
from django.http import QueryDict

from apps.search import searching

register = template.Library()


@register.simple_tag(takes_context=True)
def related_items(context, obj, limit=5):
    """``{% related_items document as related %}``: items like ``obj`` the person may open."""
    request = context.get("request")
    if request is None:
        return []
    try:
        return searching.related(user=request.user, obj=obj, limit=limit)
    except Exception:  # related items are a convenience: never break the page for them
        return []


@register.simple_tag(takes_context=True)
def toggle_param(context, name, value):
    """The current query string with ``name=value`` added, or removed if it is there."""
    request = context["request"]
    # Not ``GET.copy()``: a deep copy for each of a page's facet links was a tenth of the page.
    query = QueryDict(mutable=True)
    for key, values in request.GET.lists():
        if key != "page":
            query.setlist(key, list(values))
    values = query.getlist(name)
    value = str(value)
    if value in values:
        values.remove(value)
    else:
        values.append(value)
    query.setlist(name, values)
    return query.urlencode()


@register.filter
def has_param(request, spec):
    """``request|has_param:"kind=document"``"""
    name, _, value = spec.partition("=")
    return value in request.GET.getlist(name)
