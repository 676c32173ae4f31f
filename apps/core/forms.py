"""Form pieces every app uses: the B.E. date field and a ModelForm base that applies it."""

from django import forms
from django.utils.translation import gettext_lazy as _

from . import thaidates
from .concurrency import VersionedFormMixin


class BEDateInput(forms.TextInput):
    """A text box that shows and takes dates as day/month/B.E. year (12/03/2551)."""

    input_type = "text"

    def __init__(self, attrs=None):
        defaults = {
            "placeholder": _("dd/mm/yyyy (B.E.)"),
            "inputmode": "numeric",
            "autocomplete": "off",
            "class": "form-control be-date",
        }
        super().__init__({**defaults, **(attrs or {})})

    def format_value(self, value):
        if hasattr(value, "year"):
            return thaidates.format_date_input(value)
        return super().format_value(value)


class BEDateField(forms.DateField):
    """A date typed in the Buddhist Era (Thai digits and month names welcome)."""

    widget = BEDateInput
    default_error_messages = {
        "invalid": _("Enter a date as day/month/B.E. year, e.g. 12/03/2551."),
    }

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if hasattr(value, "year"):
            return value if not hasattr(value, "date") else value.date()
        parsed = thaidates.parse_date(str(value))
        if parsed is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return parsed

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


class BEModelForm(VersionedFormMixin, forms.ModelForm):
    """The ModelForm every app's forms start from: its dates are read and shown in B.E., and an
    edit of a shared record carries the version it started from (``apps.core.concurrency``).

    Django builds a plain ``DateField`` for each model ``DateField``; a plain one would read
    12/03/2551 as the Common Era year 2551, so every such field is swapped here.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if type(field) is forms.DateField:
                self.fields[name] = be_date_field(field)
