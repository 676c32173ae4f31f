"""The portal's input widgets, enhanced in the browser by ``static/js/widgets.js``.

Each widget renders a plain input that works without JavaScript (a textarea of Markdown, a text
box taking วว/ดด/ปปปป, a native select) and names, in ``data-km-*`` attributes, the enhancement
the script gives it: the WYSIWYG editor (Toast UI Editor), the B.E. date and time pickers
(flatpickr with a Buddhist-Era layer), the people picker (Tom Select) and the record picker of
progress evidence. The script loads a library only on a page that has such a widget. The texts
the enhancements show come from here, translated on the server, so the script holds none.
"""

from __future__ import annotations

import json

from django import forms
from django.forms.models import ModelChoiceIteratorValue
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import thaidates


def _json(data) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _add_class(attrs: dict, name: str) -> dict:
    attrs["class"] = " ".join(filter(None, [attrs.get("class", ""), name]))
    return attrs


# --- Writing -------------------------------------------------------------------------------------
def editor_labels() -> dict[str, str]:
    """Toast UI Editor's own texts (its i18n keys) in the person's language."""
    return {
        "Markdown": gettext("Markdown"),
        "WYSIWYG": gettext("Formatted"),
        "Write": gettext("Write"),
        "Preview": gettext("Preview"),
        "Headings": gettext("Headings"),
        "Paragraph": gettext("Paragraph"),
        "Bold": gettext("Bold"),
        "Italic": gettext("Italic"),
        "Strike": gettext("Strikethrough"),
        "Code": gettext("Inline code"),
        "Line": gettext("Horizontal line"),
        "Blockquote": gettext("Quotation"),
        "Unordered list": gettext("List"),
        "Ordered list": gettext("Numbered steps"),
        "Task": gettext("Checklist"),
        "Indent": gettext("Indent"),
        "Outdent": gettext("Outdent"),
        "Insert link": gettext("Insert a link"),
        "Insert CodeBlock": gettext("Insert a code block"),
        "Insert table": gettext("Insert a table"),
        "Insert image": gettext("Insert a picture"),
        "Heading": gettext("Heading"),
        "Image URL": gettext("Address of the picture"),
        "Select image file": gettext("Choose a picture file"),
        "Choose a file": gettext("Choose a file"),
        "No file": gettext("No file"),
        "Description": gettext("Description"),
        "OK": gettext("OK"),
        "More": gettext("More"),
        "Cancel": gettext("Cancel"),
        "File": gettext("File"),
        "URL": gettext("Address"),
        "Link text": gettext("Text of the link"),
        "Add row to up": gettext("Add a row above"),
        "Add row to down": gettext("Add a row below"),
        "Add column to left": gettext("Add a column on the left"),
        "Add column to right": gettext("Add a column on the right"),
        "Remove row": gettext("Remove the row"),
        "Remove column": gettext("Remove the column"),
        "Align column to left": gettext("Align the column left"),
        "Align column to center": gettext("Centre the column"),
        "Align column to right": gettext("Align the column right"),
        "Remove table": gettext("Remove the table"),
        "Would you like to paste as table?": gettext("Paste it as a table?"),
        "Text color": gettext("Text colour"),
        "Auto scroll enabled": gettext("Scrolling together"),
        "Auto scroll disabled": gettext("Scrolling separately"),
        "Choose language": gettext("Choose a language"),
        "picture-only": gettext(
            "Pictures are linked by their address. Upload the file as an attachment first, "
            "then paste its address here."
        ),
    }


class MarkdownTextarea(forms.Textarea):
    """The one widget for long formatted texts stored as Markdown (knowledge-set bodies, minutes,
    Q&A and community texts). In the browser it becomes a WYSIWYG editor that writes the same
    Markdown back into the textarea, so the server reads, sanitises and stores exactly what it
    did before (``apps.knowledge.content``); without JavaScript the textarea is typed into."""

    def __init__(self, attrs=None):
        attrs = {"rows": 10, **(attrs or {})}
        _add_class(attrs, "km-markdown")
        attrs.setdefault("data-km-editor", "wysiwyg")
        super().__init__(attrs)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"]["data-km-labels"] = _json(editor_labels())
        return context


# --- Dates and times -----------------------------------------------------------------------------
class BEDateInput(forms.TextInput):
    """A text box that shows and takes dates as day/month/B.E. year (12/03/2551); in the browser
    a calendar with Thai month names and B.E. years opens from it, and typing still works."""

    input_type = "text"

    def __init__(self, attrs=None):
        defaults = {
            "placeholder": _("dd/mm/yyyy (B.E.)"),
            "inputmode": "numeric",
            "autocomplete": "off",
            "class": "form-control be-date",
            "maxlength": "40",
            "data-km-date": "be",
        }
        super().__init__({**defaults, **(attrs or {})})

    def format_value(self, value):
        if hasattr(value, "year"):
            return thaidates.format_date_input(value)
        return super().format_value(value)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"]["data-km-labels"] = _json(
            {
                "open": gettext("Choose the date from a calendar"),
                "previousYear": gettext("Previous year"),
                "nextYear": gettext("Next year"),
                "era": gettext("B.E."),
            }
        )
        return context


