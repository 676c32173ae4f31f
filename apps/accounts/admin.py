from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from apps.core.admin import BEDateAdminMixin, VersionCheckedAdminMixin

from .models import Unit, User


@admin.register(Unit)
class UnitAdmin(VersionCheckedAdminMixin, BEDateAdminMixin, admin.ModelAdmin):
    list_display = ["name", "short_name", "order"]
    list_editable = ["order"]
    search_fields = ["name", "short_name"]


@admin.register(User)
class UserAdmin(VersionCheckedAdminMixin, BEDateAdminMixin, DjangoUserAdmin):
    list_display = ["username", "__str__", "position", "unit", "is_active", "is_staff"]
    list_filter = ["unit", "is_active", "is_staff", "is_superuser"]
    search_fields = ["username", "first_name", "last_name", "email", "position"]
    list_select_related = ["unit"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (
            _("Personal info"),
            {
                "fields": [
                    "title",
                    "first_name",
                    "last_name",
                    "position",
                    "unit",
                    "phone",
                    "email",
                    "photo",
                ]
            },
        ),
        (
            _("Permissions"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
