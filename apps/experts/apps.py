from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExpertsConfig(AppConfig):
    name = "apps.experts"
    verbose_name = _("Expert directory")

    def ready(self) -> None:
        from apps.core import audit, portal

        from .models import Engagement, Expert, ExpertiseArea

        audit.register(ExpertiseArea)
        audit.register(Expert, m2m_fields={"expertise"})
        audit.register(Engagement)
        portal.register_nav(
            portal.NavItem(
                "experts:list", _("Experts"), icon="mortarboard", order=75, group="people"
            )
        )