class TimeInput(forms.TextInput):
    """A time typed as 09:30 or 09.30 น.; in the browser a 24-hour time picker opens from it."""

    def __init__(self, attrs=None):
        defaults = {
            "placeholder": "09:30",
            "inputmode": "numeric",
            "autocomplete": "off",
            "maxlength": "20",
            "data-km-time": "24h",
        }
        super().__init__({**defaults, **(attrs or {})})

    def format_value(self, value):
        if hasattr(value, "hour"):
            return f"{value:%H:%M}"
        return super().format_value(value)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"]["data-km-labels"] = _json(
            {"open": gettext("Choose the time from a clock")}
        )
        return context


# --- People --------------------------------------------------------------------------------------
def picker_labels() -> dict[str, str]:
    return {
        "placeholder": gettext("Type a name, position or unit …"),
        "noResults": gettext("Nobody matches"),
        "team": gettext("Add a team's members"),
        "teamButton": gettext("Add"),
    }


#: Up to this many people, every one is an option in the page (the picker searches them in the
#: browser, and the select works without JavaScript). Above it the page carries only the people
#: chosen and the picker asks ``core:pick_people`` as one types: at 1,000 staff the options
#: alone were 400 KB of HTML per field and most of a second to render (README, Front-end).
INLINE_PEOPLE = 200


def person_label(person) -> str:
    """A person as a list of choices shows them: the name, and the position when known."""
    position = getattr(person, "position", "")
    return f"{person} ({position})" if position else str(person)


def person_option(person) -> dict[str, str]:
    """A person as the picker shows and searches them (the endpoint's rows, a team's members)."""
    unit = getattr(person, "unit", None)
    return {"value": str(person.pk), "text": person_label(person), "unit": str(unit or "")}


class PeopleSelectMixin:
    """Options that carry each person's unit (``data-unit``, searched with the name and the
    position the label shows). ``teams`` (label → member ids) offers a one-click "add this
    team's members" beside the picker. Above ``INLINE_PEOPLE`` people only the chosen are
    options and the rest are found through ``core:pick_people``."""

    teams: list[tuple[str, list[int]]] | None = None
    remote = False

    def optgroups(self, name, value, attrs=None):
        queryset = getattr(self.choices, "queryset", None)
        self.remote = queryset is not None and queryset.count() > INLINE_PEOPLE
        if not self.remote:
            return super().optgroups(name, value, attrs)
        field = self.choices.field
        chosen = [v for v in value if str(v).isascii() and str(v).isdigit()]
        every = self.choices
        options = []
        if not self.allow_multiple_selected and field.empty_label is not None:
            options.append(("", field.empty_label))
        for person in queryset.filter(pk__in=chosen):
            options.append(
                (ModelChoiceIteratorValue(person.pk, person), field.label_from_instance(person))
            )
        self.choices = options
        try:
            return super().optgroups(name, value, attrs)
        finally:
            self.choices = every

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        person = getattr(value, "instance", None)
        unit = getattr(person, "unit", None) if person is not None else None
        if unit is not None:
            option["attrs"]["data-unit"] = str(unit)
        return option

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget_attrs = context["widget"]["attrs"]
        widget_attrs["data-km-people"] = "multiple" if self.allow_multiple_selected else "one"
        widget_attrs["data-km-labels"] = _json(picker_labels())
        if self.remote:
            widget_attrs["data-km-people-url"] = reverse("core:pick_people")
        if self.teams:
            people = {}
            if self.remote:  # the picker may not hold a team's members as options yet
                ids = {pk for _, members in self.teams for pk in members}
                people = {
                    p.pk: person_option(p)
                    for p in self.choices.queryset.filter(pk__in=ids).select_related("unit")
                }
            widget_attrs["data-km-teams"] = _json(
                [
                    {
                        "label": str(label),
                        "ids": ids,
                        "people": [people[i] for i in ids if i in people],
                    }
                    for label, ids in self.teams
                ]
            )
        return context


class PeopleSelect(PeopleSelectMixin, forms.SelectMultiple):
    """Several people, picked by typing (chips for the chosen); a native multi-select without
    JavaScript."""

    def __init__(self, attrs=None):
        super().__init__({"size": 8, **(attrs or {})})


class PersonSelect(PeopleSelectMixin, forms.Select):
    """One person, picked by typing; a native select without JavaScript."""


class PickSeveral(forms.SelectMultiple):
    """Several records of a short list that is not people (the expert directory), picked by
    typing with chips, as people are; a native multi-select without JavaScript. Every choice is
    an option in the page (the list is bounded by its field)."""

    def __init__(self, attrs=None, *, placeholder=None):
        super().__init__({"size": 6, **(attrs or {})})
        self.placeholder = placeholder

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        labels = picker_labels()
        if self.placeholder:
            labels["placeholder"] = str(self.placeholder)
        context["widget"]["attrs"]["data-km-people"] = "multiple"
        context["widget"]["attrs"]["data-km-labels"] = _json(labels)
        return context


# --- Records -------------------------------------------------------------------------------------
class RecordLinksTextarea(forms.Textarea):
    """Addresses of portal records, one a line (progress evidence). In the browser a search box
    above it finds the records the person may open as they type (``core:pick_records``) and adds
    the chosen one's address; a pasted address is still taken."""

    def __init__(self, attrs=None):
        super().__init__({"rows": 3, **(attrs or {})})

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget_attrs = context["widget"]["attrs"]
        widget_attrs["data-km-records"] = reverse("core:pick_records")
        widget_attrs["data-km-labels"] = _json(
            {
                "search": gettext("Find a document or knowledge set by its title"),
                "placeholder": gettext("Type at least two letters of the title …"),
                "none": gettext("Nothing you can open matches."),
                "added": gettext("Added to the list"),
                "add": gettext("Add"),
            }
        )
        return context
