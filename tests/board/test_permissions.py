"""Every URL of the Q&A board × every role × GET and POST, with the expected status.

The table is written out on purpose. Forms are POSTed empty, so an allowed POST to a form page
shows the form again (200) and saves nothing; an allowed POST to a step redirects (302). A
question someone may not open answers 404 (a hidden one, for all but its asker and the
moderators); one they may open but not act on, 403. The question is asked by plain staff
("staff") an hour ago, past the edit window: only the moderators (CKO, head, admin) may edit or
hide it; the answer is the member's.
"""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.board import urls as board_urls
from apps.board.models import Answer, Question
from tests.conftest import ROLES
from tests.matrix import coverage, matrix_failures

from .factories import AnswerFactory, QuestionFactory

L = "login"

# fmt: off
EXPECTED = {
    # (page, method):          anonymous staff member secretary head cko admin
    ("list", "GET"):           (L, 200, 200, 200, 200, 200, 200),
    ("list", "POST"):          (L, 405, 405, 405, 405, 405, 405),
    ("ask", "GET"):            (L, 200, 200, 200, 200, 200, 200),
    ("ask", "POST"):           (L, 200, 200, 200, 200, 200, 200),
    ("similar", "GET"):        (L, 200, 200, 200, 200, 200, 200),
    ("similar", "POST"):       (L, 405, 405, 405, 405, 405, 405),
    ("unanswered", "GET"):     (L, 403, 403, 403, 200, 200, 200),
    ("unanswered", "POST"):    (L, 403, 403, 403, 405, 405, 405),
    ("detail", "GET"):         (L, 200, 200, 200, 200, 200, 200),
    ("detail", "POST"):        (L, 405, 405, 405, 405, 405, 405),
    ("detail_hidden", "GET"):  (L, 404, 404, 404, 200, 200, 200),
    ("edit", "GET"):           (L, 403, 403, 403, 200, 200, 200),
    ("edit", "POST"):          (L, 403, 403, 403, 200, 200, 200),
    ("hide", "GET"):           (L, 405, 405, 405, 405, 405, 405),
    ("hide", "POST"):          (L, 403, 403, 403, 302, 302, 302),
    ("vote", "GET"):           (L, 405, 405, 405, 405, 405, 405),
    ("vote", "POST"):          (L, 403, 302, 302, 302, 302, 302),
    ("answer", "GET"):         (L, 200, 200, 200, 200, 200, 200),
    ("answer", "POST"):        (L, 200, 200, 200, 200, 200, 200),
    ("answer_hidden", "POST"): (L, 404, 404, 404, 403, 403, 200),
    ("comment", "GET"):        (L, 200, 200, 200, 200, 200, 200),
    ("comment", "POST"):       (L, 200, 200, 200, 200, 200, 200),
    ("ask_people", "GET"):     (L, 200, 403, 403, 200, 200, 200),
    ("ask_people", "POST"):    (L, 200, 403, 403, 200, 200, 200),
    ("answer_edit", "GET"):    (L, 403, 403, 403, 200, 200, 200),
    ("answer_edit", "POST"):   (L, 403, 403, 403, 200, 200, 200),
    ("answer_hide", "GET"):    (L, 405, 405, 405, 405, 405, 405),
    ("answer_hide", "POST"):   (L, 403, 403, 403, 302, 302, 302),
    ("accept", "GET"):         (L, 405, 405, 405, 405, 405, 405),
    ("accept", "POST"):        (L, 302, 403, 403, 302, 302, 302),
    ("answer_vote", "GET"):    (L, 405, 405, 405, 405, 405, 405),
    ("answer_vote", "POST"):   (L, 302, 403, 302, 302, 302, 302),
}
# fmt: on

CASES = [
    pytest.param(page, method, role, expected[ROLES.index(role)], id=f"{page}-{method}-{role}")
    for (page, method), expected in EXPECTED.items()
    for role in ROLES
]


@pytest.fixture
def objects(people):
    long_ago = timezone.now() - dt.timedelta(hours=1)
    question = QuestionFactory(asker=people["staff"])
    hidden = QuestionFactory(hidden=True)  # asked by someone outside the roles
    answer = AnswerFactory(question=question, author=people["member"])
    Question.objects.filter(pk__in=[question.pk, hidden.pk]).update(created_at=long_ago)
    Answer.objects.filter(pk=answer.pk).update(created_at=long_ago)
    return {"question": question, "hidden": hidden, "answer": answer}


def url_for(page: str, objects) -> str:
    q, hidden, a = objects["question"].pk, objects["hidden"].pk, objects["answer"].pk
    return {
        "list": reverse("board:list"),
        "ask": reverse("board:ask"),
        "similar": reverse("board:similar") + "?q=การตรวจ",
        "unanswered": reverse("board:unanswered"),
        "detail": reverse("board:detail", args=[q]),
        "detail_hidden": reverse("board:detail", args=[hidden]),
        "edit": reverse("board:edit", args=[q]),
        "hide": reverse("board:hide", args=[q]),
        "vote": reverse("board:vote", args=[q]),
        "answer": reverse("board:answer", args=[q]),
        "answer_hidden": reverse("board:answer", args=[hidden]),
        "comment": reverse("board:comment", args=[q]),
        "ask_people": reverse("board:ask_people", args=[q]),
        "answer_edit": reverse("board:answer_edit", args=[a]),
        "answer_hide": reverse("board:answer_hide", args=[a]),
        "accept": reverse("board:accept", args=[a]),
        "answer_vote": reverse("board:answer_vote", args=[a]),
    }[page]


@pytest.mark.django_db
@pytest.mark.parametrize(("page", "method", "role", "expected"), CASES)
def test_matrix(client_as, objects, page, method, role, expected):
    client = client_as(role)
    url = url_for(page, objects)
    response = getattr(client, method.lower())(url, {})
    if expected == L:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    else:
        assert response.status_code == expected, (page, method, role)


@pytest.mark.django_db
def test_every_url_is_in_the_matrix(objects):
    rows = [
        (url_for(page, objects).partition("?")[0], method.lower(), None, {})
        for page, method in EXPECTED
    ]
    named, covered, methods = coverage(rows, "board", board_urls.urlpatterns)
    assert named == covered
    for name in named:
        assert {(name, "get"), (name, "post")} & methods


@pytest.mark.django_db
def test_the_matrix_helper_agrees_for_plain_staff(client_as, objects):
    """The shared helper reads the same table (a second reading of the staff column)."""
    rows = [
        (url_for(page, objects), method.lower(), None, dict(zip(ROLES, expected, strict=True)))
        for (page, method), expected in EXPECTED.items()
        if expected[1] != L
    ]
    assert matrix_failures(client_as("staff"), rows, "staff") == []
