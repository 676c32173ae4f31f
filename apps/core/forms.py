"""Form pieces every app uses: the B.E. date field, bounded inputs, and the bases that apply them.

Every input a person can send has a bound, so that no single request can hold the database's
write lock for long (one upload with 20,000 tags once did, for 100 seconds): text has a length,
lists (tags, people, choices, files, formset rows) a count. :class:`PortalForm` and
:class:`BEModelForm` give every field that names no bound of its own the defaults below, and
:func:`install_text_cleaning` strips invisible characters from every text input.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.core import validators
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.forms.models import BaseInlineFormSet, inlineformset_factory
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from . import thaidates
from .concurrency import VersionedFormMixin
from .text import strip_invisible
from .widgets import (  # noqa: F401 - the widgets every form takes from here
    BEDateInput,
    MarkdownTextarea,
    PeopleSelect,
    PersonSelect,
    PickSeveral,
    RecordLinksTextarea,
    TimeInput,
    person_label,
)

# --- Bounds --------------------------------------------------------------------------------------
TEXT_MAX_LENGTH = 20_000  # a text area that names no limit of its own
LINE_MAX_LENGTH = 1_000  # a one-line text box that names no limit of its own
MAX_TAGS = 30
TAG_MAX_LENGTH = 100
MAX_PEOPLE = 100  # authors, holders, reviewers, owners, invitees ... in one field
MAX_CHOICES = 200  # any other list of choices in one field
MAX_FILES = 20  # files in one upload (settings.DATA_UPLOAD_MAX_NUMBER_FILES is a little above)
MAX_ROWS = 200  # rows of a formset that names no limit of its own
SEARCH_MAX_LENGTH = 200  # the words typed into a list page's filter box
SEARCH_MAX_WORDS = 10


# --- Text ----------------------------------------------------------------------------------------
def install_text_cleaning() -> None:
    """Make every text input (``forms.CharField`` and its kin, in every form of every app, the
    admin's and the filters' too) drop invisible characters at its ends as it drops spaces.

    A title typed as U+200B alone then cleans to empty, so a required field refuses it with
    Django's own "This field is required.". Fields with ``strip=False`` (passwords) are left
    exactly as typed. Called once from ``CoreConfig.ready``.
    """
    if getattr(forms.CharField, "_cleans_invisible", False):
        return
    plain_to_python = forms.CharField.to_python

    def to_python(self, value):
        value = plain_to_python(self, value)
        if self.strip and isinstance(value, str) and value:
            value = strip_invisible(value)
            if not value:
                return self.empty_value
        return value

    forms.CharField.to_python = to_python
    forms.CharField._cleans_invisible = True


# --- Lists ---------------------------------------------------------------------------------------
@deconstructible
class MaxItemsValidator:
    """At most ``limit`` distinct items in a list of choices."""

    message = ngettext_lazy(
        "Choose at most %(limit)s item (%(count)s were chosen).",
        "Choose at most %(limit)s items (%(count)s were chosen).",
        "limit",
    )
    code = "max_items"

    def __init__(self, limit: int, message=None):
        self.limit = limit
        if message is not None:
            self.message = message

    def __call__(self, value) -> None:
        count = count_distinct(value)
        if count > self.limit:
            raise ValidationError(
                self.message, code=self.code, params={"limit": self.limit, "count": count}
            )

    def __eq__(self, other) -> bool:
        return isinstance(other, MaxItemsValidator) and (self.limit, self.message) == (
            other.limit,
            other.message,
        )


def count_distinct(value) -> int:
    if value is None or isinstance(value, str):
        return 1 if value else 0
    try:
        return len({str(getattr(item, "pk", item)) for item in value})
    except TypeError:
        return 1


class BoundedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Records chosen from a list, at most ``max_choices`` of them: counted before the list is
    looked up, so a request naming thousands of records costs nothing."""

    default_max_choices = MAX_CHOICES

    def __init__(self, queryset, *, max_choices: int | None = None, **kwargs):
        self.max_choices = max_choices or self.default_max_choices
        super().__init__(queryset, **kwargs)

    def clean(self, value):
        if isinstance(value, list | tuple):
            MaxItemsValidator(self.max_choices)(value)
        return super().clean(value)

    def _check_values(self, value):
        # Django looks the list up with ``pk__in``, which raises on a number the database cannot
        # hold (SQLite: OverflowError, a 500); such a number names no record.
        meta = self.queryset.model._meta
        field = meta.get_field(self.to_field_name) if self.to_field_name else meta.pk
        if isinstance(field, models.IntegerField) and isinstance(value, list | tuple):
            low, high = connection.ops.integer_field_range(field.get_internal_type())
            for item in value:
                try:
                    number = int(str(item).strip())
                except ValueError:
                    continue  # Django's own check refuses it
                if (low is not None and number < low) or (high is not None and number > high):
                    raise ValidationError(
                        self.error_messages["invalid_choice"],
                        code="invalid_choice",
                        params={"value": str(item)[:20]},
                    )
        return super()._check_values(value)


