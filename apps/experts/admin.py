from django.contrib import admin

from apps.core.admin import BEDateAdminMixin, VersionCheckedAdminMixin

from .models import Engagement, Expert, ExpertiseArea


@admin.register(ExpertiseArea)
class ExpertiseAreaAdmin(VersionCheckedAdminMixin, admin.ModelAdmin):
    list_display = ["name"]
    search_fields = ["name"]


class EngagementInline(BEDateAdminMixin, admin.TabularInline):
    model = Engagement
    extra = 0


@admin.register(Expert)
class ExpertAdmin(VersionCheckedAdminMixin, BEDateAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "kind", "organisation", "status"]
    list_filter = ["status", "kind", "expertise"]
    search_fields = ["first_name", "last_name", "organisation", "topics"]
    autocomplete_fields = ["person"]
    filter_horizontal = ["expertise"]
    raw_id_fields = ["suggested_by", "reviewed_by"]
    inlines = [EngagementInline]
