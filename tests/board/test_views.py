"""The board's pages end to end: ask through the form, answer, comment, accept, vote, hide;
bad input shows a clear message and changes nothing."""

import pytest
from django.urls import reverse

from apps.board import services
from apps.board.models import Answer, Comment, Question
from apps.core.concurrency import VERSION_FIELD
from tests.experts.factories import ExpertFactory
from tests.factories import UserFactory
from tests.library.factories import DocumentFactory

pytestmark = pytest.mark.django_db


def test_asking_through_the_form_with_a_link_an_expert_and_tags(client_as, people):
    expert = ExpertFactory(kind="internal", person=UserFactory(username="asked_expert"))
    document = DocumentFactory()
    response = client_as("staff").post(
        reverse("board:ask"),
        {
            "title": "ตรวจนับเงินสดต้องมีใครร่วมนับ",
            "body": "ถามเพื่อเตรียมตรวจ",
            "km_step": "access",
            "tag_names": "เงินสด, การตรวจการสหกรณ์",
            "link": "http://testserver" + document.get_absolute_url(),
            "experts": [expert.pk],
            "colleagues": [people["member"].pk],
        },
    )
    question = Question.objects.get()
    assert response.status_code == 302 and response["Location"] == question.get_absolute_url()
    assert question.document == document
    assert set(question.asked.values_list("person__username", flat=True)) == {
        "asked_expert",
        "r_member",
    }
    page = client_as("staff").get(question.get_absolute_url()).content.decode()
    assert document.title in page and "เงินสด" in page


@pytest.mark.parametrize(
    "data",
    [
        {"title": ""},
        {"title": "ก" * 301},
        {"title": "คำถาม", "link": "https://example.com/elsewhere"},
        {"title": "คำถาม", "tag_names": ",".join(f"ป้าย{n}" for n in range(40))},
        {"title": "คำถาม", "colleagues": ["99999999999999999999"]},
    ],
    ids=["blank", "too-long", "foreign-link", "too-many-tags", "huge-id"],
)
def test_bad_input_is_refused_with_a_message_and_nothing_saved(client_as, people, data):
    response = client_as("staff").post(reverse("board:ask"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "alert-danger" in html and "invalid-feedback" in html
    assert not Question.objects.exists()


def test_a_link_to_a_document_the_asker_may_not_open_is_refused(client_as, people):
    secret = DocumentFactory(access="km")
    response = client_as("staff").post(
        reverse("board:ask"), {"title": "คำถาม", "link": secret.get_absolute_url()}
    )
    assert response.status_code == 200 and "alert-danger" in response.content.decode()
    assert not Question.objects.exists()


def test_answer_comment_vote_and_accept_through_the_pages(client_as, people):
    question = services.question_ask(by=people["staff"], title="ประชุมใหญ่ไม่ครบองค์ประชุม")
    member = client_as("member")
    assert member.post(reverse("board:answer", args=[question.pk]), {"body": ""}).status_code == 200
    response = member.post(reverse("board:answer", args=[question.pk]), {"body": "นัดใหม่ใน 14 วัน"})
    answer = Answer.objects.get()
    assert response["Location"] == answer.get_absolute_url()
    staff = client_as("staff")
    staff.post(reverse("board:comment", args=[question.pk]), {"text": "ขอบคุณ", "answer": answer.pk})
    assert Comment.objects.get().answer == answer
    staff.post(reverse("board:answer_vote", args=[answer.pk]))
    assert answer.votes.count() == 1
    question.refresh_from_db()
    staff.post(reverse("board:accept", args=[answer.pk]), {VERSION_FIELD: question.lock_version})
    question.refresh_from_db()
    assert question.accepted_answer == answer
    page = staff.get(question.get_absolute_url()).content.decode()
    assert "board-accepted" in page


def test_accepting_from_an_old_page_is_refused(client_as, people):
    question = services.question_ask(by=people["staff"], title="คำถาม")
    answer = services.answer_post(by=people["member"], question=question, body="คำตอบ")
    old = question.lock_version - 1
    response = client_as("staff").post(
        reverse("board:accept", args=[answer.pk]), {VERSION_FIELD: old}, follow=True
    )
    question.refresh_from_db()
    assert question.accepted_answer is None
    assert "alert-warning" in response.content.decode()


def test_a_comment_naming_an_answer_of_another_question_is_refused(client_as, people):
    question = services.question_ask(by=people["staff"], title="คำถามหนึ่ง")
    other = services.question_ask(by=people["staff"], title="คำถามสอง")
    answer = services.answer_post(by=people["member"], question=other, body="คำตอบ")
    response = client_as("staff").post(
        reverse("board:comment", args=[question.pk]), {"text": "ความเห็น", "answer": answer.pk}
    )
    assert response.status_code == 200 and "alert-danger" in response.content.decode()
    assert not Comment.objects.exists()


def test_a_hidden_answer_is_not_shown_to_readers(client_as, people):
    question = services.question_ask(by=people["staff"], title="คำถาม")
    answer = services.answer_post(by=people["member"], question=question, body="ข้อความที่ต้องซ่อน")
    services.answer_hide(by=people["head"], answer=answer)
    assert (
        "ข้อความที่ต้องซ่อน" not in client_as("staff").get(question.get_absolute_url()).content.decode()
    )
    assert "ข้อความที่ต้องซ่อน" in client_as("member").get(question.get_absolute_url()).content.decode()
    assert (
        client_as("staff").post(reverse("board:answer_vote", args=[answer.pk])).status_code == 404
    )


def test_the_person_page_shows_what_they_know_about(client_as, people):
    question = services.question_ask(by=people["staff"], title="คำถาม", tags=["เงินกู้"])
    answer = services.answer_post(by=people["member"], question=question, body="คำตอบ")
    services.answer_accept(by=people["staff"], question=question, answer=answer)
    page = client_as("head").get(people["member"].get_absolute_url()).content.decode()
    assert 'id="person-board"' in page and "เงินกู้" in page and question.title in page
    # Nothing of a question the viewer may not open: hidden, it leaves the panel.
    services.question_hide(by=people["head"], question=question)
    page = client_as("staff").get(people["member"].get_absolute_url()).content.decode()
    assert 'id="person-board"' not in page


def test_questions_are_listed_under_their_step(client_as, people):
    services.question_ask(by=people["staff"], title="คำถามขั้นการเข้าถึงความรู้", km_step="access")
    page = client_as("staff").get(reverse("plans:steps")).content.decode()
    assert "คำถามขั้นการเข้าถึงความรู้" in page


def test_the_navigation_has_the_board(client_as, people):
    page = client_as("staff").get("/").content.decode()
    assert reverse("board:list") in page
