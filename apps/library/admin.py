from django.contrib import admin

from apps.core.admin import BEDateAdminMixin, VersionCheckedAdminMixin

from .models import Category, Document, DocumentFile, Tag


@admin.register(Category)
class CategoryAdmin(VersionCheckedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "parent", "order"]
    list_editable = ["order"]
    search_fields = ["name"]


@admin.register(Tag)
class TagAdmin(VersionCheckedAdminMixin, admin.ModelAdmin):
    search_fields = ["name"]


class DocumentFileInline(admin.TabularInline):
    model = DocumentFile
    extra = 0
    # Files come in through the portal's upload form, which checks them.
    fields = ["original_name", "mime", "size", "is_main", "text_status", "text_error"]
    readonly_fields = fields
    can_delete = False


@admin.register(Document)
class DocumentAdmin(VersionCheckedAdminMixin, BEDateAdminMixin, admin.ModelAdmin):
    list_display = ["title", "doc_type", "number", "agency", "issued_on", "access"]
    list_filter = ["doc_type", "access", "km_step"]
    search_fields = ["title", "number", "agency"]
    autocomplete_fields = ["category", "tags", "replaced_by", "access_team", "uploaded_by"]
    inlines = [DocumentFileInline]
