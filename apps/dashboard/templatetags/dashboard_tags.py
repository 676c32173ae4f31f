from django import template
from django.template.base import render_value_in_context
from django.utils.safestring import mark_safe

register = template.Library()

# What follows each row in ``dashboard/includes/table.html`` (the loop's own indentation).
ROW_END = "</tr>\n          "
# Values rendered the same wherever they appear (no lazy translations, dates or models).
_PLAIN = frozenset({int, float, str})


@register.filter
def dashboard_url(scope, name: str) -> str:
    """``{{ scope|dashboard_url:"dashboard:office_xlsx" }}``: the page with the same filters."""
    return scope.url(name)


@register.simple_tag(takes_context=True)
def figure_rows(context, table) -> str:
    """The rows of a figure's table: the first cell a row header, numbers right-aligned, a cell
    with a list behind it a link.

    Written here rather than as template loops: the office dashboard has hundreds of cells, and
    the loops were a fifth of its time (issue 20). Every value is rendered as a template variable
    is (``render_value_in_context``: localised, escaped).
    """
    out = []
    # Most cells are small numbers and the same few words: each distinct value of a plain type
    # is rendered once a table (the rendering depends only on the value and the context).
    rendered: dict = {}

    def render(value) -> str:
        kind = type(value)
        if kind not in _PLAIN:
            return render_value_in_context(value, context)
        key = (kind, value)
        if key not in rendered:
            rendered[key] = render_value_in_context(value, context)
        return rendered[key]

    for row in table.rows:
        out.append("<tr>")
        for index, cell in enumerate(row):
            if index == 0:
                out.append('<th scope="row" class="fw-normal">')
            elif cell.numeric:
                out.append('<td class="text-end km-num">')
            elif cell.nowrap:
                out.append('<td class="text-nowrap">')
            else:
                out.append("<td>")
            value = render(cell.value)
            if cell.url:
                url = render(cell.url)
                out.append(f'<a href="{url}">{value}</a>')
            else:
                out.append(value)
            out.append("</th>" if index == 0 else "</td>")
        out.append(ROW_END)
    return mark_safe("".join(out))  # every value is escaped above
