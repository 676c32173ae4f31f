"""A community's own questions on the Q&A board (the board's "cop" space): asked from the
community's page, read by whoever reads the community, moderated by its facilitators, found
by search for the same people (and for new members once they join)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from apps.board import services as board
from apps.board.models import Question
from apps.community import services
from apps.community.models import Access, MemberRole
from apps.search import indexing
from apps.search.engine import SearchRequest
from apps.search.searching import viewer_for
from tests.factories import UserFactory

from .factories import make_community

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed(people):
    """A members-only community: a facilitator and the KM-group member as practitioner."""
    facilitator = UserFactory(username="c_fac")
    community = make_community(
        by=people["secretary"],
        name="วงตรวจบัญชีสหกรณ์ภาคเหนือ",
        access=Access.MEMBERS,
        facilitators=[facilitator],
        practitioners=[people["member"]],
    )
    return community, facilitator


def ask(client, community, title):
    url = reverse("board:ask") + f"?space=cop:{community.pk}"
    return client.post(url, {"title": title, "body": "รายละเอียด", "km_step": ""})


def test_a_member_asks_from_the_community_page_and_only_readers_see_it(client_as, closed):
    community, _facilitator = closed
    client = client_as("member")
    page = client.get(community.get_absolute_url()).content.decode()
    assert f"?space=cop%3A{community.pk}" in page  # "ask the community"
    form = client.get(reverse("board:ask") + f"?space=cop:{community.pk}").content.decode()
    assert community.name in form
    response = ask(client, community, "ตรวจนับเงินสดย่อยต้องทำทุกวันหรือไม่")
    assert response.status_code == 302
    question = Question.objects.get(title="ตรวจนับเงินสดย่อยต้องทำทุกวันหรือไม่")
    assert (question.space_kind, question.space_id) == ("cop", community.pk)
    assert question.title in client.get(community.get_absolute_url()).content.decode()
    listed = client.get(reverse("board:list") + f"?space=cop:{community.pk}").content.decode()
    assert question.title in listed and community.name in listed

    outsider = client_as("staff")
    assert outsider.get(question.get_absolute_url()).status_code == 404
    assert outsider.get(community.get_absolute_url()).status_code == 404
    for url in (reverse("board:list"), reverse("board:list") + f"?space=cop:{community.pk}"):
        body = outsider.get(url).content.decode()
        assert question.title not in body and community.name not in body
    # The KM office reads every community, so its questions too.
    assert client_as("cko").get(question.get_absolute_url()).status_code == 200


def test_someone_who_may_not_ask_there_is_told_it_goes_to_the_office_board(client_as, people):
    community = make_community(by=people["secretary"], name="วงเปิดเรื่องสินเชื่อ")
    client = client_as("staff")  # reads the open community, is not a member
    form = client.get(reverse("board:ask") + f"?space=cop:{community.pk}").content.decode()
    assert "board-ask-where" in form and community.name not in form
    ask(client, community, "คำถามจากคนนอกวง")
    question = Question.objects.get(title="คำถามจากคนนอกวง")
    assert question.space_kind == "" and question.space_id is None
    with pytest.raises(PermissionDenied):
        board.question_ask(
            by=people["staff"], title="ถามตรง", space_kind="cop", space_id=community.pk
        )


def test_the_facilitator_moderates_the_community_questions(client_as, closed, people):
    community, facilitator = closed
    question = board.question_ask(
        by=people["member"], title="คำถามในวง", space_kind="cop", space_id=community.pk
    )
    answer = board.answer_post(by=facilitator, question=question, body="ตอบในวง")
    outsider_answer = board.answer_post(by=people["cko"], question=question, body="ตอบจาก CKO")
    assert answer and outsider_answer
    # A practitioner may not hide someone else's answer; the facilitator may.
    with pytest.raises(PermissionDenied):
        board.answer_hide(by=people["member"], answer=outsider_answer)
    board.answer_hide(by=facilitator, answer=outsider_answer)
    outsider_answer.refresh_from_db()
    assert outsider_answer.hidden


def test_search_finds_the_community_questions_for_its_readers_and_new_members(
    people, closed, settings, tmp_path
):
    community, facilitator = closed
    settings.SEARCH_INDEX_DIR = tmp_path / "index"
    try:
        question = board.question_ask(
            by=people["member"],
            title="การตรวจนับพัสดุคงเหลือปลายปี",
            space_kind="cop",
            space_id=community.pk,
        )
        indexing.flush()

        def found(user) -> bool:
            request = SearchRequest(viewer=viewer_for(user), text="พัสดุคงเหลือ", page_size=50)
            hits = indexing.get_engine().search(request).hits
            return f"question:{question.pk}" in {hit.uid for hit in hits}

        assert found(people["member"]) and found(facilitator) and found(people["cko"])
        assert not found(people["staff"])
        services.members_add(
            by=facilitator,
            community=community,
            people=[people["staff"]],
            role=MemberRole.PRACTITIONER,
        )
        indexing.flush()
        assert found(people["staff"])
        services.community_leave(by=people["staff"], community=community)
        indexing.flush()
        assert not found(people["staff"])
    finally:
        indexing.get_engine().close()
