"""``{{ text|markdown }}``: a long text of learning and development rendered as the knowledge
sets' Markdown is (``apps.knowledge.content``: sanitised HTML)."""

from django import template
from django.utils.safestring import mark_safe

from apps.knowledge.content import render

register = template.Library()


@register.filter
def markdown(text: str) -> str:
    return mark_safe(render(text or "").html)
