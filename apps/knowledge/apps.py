from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KnowledgeConfig(AppConfig):
    name = "apps.knowledge"
    verbose_name = _("Knowledge sets")

    def ready(self) -> None:
        from apps.core import audit, portal

        from . import models, selectors

        audit.register(
            models.KnowledgeSet,
            m2m_fields={"authors", "reviewers", "holders", "tags", "documents"},
            exclude_fields=["body_html", "toc", "view_count"],
        )
        audit.register(models.Version, exclude_fields=["body_html", "toc"])
        for model in (models.Transition, models.Comment, models.Vote, models.Attachment):
            audit.register(model)
        # Not audited: ReadingDay (one row per reader a day, only to count views). Notices live
        # in apps.notifications (kinds and reminders in ``notices.py``).
        portal.register_nav(
            portal.NavItem("knowledge:list", _("Knowledge sets"), icon="journal-richtext", order=30)
        )
        portal.register_home_section(
            portal.HomeSection(
                "knowledge-for-you",
                _("Knowledge sets: for you"),
                selectors.for_you,
                more_url_name="knowledge:workbench",
                order=5,
                template="knowledge/includes/home_for_you.html",
            )
        )
        portal.register_home_section(
            portal.HomeSection(
                "knowledge-latest",
                _("New knowledge sets"),
                selectors.latest_published,
                more_url_name="knowledge:list",
                order=15,
                cache_key=selectors.published_fingerprint,
            )
        )
        portal.register_person_panel(
            portal.PersonPanel(
                "knowledge", "knowledge/includes/person_sets.html", selectors.person_sets, order=40
            )
        )
        self.register_step_source()

    @staticmethod
    def register_step_source() -> None:
        """Knowledge sets on the seven-steps page (under the step they serve) and as evidence
        that progress reports can link to."""
        from django.urls import reverse

        from apps.core import steps

        from .models import KnowledgeSet

        steps.register(
            steps.StepSource(
                key="knowledge",
                label=_("Knowledge sets"),
                icon="journal-richtext",
                model=KnowledgeSet,
                visible=lambda user: KnowledgeSet.objects.visible_to(user).select_related(
                    "published_version"
                ),
                url_name="knowledge:detail",
                list_url=lambda step: f"{reverse('knowledge:list')}?km_step={step}",
                order=20,
            )
        )
