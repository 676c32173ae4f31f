from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from apps.core.admin import BEDateAdminMixin, VersionCheckedAdminMixin

from .models import AppointmentOrder, Membership, RoleDuty, Team


class MembershipInline(BEDateAdminMixin, admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["person", "order"]


class RoleDutyInline(admin.TabularInline):
    model = RoleDuty
    extra = 0


@admin.register(Team)
class TeamAdmin(VersionCheckedAdminMixin, BEDateAdminMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "topic", "is_active", "order"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "topic"]
    inlines = [MembershipInline, RoleDutyInline]


@admin.register(AppointmentOrder)
class AppointmentOrderAdmin(VersionCheckedAdminMixin, BEDateAdminMixin, admin.ModelAdmin):
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


@admin.register(Membership)
class MembershipAdmin(VersionCheckedAdminMixin, BEDateAdminMixin, admin.ModelAdmin):
    list_display = ["person", "team", "role", "start_date", "end_date", "order"]
    list_filter = ["role", "team__kind", "team"]
    search_fields = ["person__first_name", "person__last_name", "person__username", "team__name"]
    autocomplete_fields = ["person", "team", "order"]
    list_select_related = ["person", "team", "order"]
