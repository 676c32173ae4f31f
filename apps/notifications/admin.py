"""Administrators see what was sent to whom, e-mails that failed, and the reminders that went.
Nothing is edited here: notices are written by the apps' services."""

from django.contrib import admin

from .models import Notification, SentReminder


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = [
        "created_at",
        "recipient",
        "kind",
        "actor",
        "delivery",
        "email_status",
        "read_at",
    ]
    list_filter = ["email_status", "delivery", "kind"]
    search_fields = ["recipient__username", "recipient__first_name", "kind"]
    date_hierarchy = "created_at"
    list_select_related = ["recipient", "actor"]
    exclude = ["email_claim"]


@admin.register(SentReminder)
class SentReminderAdmin(ReadOnlyAdmin):
    list_display = ["sent_at", "key", "kind", "recipients", "by"]
    list_filter = ["kind"]
    search_fields = ["key"]
    date_hierarchy = "sent_at"
