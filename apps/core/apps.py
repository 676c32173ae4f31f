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
        # Steps 5-7 (communities of practice, the Q&A board, mentoring and learning events) share
        # one menu: the bar is full at 1440 px. Each app puts its entry in it (``group="share"``).
        from . import portal

        portal.register_nav_group(
            portal.NavGroup("share", _("Share and learn"), icon="people-fill", order=35)
        )
        # django-axes names its app only "Axes", which the admin shows as a heading; its name here
        # is translated like every other app's.
        if apps.is_installed("axes"):
            apps.get_app_config("axes").verbose_name = _("Sign-in protection")
