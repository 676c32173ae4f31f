from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "apps.plans"
    verbose_name = _("KM plan")

    def ready(self) -> None:
        from apps.core import audit, portal

        from . import models, selectors, steps

        for model in (
            models.Plan,
            models.FocusArea,
            models.DesiredState,
            models.ProgressReport,
            models.EvidenceFile,
            models.EvidenceLink,
            models.ProgressSummary,
        ):
            audit.register(model)
        audit.register(models.KnowledgeNeed, m2m_fields={"holders"})
        audit.register(models.Activity, m2m_fields={"owners"})
        # An approved version's snapshot is large and never changes: its creation is enough.
        audit.register(models.PlanVersion, exclude_fields=["snapshot"])
        # One entry: the navigation bar is full at 1280 px; meetings (their own app) are one
        # click away on the plan pages, and invitations wait on each person's home page.
        portal.register_nav(portal.NavItem("plans:list", _("KM plan"), icon="kanban", order=40))
        portal.register_home_section(
            portal.HomeSection(
                "plans-invitations",
                _("My KM meetings and tasks"),
                selectors.home_items,
                order=5,
                template="plans/includes/home_section.html",
            )
        )
        portal.register_person_panel(
            portal.PersonPanel(
                "plans", "plans/includes/person_panel.html", selectors.person_panel, order=40
            )
        )
        steps.register_library_documents()
