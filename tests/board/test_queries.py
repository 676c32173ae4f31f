"""The board's list pages run a fixed number of queries however many rows they show: each is
counted with some rows and again with twice as many."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.board.models import AskedPerson

from .factories import AnswerFactory, CommentFactory, QuestionFactory

pytestmark = pytest.mark.django_db


def make(n: int, people) -> list:
    questions = []
    for _ in range(n):
        question = QuestionFactory(asker=people["staff"], km_step="access")
        question.tags.create(name=f"ป้าย-{question.pk}")
        answer = AnswerFactory(question=question, author=people["member"])
        CommentFactory(question=question, author=people["head"])
        CommentFactory(question=question, answer=answer, author=people["head"])
        AskedPerson.objects.create(question=question, person=people["cko"])
        questions.append(question)
    return questions


def count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("role", ["staff", "cko"])
def test_the_list_and_the_unanswered_list_are_bounded(client_as, people, role):
    client = client_as(role)
    make(3, people)
    urls = [reverse("board:list"), reverse("board:list") + "?show=answered"]
    if role == "cko":
        urls.append(reverse("board:unanswered"))
    first = [count(client, url) for url in urls]
    make(3, people)
    assert [count(client, url) for url in urls] == first


def test_a_thread_is_bounded_in_its_answers(client_as, people):
    question = QuestionFactory(asker=people["staff"])

    def add(n):
        for _ in range(n):
            answer = AnswerFactory(question=question, author=people["member"])
            CommentFactory(question=question, answer=answer, author=people["head"])

    add(2)
    client = client_as("staff")
    before = count(client, question.get_absolute_url())
    add(2)
    assert count(client, question.get_absolute_url()) == before
