"""The figure tables' rows, written by ``{% figure_rows %}``, are what the template loops wrote
(issue 20: the loops were a fifth of the office dashboard's time)."""

import datetime as dt

from django.template import Context, Template
from django.utils.safestring import mark_safe

from apps.dashboard.tables import Cell, Table, day, num, text

# The loops ``dashboard/includes/table.html`` had before the tag.
LOOPS = (
    '{% for row in table.rows %}<tr>{% for cell in row %}{% if forloop.first %}<th scope="row" '
    'class="fw-normal">{% else %}<td{% if cell.numeric %} class="text-end km-num"{% elif '
    'cell.nowrap %} class="text-nowrap"{% endif %}>{% endif %}{% if cell.url %}<a href="{{ '
    'cell.url }}">{{ cell.value }}</a>{% else %}{{ cell.value }}{% endif %}{% if forloop.first '
    "%}</th>{% else %}</td>{% endif %}{% endfor %}</tr>\n          {% endfor %}"
)


def test_the_rows_are_the_loops_markup():
    table = Table(
        "t",
        "Title",
        ["Name", "Count", "When"],
        [
            [text("<script>&", "/a/?x=1&y=<2>"), num(12345, "/list/?k=1"), day("12 มี.ค. 69")],
            [text(mark_safe("<b>safe</b>")), num(None), Cell(dt.date(2026, 3, 12))],
            [text("ไทย"), num(2.5), text(None)],
            [text(""), num(0, ""), Cell(7, "", numeric=True, nowrap=True)],
        ],
    )
    context = {"table": table}
    tag = Template("{% load dashboard_tags %}{% figure_rows table %}").render(Context(context))
    assert '<a href="/a/?x=1&amp;y=&lt;2&gt;">&lt;script&gt;&amp;</a></th>' in tag
    assert tag == Template(LOOPS).render(Context(context))


def test_no_rows_no_markup():
    table = Table("t", "Title", ["Name"], [])
    assert Template("{% load dashboard_tags %}{% figure_rows table %}").render(
        Context({"table": table})
    ) == Template(LOOPS).render(Context({"table": table}))


def test_repeated_values_render_as_the_loops_do():
    """Values rendered once a table: equal values of other types, or marked safe, stay apart."""
    table = Table(
        "t",
        "Title",
        ["Name", "A", "B", "C"],
        [
            [text("<x>"), num(1), num(1.0), num(True)],
            [text(mark_safe("<x>")), num(1, "/l/?a=1&b=2"), num(1.0), num(1234567)],
            [text("<x>", "/l/?a=1&b=2"), num(1234567), num(0), num(False)],
            [text(mark_safe("<x>"), "/l/?a=1&b=2"), num(1.5), num(1.5), num(0)],
        ],
    )
    context = {"table": table}
    tag = Template("{% load dashboard_tags %}{% figure_rows table %}").render(Context(context))
    assert tag.count("&lt;x&gt;") == 2 and tag.count("<x>") == 2
    assert tag == Template(LOOPS).render(Context(context))
