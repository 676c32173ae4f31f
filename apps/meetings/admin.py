from django.contrib import admin

from apps.core.admin import BEDateAdminMixin, VersionCheckedAdminMixin

from .models import ActionItem, AgendaItem, Attendance, Meeting, Minutes

# Meetings are kept on the portal's pages, through the services; the admin is for looking things
# up and for repairs.


class AgendaItemInline(admin.StackedInline):
    model = AgendaItem
    extra = 0


class AttendanceInline(admin.TabularInline):
    model = Attendance
    extra = 0
    autocomplete_fields = ["person"]


@admin.register(Meeting)
class MeetingAdmin(VersionCheckedAdminMixin, BEDateAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "team", "date", "start_time", "status"]
    list_filter = ["team", "status", "fiscal_year"]
    search_fields = ["title", "place"]
    inlines = [AttendanceInline, AgendaItemInline]


@admin.register(Minutes)
class MinutesAdmin(VersionCheckedAdminMixin, admin.ModelAdmin):
    list_display = ["meeting", "status", "adopted_at"]
    list_filter = ["status"]


@admin.register(ActionItem)
class ActionItemAdmin(VersionCheckedAdminMixin, BEDateAdminMixin, admin.ModelAdmin):
    list_display = ["description", "owner", "due_date", "status", "meeting"]
    list_filter = ["status"]
    list_select_related = ["owner", "meeting"]
