from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "apps.notifications"
    label = "notifications"
    verbose_name = _("Notifications")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Each app registers its kinds of notice and its reminders in its ``notices`` module.
        autodiscover_modules("notices")
        from . import schedule  # noqa: F401  (registers the daily job with the worker)
