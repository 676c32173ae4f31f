import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction

from apps.experts.models import Expert, ExpertKind, ExpertStatus
from tests.conftest import ROLES

from .factories import EngagementFactory, ExpertFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("นาย", "นายประยูร แก้วประเสริฐ"),
        ("นางสาว", "นางสาวประยูร แก้วประเสริฐ"),
        ("ผศ.ดร.", "ผศ.ดร. ประยูร แก้วประเสริฐ"),
        ("", "ประยูร แก้วประเสริฐ"),
    ],
)
def test_names_follow_the_thai_convention(title, expected):
    expert = Expert(title=title, first_name="ประยูร", last_name="แก้วประเสริฐ")
    assert str(expert) == expected


def test_topics_are_one_per_line():
    expert = Expert(topics="บัญชีสหกรณ์\n\n  กฎหมายสหกรณ์  \n")
    assert expert.topic_list == ["บัญชีสหกรณ์", "กฎหมายสหกรณ์"]


# Which entries each role sees: approved ones always; the KM office sees everything; a
# suggester sees their own suggestions (the staff member suggested "own" and "own_rejected").
VISIBLE = {
    "anonymous": set(),
    "staff": {"approved", "own", "own_rejected"},
    "member": {"approved"},
    "secretary": {"approved", "own", "own_rejected", "other"},
    "head": {"approved", "own", "own_rejected", "other"},
    "cko": {"approved"},
    "admin": {"approved", "own", "own_rejected", "other"},
}


@pytest.mark.parametrize("role", ROLES)
def test_visible_to(people, role):
    entries = {
        "approved": ExpertFactory(),
        "own": ExpertFactory(pending=True, suggested_by=people["staff"]),
        "own_rejected": ExpertFactory(rejected=True, suggested_by=people["staff"]),
        "other": ExpertFactory(pending=True),
    }
    user = people[role] or AnonymousUser()
    names = {expert.pk: name for name, expert in entries.items()}
    seen = {names[pk] for pk in Expert.objects.visible_to(user).values_list("pk", flat=True)}
    assert seen == VISIBLE[role]
    for name, expert in entries.items():
        assert user.has_perm("experts.view_expert", expert) == (name in VISIBLE[role])


def test_the_database_refuses_a_linked_external_trainer(people):
    with pytest.raises(IntegrityError), transaction.atomic():
        ExpertFactory(kind=ExpertKind.EXTERNAL, person=people["staff"])


def test_the_database_refuses_two_live_entries_for_one_person(people):
    ExpertFactory(kind=ExpertKind.INTERNAL, person=people["staff"])
    ExpertFactory(kind=ExpertKind.INTERNAL, person=people["staff"], rejected=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        ExpertFactory(kind=ExpertKind.INTERNAL, person=people["staff"], pending=True)


def test_the_database_refuses_a_review_state_without_its_date():
    with pytest.raises(IntegrityError), transaction.atomic():
        ExpertFactory(status=ExpertStatus.APPROVED, reviewed_at=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        ExpertFactory(pending=True, reviewed_at="2024-03-12T10:00:00+07:00")


def test_the_database_refuses_a_talk_ending_before_it_starts():
    with pytest.raises(IntegrityError), transaction.atomic():
        EngagementFactory(held_on=dt.date(2024, 3, 12), ends_on=dt.date(2024, 3, 1))
