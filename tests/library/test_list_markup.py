"""The library list's category tree and document cards, written by ``library_tags``, are the
markup their template includes wrote (issue 20: the includes in loops were a third of the page).
The includes are kept under ``markup/`` as the reference."""

import datetime as dt
from pathlib import Path

import pytest
from django.template import Context, Engine
from django.test import RequestFactory
from django.utils import translation

from apps.library.models import AccessLevel
from apps.library.selectors import category_tree

from .factories import CategoryFactory, DocumentFactory, DocumentFileFactory

pytestmark = pytest.mark.django_db

# The includes as they were, the tree's recursing through itself.
ENGINE = Engine(
    dirs=[Path(__file__).parent / "markup"],
    builtins=["apps.core.templatetags.thai"],
    libraries={
        "i18n": "django.templatetags.i18n",
        "library_tags": "apps.library.templatetags.library_tags",
    },
)


def render(source: str, **context) -> str:
    return ENGINE.from_string(source).render(Context(context))


def test_the_tree_is_the_includes_markup():
    top = CategoryFactory(name="กฎหมาย <และ> ระเบียบ")
    middle = CategoryFactory(name="ระเบียบนายทะเบียน", parent=top)
    CategoryFactory(name="ข้อบังคับ & แนวทาง", parent=middle)
    CategoryFactory(name="คู่มือ")
    DocumentFactory(category=middle)
    tree = category_tree()
    for query in ("", f"?category={middle.pk}", "?category=x"):
        request = RequestFactory().get(f"/library/{query}")
        ours = render(
            "{% load library_tags %}{% category_nodes tree %}", tree=tree, request=request
        )
        loops = render(
            '{% for node in tree %}{% include "category_node.html" %}{% endfor %}',
            tree=tree,
            request=request,
        )
        assert "&lt;และ&gt;" in ours
        assert ours == loops
    request = RequestFactory().get(f"/library/?category={middle.pk}")
    ours = render("{% load library_tags %}{% category_nodes tree %}", tree=tree, request=request)
    assert ours.count("fw-semibold") == 1


@pytest.mark.parametrize("variant", ["full", "bare"])
def test_a_card_is_the_includes_markup(variant):
    if variant == "full":
        replacement = DocumentFactory()
        document = DocumentFactory(
            title="ระเบียบ <ว่าด้วย> การบัญชี & การเงิน",
            issued_on=dt.date(2026, 3, 12),
            category=CategoryFactory(name="บัญชี"),
            replaced_by=replacement,
            access=AccessLevel.KM_TEAM,
        )
        DocumentFileFactory(document=document, is_main=False, kind_label="ไม่หลัก")
        DocumentFileFactory(document=document, size=2_500_000, kind_label="PDF")
    else:
        document = DocumentFactory(number="", agency="")
    for language in ("th", "en"):
        with translation.override(language):
            ours = render("{% load library_tags %}{% document_card document %}", document=document)
            include = render('{% include "document_card.html" %}', document=document)
        assert document.get_absolute_url() in ours
        assert ours == include
