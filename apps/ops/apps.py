from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    name = "apps.ops"
    verbose_name = _("Operations")

    def ready(self) -> None:
        from . import jobwatch

        # Every app's jobs, in the web too: the jobs page lists the schedules, and a job
        # enqueued from the web must be known by name.
        autodiscover_modules("tasks")
        jobwatch.connect()
