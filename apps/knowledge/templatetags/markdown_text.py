"""``{{ text|markdown }}``: a long text written in the portal's editor (Markdown) as clean HTML,
through the one renderer and sanitiser (``apps.knowledge.content``). Community, learning and
meeting pages use it. ``{{ text|markdown:"breaks" }}`` keeps a single line break as one, for
texts once typed as plain text (meeting minutes)."""

from django import template
from django.utils.safestring import mark_safe

from apps.knowledge.content import render

register = template.Library()


@register.filter
def markdown(text: str, option: str = "") -> str:
    if not text:
        return ""
    return mark_safe(render(text, breaks=option == "breaks").html)  # sanitised by nh3
