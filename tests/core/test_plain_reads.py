"""The reads every signed-in request makes, written as plain statements (issue 20), against the
ORM queries they replace: the session, the person's current memberships, the unread count."""

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.backends.db import SessionStore as DjangoStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from apps.core.sessions import SessionStore
from apps.notifications.models import Notification, unread_count
from apps.teams.models import Membership, Role, TeamKind
from apps.teams.predicates import _current_memberships, current_team_ids, km_roles
from tests.factories import MembershipFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_live_session_reads_as_djangos_does():
    made = SessionStore()
    made["_auth_user_id"] = "7"
    made["choice"] = ["ไทย", 3]
    made.create()
    key = made.session_key
    ours, theirs = SessionStore(session_key=key), DjangoStore(session_key=key)
    assert (
        dict(ours.items()) == dict(theirs.items()) == {"_auth_user_id": "7", "choice": ["ไทย", 3]}
    )
    assert ours.session_key == theirs.session_key == key


@pytest.mark.parametrize("case", ["expired", "unknown"])
def test_an_expired_or_unknown_session_is_empty_and_forgotten_as_djangos_is(case):
    made = SessionStore()
    made["_auth_user_id"] = "7"
    made.create()
    key = made.session_key
    if case == "expired":
        Session.objects.filter(pk=key).update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    else:
        key = "x" * 32
    ours, theirs = SessionStore(session_key=key), DjangoStore(session_key=key)
    assert dict(ours.items()) == dict(theirs.items()) == {}
    assert ours.session_key is None and theirs.session_key is None


def test_a_signed_in_page_reads_its_session_through_this_store(client, user):
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 200
    assert type(response.wsgi_request.session) is SessionStore
    assert response.wsgi_request.user == user


@pytest.fixture
def terms():
    """One person's memberships starting, ending and open around today, and another's."""
    today = timezone.localdate()
    day = dt.timedelta(days=1)
    person = UserFactory()
    km = TeamFactory(name="ทีมงาน KM", kind=TeamKind.KM_TEAM)
    group = TeamFactory(name="กลุ่ม ก")
    other = TeamFactory(name="กลุ่ม ข")
    later = TeamFactory(name="กลุ่ม ค")
    MembershipFactory(person=person, team=km, role=Role.SECRETARY, start_date=today)
    MembershipFactory(person=person, team=km, role=Role.HEAD, start_date=today - 9 * day,
                      end_date=today - day)  # fmt: skip
    MembershipFactory(person=person, team=group, start_date=today - 9 * day, end_date=today)
    MembershipFactory(person=person, team=other, start_date=today - 9 * day, end_date=today + day)
    MembershipFactory(person=person, team=later, start_date=today + day)
    MembershipFactory(team=later, start_date=today - day)  # someone else's
    return person, today


@pytest.mark.parametrize("shift", [-2, -1, 0, 1, 2])
def test_current_memberships_are_those_the_queryset_gives(terms, shift):
    person, today = terms
    on = today + dt.timedelta(days=shift)
    expected = Membership.objects.current(on).filter(person_id=person.pk)
    got = _current_memberships(person.pk, on)
    assert sorted(got) == sorted(expected.values_list("role", "team_id", "team__kind"))
    if shift == 0:
        assert len(got) == 3


def test_roles_come_from_the_km_team_only(terms):
    person, _today = terms
    assert km_roles(person) == {Role.MEMBER, Role.SECRETARY}
    assert len(current_team_ids(person)) == 3


def test_the_unread_count_is_the_querysets(people):
    person, other = people["member"], people["head"]
    about = {"target_type": ContentType.objects.get_for_model(person), "target_id": person.pk}
    notices = [Notification.objects.create(recipient=person, kind="test", **about) for _ in "abcde"]
    Notification.objects.create(recipient=other, kind="test", **about)
    Notification.objects.filter(pk=notices[0].pk).update(read_at=timezone.now())
    for who in (person, other, people["staff"]):
        assert unread_count(who.pk) == Notification.objects.for_person(who).unread().count()
    assert unread_count(person.pk) == 4


@pytest.mark.parametrize("limit", [1, 3, 5000])
def test_the_queued_index_updates_read_as_the_orm_reads_them(limit):
    """A search reads the uids of the newest queued index updates (``latest_task_uids``)."""
    from apps.search.models import IndexTask, latest_task_uids

    IndexTask.objects.all().delete()
    assert latest_task_uids(limit) == []
    IndexTask.objects.bulk_create(IndexTask(uid=f"document:{n}") for n in (5, 3, 9, 3))
    orm = list(IndexTask.objects.order_by("-pk").values_list("uid", flat=True)[:limit])
    assert latest_task_uids(limit) == orm
    assert orm[0] == "document:3" and len(orm) == min(limit, 4)
