from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "apps.meetings"
    verbose_name = _("Meetings")

    def ready(self) -> None:
        from apps.core import audit, portal
        from apps.plans import extensions

        from . import models, rules, selectors  # noqa: F401 - rules registers the permissions

        for model in (
            models.Meeting,
            models.Attendance,
            models.AgendaItem,
            models.Minutes,
            models.ActionItem,
        ):
            audit.register(model)
        portal.register_nav(
            portal.NavItem(
                "meetings:list",
                _("Meetings"),
                icon="calendar-event",
                order=45,
                visible=lambda user: user.has_perm("meetings.browse_meetings"),
            )
        )
        # Meetings show on the plan's pages, the home page and people's pages through the plans
        # app's sections (one "My KM meetings and tasks", one "KM work"): plans never imports us.
        extensions.register(
            extensions.PlanExtension(
                key="meetings",
                home_entries=selectors.home_entries,
                person_part=selectors.person_part,
                person_template="meetings/includes/person_part.html",
                activity_part=selectors.activity_part,
                activity_template="meetings/includes/activity_part.html",
                mark_activities=selectors.mark_activities,
                step_records=selectors.step_meetings,
                step_template="meetings/includes/step_meetings.html",
                plan_list_template="meetings/includes/plan_list_link.html",
            )
        )
