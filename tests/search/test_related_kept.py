"""Related items kept per index state and viewer (``searching.related``, issue 20): the engine is
asked once per document, person and state of the index; what is shown is checked against the
database every time, and one person's kept items are never another's."""

import pytest

from apps.library.models import AccessLevel, Document
from apps.search import searching
from tests.library.factories import DocumentFactory

pytestmark = pytest.mark.django_db


def documents(items: list[tuple]) -> list[int]:
    return [pk for kind, pk, *_rest in items if kind == "document"]


def shown(user, obj) -> list[tuple]:
    return [
        (r.kind, r.obj.pk, r.title, r.url, r.score) for r in searching.related(user=user, obj=obj)
    ]


def test_kept_items_are_the_engines_answer_until_the_index_changes(
    people, savings, asked, search_index
):
    first, second, _secret = savings
    staff = people["staff"]
    before = shown(staff, first)
    assert second.pk in documents(before)
    assert shown(staff, first) == before
    assert len(asked) == 1  # the second page asked nobody
    searching.forget_related()
    assert shown(staff, first) == before  # the same as asking the engine again
    assert len(asked) == 2

    third = DocumentFactory(title="คู่มือการรับสมาชิกสหกรณ์ออมทรัพย์", access=AccessLevel.ALL_STAFF)
    search_index()  # a commit: a new state of the index
    after = shown(staff, first)
    assert len(asked) == 3
    assert third.pk in documents(after)


def test_a_document_closed_meanwhile_never_shows_from_kept_items(people, savings, asked):
    """GIVEN kept items WHEN a related document is closed to the KM team behind the index's
    back (its update not taken yet) THEN plain staff no longer see it; KM members still do."""
    first, second, _secret = savings
    staff, member = people["staff"], people["member"]
    assert second.pk in documents(shown(staff, first))
    assert second.pk in documents(shown(member, first))
    Document.objects.filter(pk=second.pk).update(access=AccessLevel.KM_TEAM)
    assert second.pk not in documents(shown(staff, first))
    assert second.pk in documents(shown(member, first))
    assert len(asked) == 2  # one answer kept per person, both read again through the database


@pytest.mark.parametrize("first_asker", ["member", "cko", "admin"])
def test_a_person_with_less_access_never_gets_anothers_items(people, savings, asked, first_asker):
    first, _second, secret = savings
    assert secret.pk in documents(shown(people[first_asker], first))
    assert secret.pk not in documents(shown(people["staff"], first))
    assert len(asked) == 2  # staff's items were their own engine answer


def test_the_kept_items_are_bounded(people, savings, monkeypatch):
    first, second, secret = savings
    monkeypatch.setattr(searching, "RELATED_KEPT", 2)
    for document in (first, second, secret):
        shown(people["admin"], document)
    assert len(searching._related_kept) == 2