def active_people() -> models.QuerySet:
    """The people a form offers to choose: active accounts, by name."""
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .select_related("unit")  # the picker searches by unit too (widgets.PeopleSelect)
        .order_by("first_name", "last_name")
    )


class PersonField(forms.ModelChoiceField):
    """One member of staff chosen from a list (a term's holder, an expert's account), shown with
    their position; active people by name unless given another ``queryset``. Picked by typing
    a name, position or unit (:class:`~apps.core.widgets.PersonSelect`)."""

    widget = PersonSelect

    def __init__(self, queryset=None, **kwargs):
        super().__init__(active_people() if queryset is None else queryset, **kwargs)

    def label_from_instance(self, person):
        return person_label(person)


class PeopleField(BoundedModelMultipleChoiceField):
    """Staff chosen from a list (authors, reviewers, owners, invitees ...), shown with their
    position; active people by name unless given another ``queryset``. Picked by typing a name,
    position or unit, the chosen shown as chips (:class:`~apps.core.widgets.PeopleSelect`)."""

    widget = PeopleSelect
    default_max_choices = MAX_PEOPLE

    def __init__(self, queryset=None, **kwargs):
        super().__init__(active_people() if queryset is None else queryset, **kwargs)

    def label_from_instance(self, person):
        return person_label(person)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented recipe), at most ``max_files``."""

    def __init__(self, *args, max_files: int = MAX_FILES, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        self.max_files = max_files
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            items = [item for item in data if item]
            if len(items) > self.max_files:
                raise ValidationError(
                    ngettext_lazy(
                        "Add at most %(limit)s file at a time (%(count)s were sent).",
                        "Add at most %(limit)s files at a time (%(count)s were sent).",
                        "limit",
                    ),
                    code="max_files",
                    params={"limit": self.max_files, "count": len(items)},
                )
            return [single(item, initial) for item in items]
        return [single(data, initial)] if data else []


class TagsField(forms.CharField):
    """Tags typed as one comma-separated line: "สหกรณ์, บัญชี" → ``["สหกรณ์", "บัญชี"]``; at most
    ``MAX_TAGS`` of them, each at most ``TAG_MAX_LENGTH`` characters."""

    def __init__(self, *args, max_tags: int = MAX_TAGS, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", _("Separate tags with commas."))
        self.max_tags = max_tags
        super().__init__(*args, **kwargs)
        # Room for every tag at its longest with a separator; checked before any splitting.
        self.max_length = max_tags * (TAG_MAX_LENGTH + 2)
        self.widget.attrs.setdefault("maxlength", str(self.max_length))

    def clean(self, value):
        value = super().clean(value)
        if value and len(value) > self.max_length:
            raise ValidationError(
                _("The tags can be at most %(limit)s characters in all."),
                code="tags_too_long",
                params={"limit": self.max_length},
            )
        names: list[str] = []
        seen: set[str] = set()
        for name in (value or "").replace("،", ",").split(","):
            name = strip_invisible(" ".join(name.split()))
            if not name:
                continue
            if len(name) > TAG_MAX_LENGTH:
                raise ValidationError(
                    _("A tag can be at most %(limit)s characters long."),
                    code="tag_too_long",
                    params={"limit": TAG_MAX_LENGTH},
                )
            if name.casefold() not in seen:
                seen.add(name.casefold())
                names.append(name)
        if len(names) > self.max_tags:
            raise ValidationError(
                _("Give at most %(limit)s tags (%(count)s were given)."),
                code="max_tags",
                params={"limit": self.max_tags, "count": len(names)},
            )
        return names


# --- Every field bounded -------------------------------------------------------------------------
@deconstructible
class TextLengthValidator(validators.MaxLengthValidator):
    """Django's length check, for text only: a ``CharField`` subclass may clean to a number
    (the dashboard's record keys), which has no length to check."""

    def __call__(self, value):
        if isinstance(value, str):
            super().__call__(value)


def bound_field(field: forms.Field, *, max_length: int | None = None) -> forms.Field:
    """Give a field that names no bound the portal's default (or ``max_length``): a length for
    text, a count for lists of choices. Fields with their own bound are left as they are."""
    if isinstance(field, forms.CharField) and field.max_length is None:
        textarea = isinstance(field.widget, forms.Textarea)
        limit = max_length or (TEXT_MAX_LENGTH if textarea else LINE_MAX_LENGTH)
        field.max_length = limit
        field.validators.append(TextLengthValidator(limit))
        if not field.widget.is_hidden:
            field.widget.attrs.setdefault("maxlength", str(limit))
    elif (
        isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField)
        and getattr(field, "max_choices", None) is None
    ):
        field.max_choices = MAX_CHOICES
        field.validators.append(MaxItemsValidator(MAX_CHOICES))
    return field


