from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "apps.core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from . import checks, thaidates  # noqa: F401 (checks register themselves)

        thaidates.install_buddhist_era()
