import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Unit, User
from apps.core.forms import PortalFilterSet, SearchTextFilter

from .models import Membership, Role, Team


class DirectoryFilter(PortalFilterSet):
    """The staff directory: by name, unit, team, role, and whether the term is current."""

    STATUS_CHOICES = [("current", _("Current members")), ("past", _("Past members"))]

    q = SearchTextFilter(label=_("Name or position"), method="filter_text")
    unit = django_filters.ModelChoiceFilter(label=_("Unit"), queryset=Unit.objects.all())
    team = django_filters.ModelChoiceFilter(
        label=_("Team"), queryset=Team.objects.filter(is_active=True), method="filter_membership"
    )
    role = django_filters.ChoiceFilter(
        label=_("Role"), choices=Role.choices, method="filter_membership"
    )
    status = django_filters.ChoiceFilter(
        label=_("Membership"),
        choices=STATUS_CHOICES,
        method="filter_membership",
        empty_label=_("Everyone"),
    )

    class Meta:
        model = User
        fields = ["q", "unit", "team", "role", "status"]

    def filter_text(self, queryset, name, value):
        for word in value.split():
            queryset = queryset.filter(
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(position__icontains=word)
                | Q(username__icontains=word)
            )
        return queryset

    def filter_membership(self, queryset, name, value):
        # Team, role and status describe one membership together, so they are applied once,
        # in ``filter_queryset``; each field's own method does nothing.
        return queryset

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        team, role, status = data.get("team"), data.get("role"), data.get("status")
        if not (team or role or status):
            return queryset
        memberships = Membership.objects.all()
        if team:
            memberships = memberships.filter(team=team)
        if role:
            memberships = memberships.filter(role=role)
        if status == "current":
            memberships = memberships.current()
        elif status == "past":
            memberships = memberships.past()
        return queryset.filter(pk__in=memberships.values("person_id"))

    @property
    def form(self):
        form = super().form
        for field in form.fields.values():
            if isinstance(field.widget, forms.Select):
                field.widget.attrs.setdefault("class", "form-select")
        return form
