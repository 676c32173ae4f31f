"""Unanswered questions older than ``KM_UNANSWERED_DAYS`` reach their moderators once, and are
listed for them."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.board import services
from apps.board.models import Question
from apps.notifications import reminders
from apps.notifications.models import Notification

pytestmark = pytest.mark.django_db


def age(question: Question, days: int) -> None:
    Question.objects.filter(pk=question.pk).update(
        created_at=timezone.now() - dt.timedelta(days=days)
    )


@pytest.fixture
def questions(people, test_space, settings):
    settings.KM_UNANSWERED_DAYS = 3
    test_space["members"][1] = {people["member"].pk, people["secretary"].pk}
    test_space["moderators"][1] = {people["secretary"].pk}
    old = services.question_ask(by=people["staff"], title="คำถามเก่าที่ยังไม่มีคำตอบ")
    recent = services.question_ask(by=people["staff"], title="คำถามใหม่")
    answered = services.question_ask(by=people["staff"], title="คำถามเก่าที่ตอบแล้ว")
    services.answer_post(by=people["member"], question=answered, body="ตอบแล้ว")
    in_space = services.question_ask(
        by=people["member"], title="คำถามเก่าในชมรม", space_kind="club", space_id=1
    )
    for question in (old, answered, in_space):
        age(question, 5)
    age(recent, 1)
    return {"old": old, "in_space": in_space}


def test_moderators_hear_of_old_unanswered_questions_once(people, questions):
    report = reminders.run(only=["board.unanswered"])
    assert report.sent == 2
    told = Notification.objects.filter(kind="board.unanswered")
    office = {people["head"].pk, people["cko"].pk}
    assert (
        set(told.filter(target_id=questions["old"].pk).values_list("recipient_id", flat=True))
        == office
    )
    # The space's moderator hears of its question (the member-only space: not the CKO or head,
    # who may not open it).
    assert set(
        told.filter(target_id=questions["in_space"].pk).values_list("recipient_id", flat=True)
    ) == {people["secretary"].pk}
    assert reminders.run(only=["board.unanswered"]).sent == 0


def test_the_unanswered_list_shows_what_each_moderator_moderates(client_as, questions):
    head = client_as("head").get(reverse("board:unanswered")).content.decode()
    assert "คำถามเก่าที่ยังไม่มีคำตอบ" in head and "คำถามใหม่" not in head
    assert "คำถามเก่าที่ตอบแล้ว" not in head
    secretary = client_as("secretary").get(reverse("board:unanswered"))
    assert secretary.status_code == 200
    page = secretary.content.decode()
    assert "คำถามเก่าในชมรม" in page and "คำถามเก่าที่ยังไม่มีคำตอบ" not in page
