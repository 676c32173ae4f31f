"""Form pieces every app uses: the B.E. date field and a ModelForm base that applies it."""

from django import forms
from django.utils.translation import gettext_lazy as _

from . import thaidates


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


class BEModelForm(forms.ModelForm):
    """The ModelForm every app's forms start from: its dates are read and shown in B.E.

    Django builds a plain ``DateField`` for each model ``DateField``; a plain one would read
    12/03/2551 as the Common Era year 2551, so every such field is swapped here.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if type(field) is forms.DateField:
                self.fields[name] = be_date_field(field)


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
