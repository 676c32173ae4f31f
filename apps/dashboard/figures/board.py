"""The Q&A board: questions asked, answered and unanswered in the fiscal year, the median time
to a first answer, and the topics most asked about."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from apps.board.models import Question
from apps.board.notices import unanswered_days
from apps.board.selectors import figures, top_tags

from ..scope import Scope
from ..tables import Chart, Table, num, text
from .base import TOP


def _questions(scope: Scope):
    """The questions the viewer may open, asked in the year (of the chosen step)."""
    questions = Question.objects.visible_to(scope.viewer).filter(scope.in_year("created_at"))
    if scope.step:
        questions = questions.filter(km_step=scope.step)
    return questions


def board_summary(scope: Scope) -> Table:
    """Asked, answered, with an accepted answer, unanswered past ``KM_UNANSWERED_DAYS``; the
    median hours from a question to its first answer."""
    days = unanswered_days()
    counted = figures(_questions(scope), days=days, today=scope.today)
    median = counted["median_hours"]
    rows = [
        [text(_("Questions asked")), num(counted["asked"])],
        [text(_("Answered")), num(counted["answered"])],
        [text(_("With an accepted answer")), num(counted["accepted"])],
        [
            text(_("Unanswered for more than %(days)d days") % {"days": days}),
            num(counted["unanswered"]),
        ],
        [
            text(_("Median time to the first answer (hours)")),
            num(median) if median is not None else text("–"),
        ],
    ]
    return Table(
        "board_summary",
        _("Questions and answers"),
        [_("Figure"), _("Number")],
        rows,
        note=_("Questions asked in the fiscal year (of the chosen step) that you may open."),
        chart=Chart("bar", (1,), rows=(0, 4)),
        named={"asked": rows[0][1], "unanswered": rows[3][1]},
    )


def board_topics(scope: Scope) -> Table:
    """The tags most asked about in the year."""
    rows = [[text(name), num(count)] for name, count in top_tags(_questions(scope), TOP)]
    return Table(
        "board_topics",
        _("Topics most asked about"),
        [_("Tag"), _("Questions")],
        rows,
        note=_("Tags of the questions asked in the fiscal year."),
        empty=_("No questions with tags in this year."),
    )
