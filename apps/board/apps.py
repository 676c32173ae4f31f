from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BoardConfig(AppConfig):
    name = "apps.board"
    label = "board"
    verbose_name = _("Q&A board")

    def ready(self) -> None:
        from django.urls import reverse

        from apps.core import audit, portal, steps

        from . import selectors
        from .models import Answer, Comment, Question

        audit.register(Question, m2m_fields={"tags"}, exclude_fields=["body_html"])
        audit.register(Answer, exclude_fields=["body_html"])
        audit.register(Comment)
        # Not audited: votes (one row per click) and the people asked (their notices record it).
        portal.register_nav(
            portal.NavItem(
                "board:list", _("Q&A board"), icon="chat-square-text", order=36, group="share"
            )
        )
        portal.register_person_panel(
            portal.PersonPanel(
                "board", "board/includes/person_answers.html", selectors.person_answers, order=45
            )
        )
        portal.register_no_result_action(
            portal.NoResultAction(
                key="board",
                url_name="board:ask",
                label=_("Ask it as a question on the Q&A board"),
                icon="chat-square-text",
                param="title",
                visible=lambda user: user.has_perm("board.ask"),
            )
        )
        steps.register(
            steps.StepSource(
                key="board",
                label=_("Questions and answers"),
                icon="chat-square-text",
                model=Question,
                visible=lambda user: Question.objects.visible_to(user).shown(),
                url_name="board:detail",
                in_year=lambda qs, first, last: qs.filter(created_at__date__range=(first, last)),
                list_url=lambda step: f"{reverse('board:list')}?km_step={step}",
                order=60,
            )
        )
