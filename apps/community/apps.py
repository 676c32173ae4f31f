from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunityConfig(AppConfig):
    name = "apps.community"
    label = "community"
    verbose_name = _("Communities of practice")

    def ready(self) -> None:
        from apps.core import audit, portal
        from apps.meetings import hosts
        from apps.plans import extensions

        from . import models, notices, rules, selectors  # noqa: F401 - rules and notices register

        audit.register(models.Community)
        audit.register(models.Member)
        audit.register(models.Session)
        audit.register(models.KnowledgeAsset, m2m_fields={"who_to_ask"})
        portal.register_nav(
            portal.NavItem(
                "community:list",
                _("Communities of practice"),
                icon="people-fill",
                order=35,
                visible=lambda user: user.has_perm("community.browse"),
                group="share",
            )
        )
        portal.register_person_panel(
            portal.PersonPanel(
                "community",
                "community/includes/person_panel.html",
                selectors.person_panel,
                order=45,
            )
        )
        # Sessions are meetings held by the community: facilitators and note-takers (and the
        # KM office) keep them, whoever may read the community reads them.
        hosts.register(
            hosts.HostKind(
                key="community",
                label=_("Community of practice"),
                model=models.Community,
                keeps=lambda user, community: rules.may_keep_sessions(user, community),
                reads=lambda user, community: rules.may_read(user, community),
                readable=lambda user: models.Community.objects.visible_to(user).values("pk"),
            )
        )
        # An activity's page lists the communities working on it, their sessions and assets:
        # the evidence its owners link to in their progress reports.
        extensions.register(
            extensions.PlanExtension(
                key="community",
                activity_part=selectors.activity_part,
                activity_template="community/includes/activity_part.html",
                order=60,
            )
        )
        self.register_step_sources()
        # Its own questions on the Q&A board (the board's "cop" space).
        from . import board

        board.register()

    @staticmethod
    def register_step_sources() -> None:
        """Sessions and assets on the seven-steps page, under their KM step, and as evidence
        progress reports link to (their pages' addresses resolve through ``steps``)."""
        from apps.core import steps

        from .models import KnowledgeAsset, Session

        steps.register(
            steps.StepSource(
                key="community_sessions",
                label=_("Community of practice sessions"),
                icon="people-fill",
                model=Session,
                visible=lambda user: Session.objects.visible_to(user).select_related(
                    "meeting", "community"
                ),
                url_name="community:session",
                in_year=lambda qs, first, last: qs.filter(meeting__date__range=(first, last)),
                order=40,
                title_field="meeting__title",
            )
        )
        steps.register(
            steps.StepSource(
                key="community_assets",
                label=_("Knowledge assets"),
                icon="lightbulb",
                model=KnowledgeAsset,
                visible=lambda user: KnowledgeAsset.objects.visible_to(user).select_related(
                    "community"
                ),
                url_name="community:asset",
                in_year=lambda qs, first, last: qs.filter(created_at__date__range=(first, last)),
                order=41,
            )
        )
