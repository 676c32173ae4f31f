from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningConfig(AppConfig):
    name = "apps.learning"
    label = "learning"
    verbose_name = _("Learning and development")

    def ready(self) -> None:
        from apps.core import audit, portal

        from . import models, rules, selectors  # noqa: F401 - rules registers the permissions

        audit.register(models.MentoringPair)
        audit.register(models.MentoringSession)
        audit.register(models.SkillItem)
        audit.register(models.Rotation)
        audit.register(models.LearningEvent, m2m_fields={"organisers", "materials"})
        audit.register(models.Registration)
        audit.register(models.Evaluation)
        portal.register_nav(
            portal.NavItem(
                "learning:home",
                _("Mentoring and learning events"),
                icon="mortarboard-fill",
                order=37,
                group="share",
            )
        )
        portal.register_home_section(
            portal.HomeSection(
                "learning-events",
                _("Coming learning events"),
                selectors.home_events,
                more_url_name="learning:event_list",
                order=20,
                template="learning/includes/home_events.html",
                cache_key=selectors.home_events_depend_on,
            )
        )
        portal.register_person_panel(
            portal.PersonPanel(
                "learning-mentoring",
                "learning/includes/person_mentoring.html",
                selectors.person_mentoring,
                order=60,
            )
        )
        self.register_step_sources()

    @staticmethod
    def register_step_sources() -> None:
        """Events under access/sharing (steps 5–6), mentoring under sharing, rotations under
        learning, on the seven-steps page and as evidence progress reports can link to."""
        from apps.core import steps

        from .models import LearningEvent, MentoringPair, Rotation

        steps.register(
            steps.StepSource(
                key="learning-events",
                label=_("Learning events"),
                icon="easel",
                model=LearningEvent,
                visible=lambda user: LearningEvent.objects.visible_to(user),
                url_name="learning:event_detail",
                in_year=lambda qs, first, last: qs.filter(date__range=(first, last)),
                order=40,
            )
        )
        steps.register(
            steps.StepSource(
                key="learning-mentoring",
                label=_("Mentoring pairs"),
                icon="people",
                model=MentoringPair,
                visible=lambda user: MentoringPair.objects.visible_to(user).select_related(
                    "mentor", "mentee"
                ),
                url_name="learning:pair_detail",
                order=41,
                title_field="topic",
            )
        )
        steps.register(
            steps.StepSource(
                key="learning-rotations",
                label=_("Job rotations and secondments"),
                icon="arrow-left-right",
                model=Rotation,
                visible=lambda user: Rotation.objects.visible_to(user).select_related("person"),
                url_name="learning:rotation_detail",
                order=42,
                title_field="",  # no title to type: its page's address is still accepted
            )
        )
