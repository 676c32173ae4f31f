import django_filters
from django import forms
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.choices import KMStep
from apps.core.forms import PortalFilterSet, SearchTextFilter

from . import spaces
from .models import Question


class Show(models.TextChoices):
    UNANSWERED = "unanswered", _("Not answered yet")
    ANSWERED = "answered", _("Answered")
    ACCEPTED = "accepted", _("With an accepted answer")
    MINE = "mine", _("My questions")


class QuestionFilter(PortalFilterSet):
    """The board's filter bar: words of the title, which questions, a KM step, a tag."""

    q = SearchTextFilter(
        label=_("Words in the question"),
        method="search",
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    show = django_filters.ChoiceFilter(
        label=_("Show"), choices=Show.choices, method="filter_show", empty_label=_("All questions")
    )
    km_step = django_filters.ChoiceFilter(
        label=_("KM step"), choices=KMStep.choices, empty_label=_("Any step")
    )
    tag = django_filters.CharFilter(
        label=_("Tag"), field_name="tags__name", lookup_expr="iexact", max_length=100
    )
    # A space's own questions ("cop:12", from the space's page); the list is already limited
    # to the spaces the person may read.
    space = django_filters.CharFilter(
        method="filter_space", max_length=50, widget=forms.HiddenInput
    )

    class Meta:
        model = Question
        fields = ["q", "show", "km_step", "tag", "space"]

    def filter_space(self, queryset, name, value):
        found = spaces.parse(value)
        if found is None:
            return queryset.none()
        kind, pk = found
        return queryset.filter(space_kind=kind.code, space_id=pk)

    def search(self, queryset, name, value):
        for word in value.split()[:10]:
            queryset = queryset.filter(Q(title__icontains=word) | Q(body__icontains=word))
        return queryset

    def filter_show(self, queryset, name, value):
        if value == Show.UNANSWERED:
            return queryset.filter(answer_count=0)
        if value == Show.ANSWERED:
            return queryset.filter(answer_count__gt=0)
        if value == Show.ACCEPTED:
            return queryset.filter(accepted_answer__isnull=False)
        if value == Show.MINE:
            return queryset.filter(asker_id=self.request.user.pk)
        return queryset
