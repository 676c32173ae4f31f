"""The form renderer (``FORM_RENDERER``): Django's, with drop-down lists written in Python.

Django renders a ``<select>`` through one template include per option. The library's filter
form has about seventy options (categories, years, types), and rendering it took a fifth of the
page's time (issue 20). :class:`PortalFormRenderer` writes the markup of Django's own
``select.html`` and ``select_option.html`` directly, character for character (compared in
``tests/core/test_formrenderer.py``); any other template, or an option with a template of its
own, goes through the templates as before.
"""

from __future__ import annotations

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, mark_safe

SELECT = "django/forms/widgets/select.html"
OPTION = "django/forms/widgets/select_option.html"


def _text(value) -> str:
    """``{{ value|stringformat:'s' }}`` under autoescaping."""
    text = "%s" % (value,)  # noqa: UP031
    return conditional_escape(mark_safe(text) if isinstance(value, SafeData) else text)


def _attrs(attrs: dict) -> str:
    """``django/forms/widgets/attrs.html``."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        parts.append(f" {conditional_escape(name)}")
        if value is not True:
            parts.append(f'="{_text(value)}"')
    return "".join(parts)


def _label(value) -> str:
    """``{{ widget.label }}``: localised, then escaped, as a template variable is."""
    from django.utils.formats import localize

    return conditional_escape(localize(value))


def render_select(widget: dict) -> str | None:
    """Django's ``select.html`` for the widget's context, or None if an option has a template
    of its own."""
    out = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            out.append(f'\n  <optgroup label="{_label(group_name)}">')
        for option in group_choices:
            if option.get("template_name") != OPTION:
                return None
            # The option's template file ends with a newline, which the include keeps.
            out.append(
                f'\n  <option value="{_text(option["value"])}"{_attrs(option["attrs"])}>'
                f"{_label(option['label'])}</option>\n"
            )
        if group_name:
            out.append("\n  </optgroup>")
    out.append("\n</select>")
    return "".join(out)


class PortalFormRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        if template_name == SELECT and "widget" in context:
            html = render_select(context["widget"])
            if html is not None:
                return mark_safe(html)  # every value in it is escaped above
        return super().render(template_name, context, request=request)
