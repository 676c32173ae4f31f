import functools
from html import escape
from urllib.parse import quote_plus

from django import template
from django.conf import settings
from django.http import QueryDict
from django.template.base import render_value_in_context
from django.utils.functional import Promise
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from apps.core.templatetags.thai import thai_date
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
    return _toggled(context["request"].GET, name, value)


def _toggled(params: QueryDict, name, value) -> str:
    return _Toggles(params, name).toggled(str(value))


class _Toggles:
    """The current query string (without ``page``) with one value of ``name`` added, or
    removed if it is there, for every value of a facet: exactly ``QueryDict.urlencode`` of the
    changed copy, but the other parameters are encoded once per facet rather than once per
    value (a copy and an ``urlencode`` for each link were half of the facets' time, issue 20)."""

    def __init__(self, params: QueryDict, name: str):
        self.encoding = params.encoding
        self.name = name
        before: list[str] = []
        after: list[str] = []
        self.values: list[str] = []
        seen = False
        for key, values in params.lists():
            if key == "page":
                continue
            if key == name:
                seen, self.values = True, [str(v) for v in values]
            else:
                (after if seen else before).extend(self._pair(key, v) for v in values)
        self.before, self.after = "&".join(before), "&".join(after)
        self.chosen = set(self.values)
        self.current = [self._pair(name, v) for v in self.values]

    def _pair(self, key: str, value) -> str:
        return f"{_quoted(key, self.encoding)}={_quoted(str(value), self.encoding)}"

    def toggled(self, value: str) -> str:
        if value in self.chosen:
            pairs = list(self.current)
            del pairs[self.values.index(value)]
        else:
            pairs = [*self.current, self._pair(self.name, value)]
        return "&".join(part for part in (self.before, "&".join(pairs), self.after) if part)


#: Longest parameter value kept quoted: a facet's values are short; what a person typed in the
#: search box may be a long question, quoted as it comes, so that a worker keeps no more than
#: ``QUOTED_KEPT`` short strings.
QUOTED_LONGEST, QUOTED_KEPT = 100, 2048


def _quoted(text: str, encoding: str) -> str:
    """``quote_plus`` of a parameter's name or value: a facet's values (its categories, years,
    types) come back on every search page, each quoted once rather than on every page."""
    if len(text) > QUOTED_LONGEST:
        return quote_plus(text.encode(encoding))
    return _quoted_kept(text, encoding)


@functools.lru_cache(maxsize=QUOTED_KEPT)
def _quoted_kept(text: str, encoding: str) -> str:
    return quote_plus(text.encode(encoding))


@register.filter
def has_param(request, spec):
    """``request|has_param:"kind=document"``"""
    name, _, value = spec.partition("=")
    return value in request.GET.getlist(name)


@register.simple_tag(takes_context=True)
def search_facet(context, title, name, rows) -> str:
    """One facet of the search page: its values, each a link that adds or removes it.

    Written here rather than as a template include with a loop (issue 20: the facets' links
    were a fifth of the page's template time). The markup is the include's, which is kept as
    the reference in ``tests/search/markup/facet.html`` and compared in the tests; every value
    is rendered as a template variable is (``render_value_in_context``: localised, escaped).
    """
    if not rows:
        return mark_safe("\n\n")
    toggles = _Toggles(context["request"].GET, name)
    out = [
        f'\n\n<section class="mb-3 facet" data-facet="{render_value_in_context(name, context)}">\n'
        f'  <h2 class="h6 text-uppercase text-secondary">{render_value_in_context(title, context)}'
        '</h2>\n  <ul class="list-unstyled mb-0">\n    '
    ]
    for row in rows:
        value = str(row["value"])
        on = value in toggles.chosen
        href = escape(toggles.toggled(value))
        label = _shown(row["label"], context)
        count = _shown(row["count"], context)
        out.append(
            '\n    \n    <li><a class="d-flex justify-content-between gap-2 text-decoration-none'
            + (" fw-semibold" if on else "")
            + f'" href="?{href}"'
            + (' aria-current="true"' if on else "")
            + ">\n      <span>"
            + (
                '<i class="bi bi-check2-square" aria-hidden="true"></i>'
                if on
                else '<i class="bi bi-square" aria-hidden="true"></i>'
            )
            + f' {label}</span><span class="badge text-bg-light">{count}</span>\n    </a></li>\n'
            "    \n    "
        )
    out.append("\n  </ul>\n</section>\n\n")
    return mark_safe("".join(out))


def _shown(value, context) -> str:
    """``render_value_in_context(value, context)``, with its answer for a plain string (a
    label, a title, a year), an escaped one (a snippet), a translated label or a count given at
    once: localising a string leaves it as it is, escaping leaves an escaped one as it is, and
    a whole number is written in plain digits unless thousands are to be grouped."""
    kind = type(value)
    if kind is str:  # ``conditional_escape`` is Django's ``escape``: ``html.escape``, marked safe
        return escape(value) if context.autoescape else value
    if kind is SafeString:  # escaped already (a snippet): as it is either way
        return value
    if isinstance(value, Promise):  # a translated label: localising leaves its text as it is
        text = str(value)
        return escape(text) if context.autoescape and not hasattr(text, "__html__") else text
    if kind is int and not settings.USE_THOUSAND_SEPARATOR:
        return str(value)
    return render_value_in_context(value, context)


@register.simple_tag(takes_context=True)
def search_result(context, result) -> str:
    """One hit of the search page: its kind, type, number and date, title, section and snippet.

    Written here rather than in the page's loop (issue 20), as ``search_facet`` is; the markup
    is the loop's, kept as the reference in ``tests/search/markup/result.html`` and compared in
    the tests. Every value is rendered as a template variable is (localised, escaped); the
    record's optional attributes are looked up as the template looked them up."""

    def shown(value) -> str:
        return _shown(value, context)

    obj = result.obj
    line = (
        f'<i class="bi bi-{shown(result.icon)}" aria-hidden="true"></i> {shown(result.kind_label)}'
    )
    if doc_type := _looked_up(obj, "get_doc_type_display"):
        line += f" · {shown(doc_type)}"
    if number := _looked_up(obj, "number"):
        label = gettext("No.")  # outside the f-string, where makemessages finds it
        line += f" · {shown(label)} {shown(number)}"
    if result.date:
        line += f" · {shown(thai_date(result.date))}"
    url = shown(result.url)
    heading = f'<a href="{url}">{shown(result.title)}</a>'
    if result.section:
        opens = gettext("Opens at this section")
        heading += (
            ' <a class="badge text-bg-light border text-decoration-none fw-normal search-section"'
            f' href="{url}" title="{shown(opens)}">'
            f"{shown(result.section)}</a>"
        )
    snippet = f'<p class="small mb-0 snippet">{shown(result.snippet)}</p>' if result.snippet else ""
    return mark_safe(
        f'<li class="mb-3 pb-3 border-bottom search-result" data-kind="{shown(result.kind)}">\n'
        f'        <div class="small text-secondary mb-1">{line}</div>\n'
        f'        <h2 class="h6 mb-1">{heading}</h2>\n'
        f"        {snippet}\n"
        "      </li>"
    )


def _looked_up(obj, name: str):
    """``obj.<name>`` as a template variable finds it: called when it is a method, None when
    there is no such attribute (or a method that must not be called from a template)."""
    value = getattr(obj, name, None)
    if callable(value):
        if getattr(value, "do_not_call_in_templates", False):
            return value
        if getattr(value, "alters_data", False):
            return None
        try:
            value = value()
        except TypeError:  # needs arguments: the template rendered nothing
            return None
    return value
