from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.forms import PortalForm, ids_from

SORTS = [
    ("relevance", _("Relevance")),
    ("date", _("Newest first")),
    ("date_asc", _("Oldest first")),
]


class SearchForm(PortalForm):
    """The search page's query string. Anything unreadable is dropped, never an error page."""

    q = forms.CharField(required=False, max_length=2000, strip=True)
    kind = forms.MultipleChoiceField(required=False, choices=())
    type = forms.MultipleChoiceField(required=False, choices=())
    category = forms.CharField(required=False)
    year = forms.CharField(required=False)
    team = forms.CharField(required=False)
    sort = forms.ChoiceField(required=False, choices=SORTS)
    page = forms.IntegerField(required=False, min_value=1, max_value=1000)

    def __init__(self, *args, kinds, doc_types, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kinds
        self.fields["type"].choices = doc_types

    def values(self) -> dict:
        """The cleaned filters; fields that did not validate are simply left out."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})

        def ints(name):
            return ids_from(self.data.getlist(name), limit=20) if name not in self.errors else []

        return {
            "text": data.get("q") or "",
            "kinds": data.get("kind") or [],
            "doc_types": data.get("type") or [],
            "categories": ints("category"),
            "years": ints("year"),
            "teams": ints("team"),
            "sort": data.get("sort") or "relevance",
            "page": data.get("page") or 1,
        }
