"""Questions in the one search index: found by the words of the question and of its accepted
answer, with the same permission model as the board (a space's ``may_read``), hidden ones never;
the similar-questions endpoint and the search page's "ask it as a question"."""

import pytest
from django.urls import reverse

from apps.board import services
from apps.board.models import Question
from apps.search.searching import search

pytestmark = pytest.mark.django_db


def found(user, text: str) -> list[str]:
    page = search(user=user, text=text, kinds=["question"], record=False)
    return [result.title for result in page.results]


@pytest.fixture
def thread(people, search_index):
    question = services.question_ask(
        by=people["staff"],
        title="สหกรณ์ส่งงบการเงินล่าช้าต้องทำอย่างไร",
        body="เลยกำหนดมาสองเดือนแล้ว",
        tags=["การสอบบัญชี"],
    )
    answer = services.answer_post(
        by=people["member"],
        question=question,
        body="มีหนังสือเร่งรัดถึงคณะกรรมการดำเนินการ แล้วรายงานนายทะเบียนสหกรณ์",
    )
    search_index()
    return question, answer


def test_a_question_is_found_by_its_title_and_tags(people, thread):
    assert found(people["staff"], "งบการเงินล่าช้า") == [thread[0].title]
    assert found(people["member"], "การสอบบัญชี") == [thread[0].title]


def test_the_accepted_answer_joins_its_question_in_search(people, thread, search_index):
    question, answer = thread
    assert found(people["head"], "นายทะเบียนสหกรณ์") == []
    services.answer_accept(by=people["staff"], question=question, answer=answer)
    search_index()
    assert found(people["head"], "นายทะเบียนสหกรณ์") == [question.title]
    # The snippet under the question's words shows the accepted answer.
    page = search(user=people["head"], text="งบการเงินล่าช้า", kinds=["question"], record=False)
    assert "นายทะเบียน" in str(page.results[0].snippet)


def test_an_accepted_thread_ranks_above_an_open_one_for_the_same_question(
    people, thread, search_index
):
    question, answer = thread
    other = services.question_ask(
        by=people["member"], title="ถามเรื่องงบการเงิน", body="สหกรณ์ส่งงบการเงินล่าช้า"
    )
    services.answer_accept(by=people["staff"], question=question, answer=answer)
    search_index()
    titles = found(people["cko"], "สหกรณ์ส่งงบการเงินล่าช้า ต้องรายงานนายทะเบียน")
    assert titles[0] == question.title and other.title in titles


def test_a_hidden_question_leaves_search(people, thread, search_index):
    services.question_hide(by=people["head"], question=thread[0])
    search_index()
    assert found(people["head"], "งบการเงินล่าช้า") == []


def test_a_space_question_is_found_only_by_its_readers(people, test_space, search_index):
    test_space["members"][1] = {people["member"].pk}
    question = services.question_ask(
        by=people["member"], title="ชมรมถามเรื่องการตรวจนับสินค้า", space_kind="club", space_id=1
    )
    search_index()
    assert found(people["member"], "ตรวจนับสินค้า") == [question.title]
    assert found(people["staff"], "ตรวจนับสินค้า") == []
    assert found(people["head"], "ตรวจนับสินค้า") == []


def test_similar_questions_while_typing_the_title(
    client_as, people, thread, test_space, search_index
):
    test_space["members"][1] = {people["member"].pk}
    services.question_ask(
        by=people["member"], title="งบการเงินของชมรมล่าช้า", space_kind="club", space_id=1
    )
    search_index()
    response = client_as("staff").get(reverse("board:similar"), {"q": "งบการเงินล่าช้า"})
    titles = [row["title"] for row in response.json()["results"]]
    assert titles == [thread[0].title]  # the club's question is not named to non-members
    member = client_as("member").get(reverse("board:similar"), {"q": "งบการเงินล่าช้า"})
    assert len(member.json()["results"]) == 2
    assert client_as("staff").get(reverse("board:similar"), {"q": "งบ"}).json() == {"results": []}


def test_a_search_with_no_result_offers_to_ask_it(client_as, people, search_index):
    search_index()
    response = client_as("staff").get(reverse("search:results"), {"q": "ปันผลเกินอัตรา"})
    html = response.content.decode()
    assert "no-result-action" in html
    assert reverse("board:ask") + "?title=" in html
    ask_page = client_as("staff").get(reverse("board:ask"), {"title": "ปันผลเกินอัตรา"})
    assert 'value="ปันผลเกินอัตรา"' in ask_page.content.decode()


def test_a_search_with_results_offers_nothing(client_as, people, thread):
    response = client_as("staff").get(reverse("search:results"), {"q": "งบการเงินล่าช้า"})
    assert "no-result-action" not in response.content.decode()
    assert Question.objects.count() == 1


def test_people_are_found_for_the_topics_of_their_accepted_answers(people, thread, search_index):
    question, answer = thread
    person = people["member"]

    def people_found(text):
        page = search(user=people["staff"], text=text, kinds=["person"], record=False)
        return [result.obj for result in page.results]

    assert person not in people_found("การสอบบัญชี")
    services.answer_accept(by=people["staff"], question=question, answer=answer)
    search_index()
    assert person in people_found("การสอบบัญชี")
    # Taken back, the topic leaves the person's entry.
    services.answer_accept(by=people["staff"], question=question, answer=None)
    search_index()
    assert person not in people_found("การสอบบัญชี")


def test_a_space_question_never_adds_to_a_persons_entry(people, test_space, search_index):
    test_space["members"][1] = {people["member"].pk, people["staff"].pk}
    question = services.question_ask(
        by=people["staff"],
        title="เรื่องลับในชมรม",
        tags=["ความลับของชมรม"],
        space_kind="club",
        space_id=1,
    )
    answer = services.answer_post(by=people["member"], question=question, body="คำตอบ")
    services.answer_accept(by=people["staff"], question=question, answer=answer)
    search_index()
    page = search(user=people["head"], text="ความลับของชมรม", kinds=["person"], record=False)
    assert page.results == []
