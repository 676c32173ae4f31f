from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.urls import reverse
from django.utils.html import format_html
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
    # Photos are uploaded on the profile page, which checks and resizes them; here they open
    # through the same view (uploads are not served from MEDIA_URL).
    readonly_fields = ["current_photo"]

    @admin.display(description=_("photo"))
    def current_photo(self, person):
        if not person.photo:
            return "—"
        url = reverse("accounts:photo", args=[person.username])
        return format_html('<a href="{}"><img src="{}" alt="" height="64"></a>', url, url)

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
                    "current_photo",
                ]
            },
        ),
        (
            _("Permissions"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
