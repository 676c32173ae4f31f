import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.choices import KMStep
from apps.core.forms import BEYearFilter, PortalFilterSet, SearchTextFilter
from apps.core.thaidates import ce_year

from . import selectors
from .models import Category, Document, DocumentType, Tag
from .wordfilter import words_of


class DocumentFilter(PortalFilterSet):
    """The shelves: by type, category (with everything below it), tag, year (B.E.), agency."""

    q = SearchTextFilter(label=_("Title, number or description"), method="filter_text")
    doc_type = django_filters.ChoiceFilter(
        label=_("Document type"), choices=DocumentType.choices, empty_label=_("All types")
    )
    category = django_filters.ModelChoiceFilter(
        label=_("Category"), queryset=Category.objects.all(), method="filter_category"
    )
    tag = django_filters.ModelChoiceFilter(
        label=_("Tag"), queryset=Tag.objects.all(), field_name="tags"
    )
    year = BEYearFilter(label=_("Year (B.E.)"), method="filter_year")
    agency = django_filters.CharFilter(label=_("Issuing agency"), field_name="agency")
    km_step = django_filters.ChoiceFilter(
        label=_("KM step"), choices=KMStep.choices, empty_label=_("All steps")
    )
    sort = django_filters.OrderingFilter(
        label=_("Sort by"),
        empty_label=None,
        fields=[("issued_on", "issued"), ("title", "title"), ("created_at", "added")],
        field_labels={
            "-issued": _("Newest first"),
            "issued": _("Oldest first"),
            "title": _("Title A–Z"),
            "-added": _("Recently added"),
        },
        choices=[
            ("-issued", _("Newest first")),
            ("issued", _("Oldest first")),
            ("title", _("Title A–Z")),
            ("-added", _("Recently added")),
        ],
    )

    class Meta:
        model = Document
        fields = ["q", "doc_type", "category", "tag", "year", "agency", "km_step"]

    def filter_text(self, queryset, name, value):
        # The list page itself finds the words without SQL (``wordfilter``, issue 20); this is
        # the meaning it keeps.
        for word in words_of(value):
            queryset = queryset.filter(
                Q(title__icontains=word)
                | Q(number__icontains=word)
                | Q(description__icontains=word)
            )
        return queryset

    def filter_category(self, queryset, name, value):
        return queryset.filter(category_id__in=selectors.descendant_ids(value))

    def filter_year(self, queryset, name, value):
        # People type B.E. years; a C.E. year is understood too (the field gives B.E.).
        return queryset.filter(issued_on__year=ce_year(value))

    @property
    def form(self):
        form = super().form
        for field in form.fields.values():
            if isinstance(field.widget, forms.Select):
                field.widget.attrs.setdefault("class", "form-select")
        return form
