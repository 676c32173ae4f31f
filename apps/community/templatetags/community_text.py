"""``{{ text|community_markdown }}``: a community's long text (Markdown) as clean HTML, rendered
and sanitised by the knowledge app's one renderer (``apps.knowledge.content``)."""

from django import template
from django.utils.safestring import mark_safe

from apps.knowledge.content import render

register = template.Library()


@register.filter
def community_markdown(text: str) -> str:
    if not text:
        return ""
    return mark_safe(render(text).html)  # sanitised by nh3 in ``render``
