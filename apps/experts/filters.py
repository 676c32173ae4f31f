import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from apps.core.forms import PortalFilterSet, SearchTextFilter

from .models import Expert, ExpertiseArea, ExpertKind, ExpertStatus


class ExpertFilter(PortalFilterSet):
    """The directory's filter bar: free text, an expertise area, internal or external."""

    q = SearchTextFilter(
        label=_("Search"),
        method="search",
        widget=forms.TextInput(
            attrs={"placeholder": _("Name, organisation, topic …"), "type": "search"}
        ),
    )
    expertise = django_filters.ModelChoiceFilter(
        label=_("Expertise area"),
        queryset=ExpertiseArea.objects.all(),
        empty_label=_("All areas"),
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=ExpertKind.choices, empty_label=_("Any kind")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=ExpertStatus.choices, empty_label=_("Any status")
    )

    class Meta:
        model = Expert
        fields = ["q", "expertise", "kind", "status"]

    def search(self, queryset, name, value):
        """Every word must match a name, the organisation, the position, a topic or an area."""
        through = Expert.expertise.through
        for word in value.split():
            area = through.objects.filter(
                expert_id=OuterRef("pk"), expertisearea__name__icontains=word
            )
            queryset = queryset.filter(
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(title__icontains=word)
                | Q(organisation__icontains=word)
                | Q(position__icontains=word)
                | Q(topics__icontains=word)
                | Exists(area)
            )
        return queryset
