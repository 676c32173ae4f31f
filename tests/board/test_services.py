"""The board's services: what they write, whom they tell, and what they refuse."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from apps.board import services
from apps.board.models import Answer, Question, Vote
from apps.core.concurrency import StaleEditError
from apps.knowledge.models import Status
from apps.library.models import AccessLevel
from apps.notifications.models import Notification
from tests.experts.factories import ExpertFactory
from tests.factories import UserFactory
from tests.knowledge.factories import make_set
from tests.library.factories import DocumentFactory

pytestmark = pytest.mark.django_db


def told(kind: str) -> set[int]:
    return set(Notification.objects.filter(kind=kind).values_list("recipient_id", flat=True))


def ask(people, **kwargs) -> Question:
    defaults = {"by": people["staff"], "title": "ตรวจนับเงินสดต้องมีใครร่วมนับบ้าง"}
    return services.question_ask(**{**defaults, **kwargs})


def test_a_question_renders_sanitised_markdown_and_keeps_tags(people):
    question = ask(
        people,
        body="**สำคัญ** <script>alert(1)</script>",
        tags=["การตรวจการสหกรณ์", " เงินสด "],
        km_step="access",
    )
    assert "<strong>สำคัญ</strong>" in question.body_html
    assert "<script" not in question.body_html
    assert sorted(tag.name for tag in question.tags.all()) == ["การตรวจการสหกรณ์", "เงินสด"]


def test_a_blank_title_or_an_unknown_step_is_refused_and_nothing_saved(people):
    with pytest.raises(ValidationError):
        ask(people, title="   ")
    with pytest.raises(ValidationError):
        ask(people, km_step="nonsense")
    assert not Question.objects.exists()


def test_asking_an_expert_and_a_colleague_tells_them_at_once(people):
    expert = ExpertFactory(kind="internal", person=UserFactory(username="expert_person"))
    question = ask(people, ask=[expert.person, people["member"], people["staff"]])
    # The asker is never asked their own question.
    assert told("board.asked") == {expert.person.pk, people["member"].pk}
    assert set(question.asked.values_list("person_id", flat=True)) == told("board.asked")
    # Asking the same people again tells nobody twice.
    assert (
        services.question_ask_people(
            by=people["staff"], question=question, people=[people["member"]]
        )
        == []
    )
    assert Notification.objects.filter(kind="board.asked").count() == 2


def test_only_links_the_asker_may_open_are_kept(people, km_team):
    secret = DocumentFactory(access=AccessLevel.KM_TEAM)
    draft = make_set(Status.DRAFT, authors=[people["secretary"]])
    with pytest.raises(ValidationError):
        ask(people, document=secret)
    with pytest.raises(ValidationError):
        ask(people, knowledge_set=draft)
    open_document = DocumentFactory()
    assert ask(people, document=open_document).document == open_document


def test_an_answer_tells_the_asker_and_dates_the_first_answer(people):
    question = ask(people)
    answer = services.answer_post(by=people["member"], question=question, body="นับสองคนเสมอ")
    question.refresh_from_db()
    assert question.first_answer_at == answer.created_at
    assert told("board.answered") == {people["staff"].pk}
    services.answer_post(by=people["head"], question=question, body="และบันทึกผลทันที")
    question.refresh_from_db()
    assert question.first_answer_at == answer.created_at


def test_accepting_tells_the_author_and_only_the_asker_or_a_moderator_may(people):
    question = ask(people)
    answer = services.answer_post(by=people["member"], question=question, body="นับสองคนเสมอ")
    with pytest.raises(PermissionDenied):
        services.answer_accept(by=people["member"], question=question, answer=answer)
    services.answer_accept(by=people["staff"], question=question, answer=answer)
    assert told("board.accepted") == {people["member"].pk}
    question.refresh_from_db()
    assert question.accepted_answer == answer
    # The CKO (a moderator) may take it back.
    services.answer_accept(by=people["cko"], question=question, answer=None)
    question.refresh_from_db()
    assert question.accepted_answer is None


def test_an_answer_of_another_question_cannot_be_accepted(people):
    question, other = ask(people), ask(people, title="อีกคำถามหนึ่ง")
    answer = services.answer_post(by=people["member"], question=other, body="คำตอบ")
    with pytest.raises(ValidationError):
        services.answer_accept(by=people["staff"], question=question, answer=answer)


def test_one_useful_vote_per_person_and_never_on_ones_own_post(people):
    question = ask(people)
    answer = services.answer_post(by=people["member"], question=question, body="คำตอบ")
    assert services.vote_toggle(by=people["staff"], question=question, answer=answer) is True
    assert Vote.objects.filter(answer=answer).count() == 1
    assert services.vote_toggle(by=people["staff"], question=question, answer=answer) is False
    assert Vote.objects.filter(answer=answer).count() == 0
    with pytest.raises(PermissionDenied):
        services.vote_toggle(by=people["member"], question=question, answer=answer)
    with pytest.raises(PermissionDenied):
        services.vote_toggle(by=people["staff"], question=question)


def test_a_comment_tells_the_author_of_the_post(people):
    question = ask(people)
    answer = services.answer_post(by=people["member"], question=question, body="คำตอบ")
    services.comment_add(by=people["head"], question=question, answer=answer, text="ขอบคุณ")
    assert told("board.commented") == {people["member"].pk}
    with pytest.raises(ValidationError):
        services.comment_add(by=people["head"], question=question, text="   ")


def test_the_author_edits_within_the_window_and_moderators_always(people, settings):
    settings.KM_BOARD_EDIT_MINUTES = 30
    question = ask(people)
    services.question_update(
        by=people["staff"], question=question, title="แก้ชื่อคำถาม", body="", tags=["ใหม่"]
    )
    assert Question.objects.get(pk=question.pk).title == "แก้ชื่อคำถาม"
    Question.objects.filter(pk=question.pk).update(
        created_at=timezone.now() - dt.timedelta(minutes=31)
    )
    question = Question.objects.get(pk=question.pk)
    with pytest.raises(PermissionDenied):
        services.question_update(by=people["staff"], question=question, title="อีกครั้ง", body="")
    services.question_update(by=people["head"], question=question, title="หัวหน้าแก้", body="")
    assert Question.objects.get(pk=question.pk).title == "หัวหน้าแก้"


def test_an_edit_from_an_old_page_is_refused(people):
    question = ask(people)
    seen = question.lock_version
    services.question_update(by=people["head"], question=question, title="ฉบับหนึ่ง", body="")
    stale = Question.objects.get(pk=question.pk)
    with pytest.raises(StaleEditError):
        services.question_update(
            by=people["cko"], question=stale, title="ฉบับสอง", body="", expected_version=seen
        )
    assert Question.objects.get(pk=question.pk).title == "ฉบับหนึ่ง"


def test_hiding_an_accepted_answer_unaccepts_it_and_is_audited(people):
    from auditlog.models import LogEntry

    question = ask(people)
    answer = services.answer_post(by=people["member"], question=question, body="คำตอบ")
    services.answer_accept(by=people["staff"], question=question, answer=answer)
    services.answer_hide(by=people["head"], answer=Answer.objects.get(pk=answer.pk))
    question.refresh_from_db()
    assert question.accepted_answer is None
    assert LogEntry.objects.get_for_object(Answer.objects.get(pk=answer.pk)).exists()


def test_a_hidden_question_takes_no_answers(people):
    question = ask(people)
    services.question_hide(by=people["head"], question=question)
    with pytest.raises(PermissionDenied):
        services.answer_post(by=people["member"], question=question, body="คำตอบ")


def test_a_space_decides_who_asks_and_reads(people, test_space):
    test_space["members"][1] = {people["member"].pk}
    with pytest.raises(PermissionDenied):
        ask(people, space_kind="club", space_id=1)
    question = ask(people, by=people["member"], space_kind="club", space_id=1)
    assert people["member"].has_perm("board.view_question", question)
    assert not people["staff"].has_perm("board.view_question", question)
    assert list(Question.objects.visible_to(people["staff"])) == []
    assert list(Question.objects.visible_to(people["member"])) == [question]
    # A space's moderator moderates there, not on the office-wide board.
    test_space["moderators"][1] = {people["secretary"].pk}
    assert people["secretary"].has_perm("board.moderate", question)
    assert not people["secretary"].has_perm("board.moderate", ask(people))
    with pytest.raises(PermissionDenied):
        ask(people, by=people["member"], space_kind="unknown", space_id=1)
