"""``{{ text|minutes_markdown }}``: a minutes text as clean HTML. Minutes are written in the
portal's editor (Markdown) and older ones as plain text, so single line breaks are kept; the
knowledge app's one renderer sanitises it (``apps.knowledge.content``)."""

from django import template
from django.utils.safestring import mark_safe

from apps.knowledge.content import render

register = template.Library()


@register.filter
def minutes_markdown(text: str) -> str:
    if not text:
        return ""
    return mark_safe(render(text, breaks=True).html)  # sanitised by nh3 in ``render``


def minutes_plain(text: str) -> str:
    """The text of a minutes field without its Markdown marks (for the PDF)."""
    if not text:
        return ""
    lines = render(text, breaks=True).text.splitlines()
    return "\n".join(line.strip() for line in lines if line.strip())
