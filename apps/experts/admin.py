"""The expert directory's admin: entries are saved and removed through ``services``; their
review happens on the portal's review page, and their talks are kept on the entry's page."""

from django.contrib import admin

from apps.core.admin import BEDateAdminMixin, VersionCheckedAdminMixin
from apps.core.adminwrites import ReadOnlyInlineMixin, ServiceAdminMixin

from . import services
from .models import Engagement, Expert, ExpertiseArea


@admin.register(ExpertiseArea)
class ExpertiseAreaAdmin(VersionCheckedAdminMixin, admin.ModelAdmin):
    list_display = ["name"]
    search_fields = ["name"]


class EngagementInline(ReadOnlyInlineMixin, BEDateAdminMixin, admin.TabularInline):
    model = Engagement


@admin.register(Expert)
class ExpertAdmin(ServiceAdminMixin, VersionCheckedAdminMixin, BEDateAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "kind", "organisation", "status"]
    list_filter = ["status", "kind", "expertise"]
    search_fields = ["first_name", "last_name", "organisation", "topics"]
    autocomplete_fields = ["person"]
    filter_horizontal = ["expertise"]
    readonly_fields = ["status", "suggested_by", "reviewed_by", "reviewed_at", "review_note"]
    inlines = [EngagementInline]

    def create(self, request, form) -> Expert:
        return services.expert_create(
            by=request.user,
            fields=self.cleaned(form, services.EXPERT_FIELDS),
            expertise=form.cleaned_data.get("expertise", ()),
        )

    def update(self, request, obj, form) -> Expert:
        return services.expert_update(
            by=request.user,
            expert=obj,
            fields=self.cleaned(form, services.EXPERT_FIELDS),
            expertise=form.cleaned_data.get("expertise"),
        )

    def delete_model(self, request, obj) -> None:
        services.expert_delete(by=request.user, expert=obj)
