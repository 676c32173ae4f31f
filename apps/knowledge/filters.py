import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.choices import KMStep
from apps.core.forms import PortalFilterSet, SearchTextFilter
from apps.core.thaidates import THAI_DIGITS
from apps.library import selectors as library_selectors
from apps.library.models import Category, Tag
from apps.teams.models import Team, TeamKind

from .models import KnowledgeSet, SetKind


class KnowledgeSetFilter(PortalFilterSet):
    """The knowledge corner's sets: by words, kind, KM step, category, group and tag."""

    q = SearchTextFilter(label=_("Title, summary or tag"), method="filter_text")
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=SetKind.choices, empty_label=_("All kinds")
    )
    km_step = django_filters.ChoiceFilter(
        label=_("KM step"), choices=KMStep.choices, empty_label=_("All steps")
    )
    # Categories in tree order, indented, rather than alphabetically.
    category = django_filters.ChoiceFilter(
        label=_("Category"),
        choices=library_selectors.category_choices,
        empty_label=_("All categories"),
        method="filter_category",
    )
    group = django_filters.ModelChoiceFilter(
        label=_("KM group"),
        queryset=Team.objects.filter(kind=TeamKind.KM_GROUP),
        empty_label=_("All groups"),
    )
    tag = django_filters.ModelChoiceFilter(
        label=_("Tag"), queryset=Tag.objects.all(), field_name="tags"
    )
    sort = django_filters.OrderingFilter(
        label=_("Sort by"),
        empty_label=None,
        fields=[
            ("published_version__published_at", "published"),
            ("view_count", "views"),
            ("useful_count", "useful"),
            ("published_version__title", "title"),
        ],
        choices=[
            ("-published", _("Newest first")),
            ("-views", _("Most read")),
            ("-useful", _("Most useful")),
            ("title", _("Title A–Z")),
        ],
    )

    class Meta:
        model = KnowledgeSet
        fields = ["q", "kind", "km_step", "category", "group", "tag"]

    def filter_text(self, queryset, name, value):
        for word in value.translate(THAI_DIGITS).split():
            queryset = queryset.filter(
                Q(published_version__title__icontains=word)
                | Q(published_version__summary__icontains=word)
                | Q(tags__name__iexact=word)
            )
        return queryset.distinct()

    def filter_category(self, queryset, name, value):
        category = Category.objects.filter(pk=value).first()
        if category is None:
            return queryset.none()
        return queryset.filter(category_id__in=library_selectors.descendant_ids(category))

    @property
    def form(self):
        if not hasattr(self, "_form"):
            form = super().form
            for field in form.fields.values():
                if isinstance(field.widget, forms.Select):
                    field.widget.attrs.setdefault("class", "form-select")
        return self._form
