"""The board's rule, its queryset and the index name the same questions for every role, with a
space registered (members-only) as well as the office-wide board: the search agreement test
(tests/search/test_agreement.py) for the spaces it cannot hold."""

import pytest
from django.contrib.auth.models import AnonymousUser

from apps.accounts.models import User
from apps.core.searchables import get
from tests.conftest import ROLES
from tests.search.test_agreement import index_finds

from .factories import QuestionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def shelf(people, test_space, search_index):
    test_space["members"][1] = {people["member"].pk, people["staff"].pk}
    test_space["members"][2] = {people["cko"].pk}
    test_space["moderators"][1] = {people["secretary"].pk}
    QuestionFactory(asker=people["staff"], title="คำถามของทั้งสำนักงาน")
    QuestionFactory(asker=people["staff"], title="คำถามในชมรมหนึ่ง", space_kind="club", space_id=1)
    QuestionFactory(asker=people["cko"], title="คำถามในชมรมสอง", space_kind="club", space_id=2)
    QuestionFactory(asker=people["cko"], title="คำถามของพื้นที่ที่เลิกใช้", space_kind="gone", space_id=9)
    QuestionFactory(
        asker=people["staff"], title="ซ่อนในชมรม", space_kind="club", space_id=1, hidden=True
    )
    search_index()


@pytest.mark.parametrize("role", ROLES)
def test_rule_queryset_and_index_agree_with_spaces(people, shelf, role):
    searchable = get("question")
    user = User.objects.get(pk=people[role].pk) if people[role] else AnonymousUser()
    records = [obj for obj in searchable.all() if searchable.include(obj)]
    by_rule = {str(obj.pk) for obj in records if searchable.may_open(user, obj)}
    if role == "anonymous":
        assert by_rule == set()
        return
    by_queryset = {
        str(pk)
        for pk in searchable.visible(user)
        .filter(pk__in=[obj.pk for obj in records])
        .values_list("pk", flat=True)
    }
    assert by_rule == by_queryset == index_finds(user, "question")
    # Everyone sees the office-wide question; only the admin the one of a vanished space.
    titles = {obj.title for obj in records if str(obj.pk) in by_rule}
    assert "คำถามของทั้งสำนักงาน" in titles
    assert ("คำถามของพื้นที่ที่เลิกใช้" in titles) == (role == "admin")
