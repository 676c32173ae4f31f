"""The teams app's admin: saves go through ``services`` (the one write path); a team's terms
and duties are shown for reference and kept on the team's page."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from apps.core.admin import BEDateAdminMixin, VersionCheckedAdminMixin
from apps.core.adminwrites import ReadOnlyInlineMixin, ServiceAdminMixin

from . import services
from .models import AppointmentOrder, Membership, RoleDuty, Team


class MembershipInline(ReadOnlyInlineMixin, BEDateAdminMixin, admin.TabularInline):
    model = Membership


class RoleDutyInline(ReadOnlyInlineMixin, admin.TabularInline):
    model = RoleDuty


@admin.register(Team)
class TeamAdmin(ServiceAdminMixin, VersionCheckedAdminMixin, BEDateAdminMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "topic", "is_active", "order"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "topic"]
    inlines = [MembershipInline, RoleDutyInline]

    def create(self, request, form) -> Team:
        return services.team_create(
            by=request.user, fields=self.cleaned(form, services.TEAM_FIELDS)
        )

    def update(self, request, obj, form) -> Team:
        return services.team_update(
            by=request.user, team=obj, fields=self.cleaned(form, services.TEAM_FIELDS)
        )


@admin.register(AppointmentOrder)
class AppointmentOrderAdmin(
    ServiceAdminMixin, VersionCheckedAdminMixin, BEDateAdminMixin, admin.ModelAdmin
):
    list_display = ["__str__", "issued_on", "subject", "issuing_office"]
    list_filter = ["year"]
    search_fields = ["subject", "number", "issuing_office"]
    filter_horizontal = ["teams"]
    # Scans are uploaded through the portal's order form, which checks them; here they open
    # through the same permission-checked view (uploads are not served from MEDIA_URL).
    exclude = ["scan"]
    readonly_fields = ["signed_scan", "scan_filename", "scan_content_type"]

    @admin.display(description=_("signed scan"))
    def signed_scan(self, order):
        if not order.scan:
            return "—"
        url = reverse("teams:order_scan", args=[order.pk])
        return format_html('<a href="{}">{}</a>', url, order.scan_filename or _("signed scan"))

    def create(self, request, form) -> AppointmentOrder:
        return services.order_create(
            by=request.user,
            fields=self.cleaned(form, services.ORDER_FIELDS),
            teams=form.cleaned_data.get("teams", ()),
        )

    def update(self, request, obj, form) -> AppointmentOrder:
        return services.order_update(
            by=request.user,
            order=obj,
            fields=self.cleaned(form, services.ORDER_FIELDS),
            teams=form.cleaned_data.get("teams"),
        )


@admin.register(Membership)
class MembershipAdmin(
    ServiceAdminMixin, VersionCheckedAdminMixin, BEDateAdminMixin, admin.ModelAdmin
):
    list_display = ["person", "team", "role", "start_date", "end_date", "order"]
    list_filter = ["role", "team__kind", "team"]
    search_fields = ["person__first_name", "person__last_name", "person__username", "team__name"]
    autocomplete_fields = ["person", "team", "order"]
    list_select_related = ["person", "team", "order"]

    def get_readonly_fields(self, request, obj=None):
        # Who holds a term and in which team do not change; end it and add another instead.
        return ["person", "team"] if obj else []

    def create(self, request, form) -> Membership:
        return services.membership_add(
            by=request.user,
            team=form.cleaned_data["team"],
            fields=self.cleaned(form, services.MEMBERSHIP_FIELDS),
        )

    def update(self, request, obj, form) -> Membership:
        return services.membership_update(
            by=request.user, membership=obj, fields=self.cleaned(form, services.MEMBERSHIP_FIELDS)
        )
