import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from apps.board.models import Answer, Comment, Question, Vote
from apps.board.notices import unanswered_since

pytestmark = pytest.mark.django_db


def counts() -> tuple[int, int, int, int]:
    office = Question.objects.filter(space_kind="")
    return office.count(), Answer.objects.count(), Vote.objects.count(), Comment.objects.count()


def test_the_demo_board_loads_once():
    call_command("seed_demo", stdout=io.StringIO())
    before = counts()
    assert before[0] == 12 and before[1] >= 10 and before[2] >= 15 and before[3] >= 5
    # The demo community of practice has its own questions too.
    assert Question.objects.filter(space_kind="cop").count() == 2
    call_command("seed_demo", stdout=io.StringIO())
    assert counts() == before
    accepted = Question.objects.filter(space_kind="", accepted_answer__isnull=False)
    assert 5 <= accepted.count() < 12
    # One old question nobody has answered: it is on the moderators' list.
    old = list(unanswered_since(timezone.localdate()))
    assert [question.title for question in old] == [
        "การนับสินค้าคงเหลือปลายปีของร้านค้าสหกรณ์ ใครต้องร่วมนับบ้าง"
    ]
    assert old[0].asked.filter(person__username="suwit").exists()
    # Every answered question dates its first answer after it was asked.
    for question in Question.objects.filter(first_answer_at__isnull=False):
        assert question.first_answer_at > question.created_at
