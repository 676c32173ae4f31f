from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    name = "apps.dashboard"
    verbose_name = _("Dashboard")

    def ready(self) -> None:
        from apps.core import portal

        from . import rules

        portal.register_nav(
            portal.NavItem(
                "dashboard:home",
                _("Dashboard"),
                icon="speedometer2",
                order=45,
                visible=rules.is_staff_member,
            )
        )
