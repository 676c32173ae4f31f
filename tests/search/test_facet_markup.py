"""The search page's facets, written by ``search_tags.search_facet``, are the markup their
template include wrote (issue 20). The include is kept under ``markup/`` as the reference."""

from pathlib import Path

import pytest
from django.template import Context, Engine
from django.test import RequestFactory
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

ENGINE = Engine(
    dirs=[Path(__file__).parent / "markup"],
    libraries={
        "i18n": "django.templatetags.i18n",
        "search_tags": "apps.search.templatetags.search_tags",
    },
)

ROWS = [
    {"value": "document", "label": gettext_lazy("Document"), "count": 1234},
    {"value": "7", "label": "ระเบียบ <และ> คำสั่ง & ประกาศ", "count": 3},
    {"value": "a&b=c", "label": 'ชื่อ "แปลก"', "count": 0},
    {"value": "2568", "label": "2568", "count": 12},
    {"value": "safe", "label": mark_safe(gettext_lazy("<b>Document</b>")), "count": 2},
    {"value": "lazy", "label": gettext_lazy('<Kind> & "type"'), "count": 5},
]


@pytest.mark.parametrize(
    "query",
    [
        "q=สหกรณ์",
        "q=สหกรณ์&kind=document&page=3",
        "q=a+b&kind=7&kind=document&type=circular",
        "kind=a%26b%3Dc&sort=new",
        "",
        # the facet's own values between others, one of them twice, a page among them
        "type=law&kind=7&q=ก ข&page=2&kind=document&year=2567&kind=7",
        "kind=2568&type=a+b%2Bc",
    ],
)
@pytest.mark.parametrize("rows", [ROWS, []])
def test_a_facet_is_the_includes_markup(query, rows):
    request = RequestFactory().get(f"/search/?{query}")
    for language in ("th", "en"):
        with translation.override(language):
            context = {"request": request, "rows": rows, "kind_title": gettext_lazy("Kind")}
            ours, include = _tag_and_include(context)
        assert ours == include
    if rows and "kind=document" in query:
        assert ours.count('aria-current="true"') == 1 + ("kind=7" in query)


@pytest.mark.parametrize("grouped", [False, True])
def test_counts_are_written_as_the_include_writes_them(grouped, settings):
    """Counts are written in plain digits, or grouped by thousands when the settings say so."""
    settings.USE_THOUSAND_SEPARATOR = grouped
    request = RequestFactory().get("/search/?q=x")
    rows = [{"value": "document", "label": "Documents", "count": 1234567}]
    with translation.override("en"):
        context = {"request": request, "rows": rows, "kind_title": "Kind"}
        ours, include = _tag_and_include(context)
    assert ours == include
    assert ("1,234,567" in ours) is grouped


def _tag_and_include(context: dict) -> tuple[str, str]:
    """The facet written by the tag and by the include it replaces, from the same context."""
    ours = ENGINE.from_string(
        '{% load search_tags %}{% search_facet kind_title "kind" rows %}'
    ).render(Context(context))
    include = ENGINE.from_string(
        '{% include "facet.html" with title=kind_title name="kind" rows=rows %}'
    ).render(Context(context))
    return ours, include


def test_a_long_question_is_quoted_as_it_comes_and_not_kept(monkeypatch):
    """A facet's short values are kept quoted; a long question typed in the box is quoted on
    every page (a worker keeps no long strings), with the same links as the include's."""
    from apps.search.templatetags import search_tags

    kept = []
    keep = search_tags._quoted_kept
    monkeypatch.setattr(
        search_tags,
        "_quoted_kept",
        lambda text, encoding: kept.append(text) or keep(text, encoding),
    )
    question = "สหกรณ์ออมทรัพย์ " * 30
    request = RequestFactory().get("/search/", {"q": question, "kind": "7"})
    with translation.override("th"):
        context = {"request": request, "rows": ROWS, "kind_title": gettext_lazy("Kind")}
        ours, include = _tag_and_include(context)
    assert ours == include
    assert "document" in kept and "q" in kept
    assert question not in kept