class PortalFormMixin:
    """Bounds every field of the form (see :func:`bound_field`), including fields a subclass
    adds after ``__init__``: they are bounded again just before cleaning. ``max_lengths`` names
    a text field's own limit where the default does not fit (a knowledge set's body)."""

    max_lengths: dict[str, int] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._bound_fields()

    def _bound_fields(self) -> None:
        for name, field in self.fields.items():
            bound_field(field, max_length=self.max_lengths.get(name))

    def full_clean(self):
        self._bound_fields()
        super().full_clean()


class PortalForm(PortalFormMixin, forms.Form):
    """The plain form every app's forms start from."""


class BoundedInlineFormSet(BaseInlineFormSet):
    """Rows of a formset, refused with a Thai message above ``max_num``."""

    default_error_messages = {
        "too_many_forms": ngettext_lazy(
            "Submit at most %(num)d row.", "Submit at most %(num)d rows.", "num"
        ),
        "too_few_forms": ngettext_lazy(
            "Submit at least %(num)d row.", "Submit at least %(num)d rows.", "num"
        ),
    }


def bounded_inlineformset_factory(parent_model, model, *, max_num: int = MAX_ROWS, **kwargs):
    """``inlineformset_factory`` with a hard limit on rows: ``max_num`` is checked
    (``validate_max``) and no more than that many forms are ever built (``absolute_max``)."""
    kwargs.setdefault("formset", BoundedInlineFormSet)
    return inlineformset_factory(
        parent_model,
        model,
        max_num=max_num,
        absolute_max=max_num,
        validate_max=True,
        **kwargs,
    )


def ids_from(values, *, limit: int = MAX_CHOICES) -> list[int]:
    """Record numbers from a list of GET values (``?team=1&team=2``): plain ASCII numbers only
    (not ``²`` or a 5,000-digit number, which ``int`` refuses or the database cannot hold),
    each once, at most ``limit`` of them."""
    ids: list[int] = []
    for value in values:
        text = str(value).strip()
        if text.isascii() and text.isdigit() and len(text) <= 18:
            number = int(text)
            if number not in ids:
                ids.append(number)
                if len(ids) == limit:
                    break
    return ids


