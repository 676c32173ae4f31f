from django.contrib import admin

from apps.core.admin import BEDateAdminMixin, VersionCheckedAdminMixin

from .models import Attachment, Comment, KnowledgeSet, Transition, Version


class VersionInline(admin.TabularInline):
    model = Version
    extra = 0
    fields = ["number", "title", "published_by", "published_at", "note"]
    readonly_fields = fields
    can_delete = False


class TransitionInline(admin.TabularInline):
    model = Transition
    extra = 0
    fields = ["at", "action", "from_status", "to_status", "actor", "note"]
    readonly_fields = fields
    can_delete = False


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0
    # Files come in through the portal's form, which checks them.
    fields = ["original_name", "mime", "size", "uploaded_by"]
    readonly_fields = fields


@admin.register(KnowledgeSet)
class KnowledgeSetAdmin(VersionCheckedAdminMixin, BEDateAdminMixin, admin.ModelAdmin):
    """For looking and for catalogue fixes; the workflow and the text change in the portal,
    where they are checked, rendered and recorded."""

    list_display = ["title", "kind", "group", "status", "review_due", "view_count"]
    list_filter = ["status", "kind", "km_step", "group"]
    search_fields = ["title", "summary"]
    autocomplete_fields = ["category", "tags", "authors", "reviewers", "holders", "documents"]
    readonly_fields = ["status", "published_version", "body", "view_count", "created_by"]
    inlines = [VersionInline, TransitionInline, AttachmentInline]


@admin.register(Comment)
class CommentAdmin(VersionCheckedAdminMixin, admin.ModelAdmin):
    list_display = ["knowledge_set", "kind", "author", "created_at"]
    list_filter = ["kind"]
    search_fields = ["body"]
    raw_id_fields = ["knowledge_set", "parent", "author"]
