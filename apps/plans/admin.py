from django.contrib import admin

from apps.core.admin import BEDateAdminMixin, VersionCheckedAdminMixin

from .models import (
    Activity,
    DesiredState,
    FocusArea,
    KnowledgeNeed,
    Plan,
    PlanEvent,
    PlanVersion,
    ProgressReport,
    ProgressSummary,
)

# The plan's workflow and locks live in the portal's pages and services; the admin is for
# looking things up and for repairs, so the workflow fields are read-only here.


class FocusAreaInline(admin.TabularInline):
    model = FocusArea
    extra = 0


class PlanEventInline(admin.TabularInline):
    model = PlanEvent
    extra = 0
    readonly_fields = ["kind", "at", "by", "version", "note"]
    can_delete = False


@admin.register(Plan)
class PlanAdmin(VersionCheckedAdminMixin, BEDateAdminMixin, admin.ModelAdmin):
    list_display = ["fiscal_year", "title", "status", "version", "approved_at"]
    list_filter = ["status"]
    search_fields = ["title"]
    readonly_fields = ["status", "version", "approved_at", "approved_by", "submitted_at"]
    inlines = [FocusAreaInline, PlanEventInline]


@admin.register(PlanVersion)
class PlanVersionAdmin(admin.ModelAdmin):
    list_display = ["plan", "number", "approved_at", "approved_by"]
    readonly_fields = ["plan", "number", "reason", "approved_at", "approved_by", "snapshot"]


@admin.register(KnowledgeNeed)
class KnowledgeNeedAdmin(VersionCheckedAdminMixin, admin.ModelAdmin):
    list_display = ["topic", "plan", "current_form", "priority"]
    list_filter = ["plan", "current_form", "priority"]
    search_fields = ["topic"]
    filter_horizontal = ["holders"]


@admin.register(DesiredState)
class DesiredStateAdmin(VersionCheckedAdminMixin, BEDateAdminMixin, admin.ModelAdmin):
    list_display = ["title", "plan", "deadline"]
    list_filter = ["plan"]


@admin.register(Activity)
class ActivityAdmin(VersionCheckedAdminMixin, BEDateAdminMixin, admin.ModelAdmin):
    list_display = ["title", "plan", "km_step", "change_element", "status", "percent", "end_date"]
    list_filter = ["plan", "km_step", "change_element", "status"]
    search_fields = ["title"]
    filter_horizontal = ["owners"]
    list_select_related = ["plan"]


@admin.register(ProgressReport)
class ProgressReportAdmin(VersionCheckedAdminMixin, BEDateAdminMixin, admin.ModelAdmin):
    list_display = ["activity", "as_of", "percent", "status", "reported_by"]
    list_select_related = ["activity", "reported_by"]


@admin.register(ProgressSummary)
class ProgressSummaryAdmin(VersionCheckedAdminMixin, admin.ModelAdmin):
    list_display = ["plan", "quarter", "compiled_by", "updated_at"]
