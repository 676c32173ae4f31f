"""The portal's widgets (``apps.core.widgets``) in hand-written forms: a page that shows one small
form per row (the meeting page's minutes of each agenda item) renders the same box a Django form
would, so the browser enhances it alike (the WYSIWYG editor, the B.E. calendar)."""

from django import template

from apps.core.widgets import BEDateInput, MarkdownTextarea

register = template.Library()


def _attrs(id_prefix: str, pk, css: str, extra: dict) -> dict:
    box_id = f"{id_prefix}-{pk}"
    return {"id": box_id, "class": css, **{k.replace("_", "-"): v for k, v in extra.items()}}


@register.simple_tag
def markdown_box(name: str, value, id_prefix: str, pk, *, rows: int = 4, **extra):
    """A Markdown text written in the WYSIWYG editor, its id ``<id_prefix>-<pk>``; ``extra``
    attributes as given (``maxlength=20000``, ``placeholder=…``; ``_`` in a name becomes ``-``)."""
    attrs = _attrs(id_prefix, pk, "form-control form-control-sm", extra)
    return MarkdownTextarea(attrs={"rows": rows}).render(name, value or "", attrs=attrs)


@register.simple_tag
def date_box(name: str, value, id_prefix: str, pk, **extra):
    """A date typed as วว/ดด/ปปปป, with the B.E. calendar beside it; its id ``<id_prefix>-<pk>``."""
    attrs = _attrs(id_prefix, pk, "form-control form-control-sm be-date", extra)
    return BEDateInput().render(name, value, attrs=attrs)
