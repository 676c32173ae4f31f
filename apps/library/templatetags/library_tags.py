"""The library list's repeated parts written in Python: the category tree and the document
cards. As template includes in loops (one include per node and per card, the tree recursing
through its own include) they were a third of the list page's time (issue 20). Each value is
rendered as a template variable is (``render_value_in_context``: localised, escaped); the
markup is the templates' own, compared in ``tests/library/test_list_markup.py``. And
``keep_body``, which keeps the list page's rendered body (``pagecache``)."""

from __future__ import annotations

from django import template
from django.template.base import render_value_in_context
from django.template.defaultfilters import filesizeformat
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from apps.core.thaidates import format_date_long

from .. import pagecache

register = template.Library()


class KeepBodyNode(template.Node):
    def __init__(self, nodelist, key):
        self.nodelist, self.key = nodelist, key

    def render(self, context) -> str:
        body = self.nodelist.render(context)
        key = self.key.resolve(context)
        if key:
            pagecache.keep(key, mark_safe(body))  # rendered (and escaped) just now
        return body


@register.tag
def keep_body(parser, token):
    """``{% keep_body key %}...{% endkeep_body %}``: renders what it holds and keeps it under
    ``key`` (``pagecache``); the view shows a kept body instead of rendering it again."""
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("keep_body takes one argument: the key")
    nodelist = parser.parse(("endkeep_body",))
    parser.delete_first_token()
    return KeepBodyNode(nodelist, parser.compile_filter(bits[1]))


@register.simple_tag(takes_context=True)
def category_nodes(context, nodes) -> str:
    """The ``<li>`` of each node, its branches nested in a ``<ul>``; the chosen category bold."""
    request = context.get("request")
    chosen = request.GET.get("category") if request is not None else None
    out: list[str] = []

    def write(node) -> None:
        category = node.category
        bold = " fw-semibold" if chosen == str(category.pk) else ""
        url = render_value_in_context(category.get_absolute_url(), context)
        name = render_value_in_context(category.name, context)
        count = render_value_in_context(node.count, context)
        out.append(
            f'<li>\n  <a href="{url}" class="d-flex justify-content-between{bold}"><span>{name}'
            f'</span><span class="badge text-bg-light">{count}</span></a>\n  '
        )
        if node.children:
            out.append('<ul class="list-unstyled ms-3">')
            for child in node.children:
                write(child)
            out.append("</ul>")
        out.append("\n</li>\n")

    for node in nodes:
        write(node)
    return mark_safe("".join(out))  # every value is escaped above


@register.simple_tag(takes_context=True)
def document_card(context, document) -> str:
    """A document's card in the list: title, type, number, agency, date, shelf, main file."""

    def show(value) -> str:
        return render_value_in_context(value, context)

    details = []
    if document.number:
        label = show(gettext("No."))  # outside the f-string, where makemessages finds it
        details.append(f'<span class="me-2">{label} {show(document.number)}</span>')
    details.append("\n    ")
    if document.agency:
        details.append(f'<span class="me-2">{show(document.agency)}</span>')
    details.append("\n    ")
    if document.issued_on:
        details.append(
            '<span class="me-2"><i class="bi bi-calendar3" aria-hidden="true"></i> '
            f"{show(format_date_long(document.issued_on))}</span>"
        )
    details.append("\n    ")
    if document.category:
        details.append(
            '<span class="me-2"><i class="bi bi-folder2" aria-hidden="true"></i> '
            f"{show(document.category)}</span>"
        )
    details.append("\n    ")
    for stored in document.files.all():
        if stored.is_main:
            details.append(
                '<span class="me-2"><i class="bi bi-file-earmark" aria-hidden="true"></i> '
                f"{show(stored.kind_label)} · {show(filesizeformat(stored.size))}</span>"
            )
    notes = []
    if document.replaced_by_id:
        replaced = show(gettext("Replaced by a newer document"))
        notes.append(
            '<div class="small text-danger"><i class="bi bi-exclamation-triangle" '
            f'aria-hidden="true"></i> {replaced}</div>'
        )
    notes.append("\n  ")
    if document.access != "all":
        notes.append(
            '<div class="small"><span class="badge text-bg-warning">'
            f"{show(document.get_access_display())}</span></div>"
        )
    html = (
        '\n<div class="card-body py-2">\n'
        '  <div class="d-flex flex-wrap justify-content-between gap-2">\n'
        f'    <h2 class="h6 mb-1"><a href="{show(document.get_absolute_url())}">'
        f"{show(document.title)}</a></h2>\n"
        '    <span class="badge text-bg-light border align-self-start">'
        f"{show(document.get_doc_type_display())}</span>\n"
        "  </div>\n"
        '  <div class="small text-secondary">\n'
        f"    {''.join(details)}\n"
        "  </div>\n"
        f"  {''.join(notes)}\n"
        "</div>\n"
    )
    return mark_safe(html)  # every value is escaped above