# --- Filters on list pages -----------------------------------------------------------------------
class SearchTextField(forms.CharField):
    """The words typed into a list page's filter box: at most ``SEARCH_MAX_LENGTH`` characters
    and ``SEARCH_MAX_WORDS`` words (each word is one more condition in the query)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", SEARCH_MAX_LENGTH)
        super().__init__(*args, **kwargs)

    def validate(self, value):
        super().validate(value)
        if value and len(value.split()) > SEARCH_MAX_WORDS:
            raise ValidationError(
                _("Search with at most %(limit)s words."),
                code="max_words",
                params={"limit": SEARCH_MAX_WORDS},
            )


class SearchTextFilter(django_filters.CharFilter):
    field_class = SearchTextField


class BEYearField(forms.IntegerField):
    """A year typed in the Buddhist Era (2551, or Thai digits); a C.E. year in the portal's range
    is understood too. Cleans to the B.E. year."""

    default_error_messages = {
        "invalid": _("Enter a year in the Buddhist Era, e.g. 2568."),
        "year_range": _("Enter a year from B.E. %(first)s to %(last)s."),
    }

    def to_python(self, value):
        if isinstance(value, str):
            value = value.translate(thaidates.THAI_DIGITS).strip()
            if len(value) > 4:
                raise ValidationError(self.error_messages["invalid"], code="invalid")
        year = super().to_python(value)
        if year is None:
            return None
        if thaidates.CE_MIN_YEAR <= year <= thaidates.CE_MAX_YEAR:
            year = thaidates.be_year(year)
        if not thaidates.BE_MIN_YEAR <= year <= thaidates.BE_MAX_YEAR:
            raise ValidationError(
                self.error_messages["year_range"],
                code="year_range",
                params={"first": thaidates.BE_MIN_YEAR, "last": thaidates.BE_MAX_YEAR},
            )
        return year


class BEYearFilter(django_filters.NumberFilter):
    field_class = BEYearField


class PortalFilterSet(django_filters.FilterSet):
    """The filter bar of a list page, its form bounded like every other form."""

    def get_form_class(self):
        form_class = super().get_form_class()
        if issubclass(form_class, PortalFormMixin):
            return form_class
        return type(form_class.__name__, (PortalFormMixin, form_class), {})


# --- Dates ---------------------------------------------------------------------------------------
class BEDateField(forms.DateField):
    """A date typed in the Buddhist Era (Thai digits and month names welcome).

    The year must be B.E. 2400–2700. A four-digit year below 2400 typed by hand (15/03/2026) is a
    Common Era year, which in a B.E. field is nearly always a slip: it is refused with the B.E.
    date it would be, so the person confirms the era instead of the portal guessing. ISO dates
    (2026-03-15, what a browser's date picker and other programs send) are C.E. by definition
    and accepted.
    """

    widget = BEDateInput
    default_error_messages = {
        "invalid": _("Enter a date as day/month/B.E. year, e.g. 12/03/2551."),
        "year_range": _("Enter a year from B.E. %(first)s to %(last)s."),
        "common_era": _(
            "%(year)s is a year of the Common Era (C.E.); dates here are in the Buddhist Era. "
            "If you mean C.E. %(year)s, enter %(suggestion)s (B.E. %(be_year)s)."
        ),
    }

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if hasattr(value, "year"):
            return value if not hasattr(value, "date") else value.date()
        text = str(value)
        if len(text) > 40:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        try:
            reading = thaidates.read_date(text)
        except thaidates.YearOutOfRangeError:
            raise ValidationError(
                self.error_messages["year_range"],
                code="year_range",
                params={"first": thaidates.BE_MIN_YEAR, "last": thaidates.BE_MAX_YEAR},
            ) from None
        if reading is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        if reading.era == thaidates.COMMON_ERA and not reading.iso:
            raise ValidationError(
                self.error_messages["common_era"],
                code="common_era",
                params={
                    "year": reading.value.year,
                    "be_year": thaidates.be_year(reading.value.year),
                    "suggestion": thaidates.format_date_input(reading.value),
                },
            )
        return reading.value

    def strptime(self, value, format):  # pragma: no cover - to_python never calls it
        raise NotImplementedError


def be_date_field(field: forms.DateField) -> BEDateField:
    """A B.E. copy of a plain ``DateField`` with its label, help, requirement and initial."""
    return BEDateField(
        required=field.required,
        label=field.label,
        help_text=field.help_text,
        initial=field.initial,
        disabled=field.disabled,
        validators=list(field.validators),
    )


def bounded_choices_field(field: forms.ModelMultipleChoiceField) -> BoundedModelMultipleChoiceField:
    """A bounded copy of a plain ``ModelMultipleChoiceField`` (what Django builds for a
    many-to-many field), with its queryset, widget, label, help and requirement."""
    return BoundedModelMultipleChoiceField(
        field.queryset,
        required=field.required,
        widget=field.widget,
        label=field.label,
        help_text=field.help_text,
        initial=field.initial,
        disabled=field.disabled,
        validators=list(field.validators),
    )


class BEModelForm(VersionedFormMixin, PortalFormMixin, forms.ModelForm):
    """The ModelForm every app's forms start from: its dates are read and shown in B.E., every
    field is bounded (:class:`PortalFormMixin`), and an edit of a shared record carries the
    version it started from (``apps.core.concurrency``).

    Django builds a plain ``DateField`` for each model ``DateField``; a plain one would read
    12/03/2551 as the Common Era year 2551, so every such field is swapped here. Likewise a
    many-to-many field's list is swapped for one that counts the choices before looking them
    up.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if type(field) is forms.DateField:
                self.fields[name] = be_date_field(field)
            elif type(field) is forms.ModelMultipleChoiceField:
                self.fields[name] = bounded_choices_field(field)


class StoredFile:
    """What a file input shows as its current file: a name and a link that opens it."""

    def __init__(self, name: str, url: str):
        self.name, self.url = name, url

    def __str__(self) -> str:
        return self.name


class StoredFileInput(forms.ClearableFileInput):
    """A file input whose "Currently:" link opens the stored file through its permission-checked
    view (``download_url``), never through MEDIA_URL: uploads are not served from there, so that
    link would be dead (and would bypass the permission check if they were). The form sets
    ``download_url`` and ``download_name`` (the name it was uploaded under) for a saved file."""

    clear_checkbox_label = _("Remove the file")

    def __init__(self, attrs=None, *, download_url: str = "", download_name: str = ""):
        super().__init__(attrs)
        self.download_url, self.download_name = download_url, download_name

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        if widget["is_initial"]:
            shown = self.download_name or str(value).rsplit("/", 1)[-1]
            widget["value"] = StoredFile(shown, self.download_url)
        return context
