"""The board's dashboard figures: asked, answered, accepted, unanswered, median time to the
first answer (only questions the viewer may open), and the personal lists."""

import datetime as dt

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from apps.board import services
from apps.board.models import Question
from apps.core.thaidates import fiscal_year
from apps.dashboard.figures import board_summary
from apps.dashboard.scope import Scope

pytestmark = pytest.mark.django_db


def scope_for(user) -> Scope:
    request = RequestFactory().get("/")
    request.user = user
    return Scope.for_request(request, year=fiscal_year(timezone.localdate()), team=None, step="")


def figures_of(user) -> list:
    return [row[1].value for row in board_summary(scope_for(user)).rows]


def test_the_figures_count_what_the_viewer_may_open(people, test_space, settings):
    settings.KM_UNANSWERED_DAYS = 3
    now = timezone.now()
    first = services.question_ask(by=people["staff"], title="คำถามหนึ่ง")
    answer = services.answer_post(by=people["member"], question=first, body="คำตอบ")
    services.answer_accept(by=people["staff"], question=first, answer=answer)
    second = services.question_ask(by=people["staff"], title="คำถามสอง")
    services.answer_post(by=people["member"], question=second, body="คำตอบ")
    old = services.question_ask(by=people["staff"], title="คำถามเก่า")
    test_space["members"][1] = {people["member"].pk}
    services.question_ask(by=people["member"], title="ในชมรม", space_kind="club", space_id=1)
    # Asked 2 h and 4 h before their first answers; the old one five days ago, unanswered.
    Question.objects.filter(pk=first.pk).update(created_at=now - dt.timedelta(hours=2))
    Question.objects.filter(pk=second.pk).update(created_at=now - dt.timedelta(hours=4))
    Question.objects.filter(pk=old.pk).update(created_at=now - dt.timedelta(days=5))
    first.refresh_from_db()
    expected_median = round(
        (
            (first.first_answer_at - first.created_at).total_seconds()
            + (
                Question.objects.get(pk=second.pk).first_answer_at - (now - dt.timedelta(hours=4))
            ).total_seconds()
        )
        / 2
        / 3600,
        1,
    )
    staff = figures_of(people["staff"])
    assert staff[:4] == [3, 2, 1, 1]
    assert staff[4] == expected_median
    assert figures_of(people["member"])[0] == 4  # the club's question too


def test_the_office_dashboard_shows_the_board_section(client_as, people):
    services.question_ask(by=people["staff"], title="คำถามบนแดชบอร์ด", tags=["เงินกู้"])
    page = client_as("cko").get(reverse("dashboard:office")).content.decode()
    assert "board_summary" in page and "เงินกู้" in page


def test_the_personal_dashboard_lists_my_questions_and_those_waiting_for_me(client_as, people):
    mine = services.question_ask(
        by=people["staff"], title="งบทดลองของร้านค้าสหกรณ์", ask=[people["member"]]
    )
    page = client_as("member").get(reverse("dashboard:personal")).content.decode()
    assert mine.title in page and "my-board-waiting-title" in page
    services.answer_post(by=people["member"], question=mine, body="ตอบแล้ว")
    page = client_as("member").get(reverse("dashboard:personal")).content.decode()
    assert mine.title not in page
    assert mine.title in client_as("staff").get(reverse("dashboard:personal")).content.decode()
