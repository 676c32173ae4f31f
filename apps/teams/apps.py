from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TeamsConfig(AppConfig):
    name = "apps.teams"
    verbose_name = _("KM teams and roles")

    def ready(self) -> None:
        from apps.core import audit, portal

        from . import models, selectors

        for model in (models.Team, models.Membership, models.AppointmentOrder, models.RoleDuty):
            audit.register(model)
        # Teams, the staff directory and the experts share one "People" menu: the bar is full.
        portal.register_nav_group(portal.NavGroup("people", _("People"), icon="people", order=60))
        portal.register_nav(
            portal.NavItem("teams:list", _("KM teams"), icon="people", order=60, group="people")
        )
        portal.register_nav(
            portal.NavItem(
                "teams:directory",
                _("Staff directory"),
                icon="person-lines-fill",
                order=70,
                group="people",
            )
        )
        portal.register_person_panel(
            portal.PersonPanel("teams", "teams/includes/person_teams.html", selectors.person_teams)
        )
