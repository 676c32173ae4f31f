from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "apps.core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django.apps import apps

        from . import checks, forms, thaidates  # noqa: F401 (checks register themselves)

        thaidates.install_buddhist_era()
        forms.install_text_cleaning()
        # django-axes names its app only "Axes", which the admin shows as a heading; its name here
        # is translated like every other app's.
        if apps.is_installed("axes"):
            apps.get_app_config("axes").verbose_name = _("Sign-in protection")
