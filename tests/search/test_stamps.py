"""Every registration's document (and so its stamp) is a function of the database alone: not
of the order rows come back in, of the day, or of the language of the request that indexed it.
Otherwise ``check_index`` calls an entry stale that nobody changed. Run these on PostgreSQL too
(``DATABASE_URL=postgres://... pytest --create-db tests/search/test_stamps.py``)."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import models
from django.db.models import QuerySet
from django.utils import timezone, translation

from apps.community.models import Access
from apps.core.searchables import get, searchables, stamp
from apps.search import indexing, upkeep
from apps.search.models import IndexTask
from apps.teams.models import Role, RoleDuty, TeamKind
from tests.board.factories import AnswerFactory, QuestionFactory
from tests.community.factories import make_asset, make_community
from tests.experts.factories import EngagementFactory, ExpertFactory, ExpertiseAreaFactory
from tests.factories import AppointmentOrderFactory, MembershipFactory, TeamFactory, UserFactory
from tests.knowledge.factories import make_set
from tests.learning.factories import make_event, make_pair, make_rotation, register
from tests.library.factories import DocumentFactory, DocumentFileFactory, TagFactory
from tests.meetings.factories import (
    ActionItemFactory,
    AgendaItemFactory,
    AttendanceFactory,
    MeetingFactory,
)
from tests.plans.factories import (
    ActivityFactory,
    DesiredStateFactory,
    FocusAreaFactory,
    KnowledgeNeedFactory,
    PlanFactory,
    ProgressReportFactory,
)

pytestmark = pytest.mark.django_db
TODAY = dt.date(2025, 6, 2)


@pytest.fixture
def records(search_index):
    """One record of every kind, each with several related rows that tie in their ordering."""
    people = [UserFactory(username=f"stamp{n}") for n in range(3)]
    team = TeamFactory(name="กลุ่มทดสอบลำดับ")
    for person in people:
        MembershipFactory(team=team, person=person, start_date=TODAY, role=Role.MEMBER)
    # A term that ends soon and one that starts later: the team's entry must not change the day
    # one of them starts or ends.
    today = timezone.localdate()
    MembershipFactory(team=team, start_date=TODAY, end_date=today + dt.timedelta(days=30))
    MembershipFactory(team=team, start_date=today + dt.timedelta(days=30))
    for text in ["ประสานงาน", "จัดทำรายงาน"]:
        RoleDuty.objects.create(team=team, role=Role.MEMBER, text=text, order=1)
    order = AppointmentOrderFactory()
    order.teams.set([team, TeamFactory(name="กลุ่มทดสอบลำดับ 2"), TeamFactory(name="กลุ่ม 3")])
    document = DocumentFactory()
    for number in range(3):
        DocumentFileFactory(document=document, is_main=False, content=f"ไฟล์ที่ {number}".encode())
    knowledge = make_set(authors=people[:2], reviewers=people[1:])
    knowledge.tags.set([TagFactory(name="ลำดับ ก"), TagFactory(name="ลำดับ ข")])
    expert = ExpertFactory(
        expertise=[ExpertiseAreaFactory(name="บัญชี"), ExpertiseAreaFactory(name="กฎหมาย")]
    )
    for _ in range(3):
        EngagementFactory(expert=expert, held_on=TODAY)
    plan = PlanFactory(fiscal_year=2568)
    for _ in range(2):
        FocusAreaFactory(plan=plan, order=1)
        DesiredStateFactory(plan=plan, order=1)
        KnowledgeNeedFactory(plan=plan, order=1)
    activity = ActivityFactory(plan=plan, owners=people, order=1)
    ActivityFactory(plan=plan, order=1)
    for _ in range(7):  # more than the five reports indexed
        ProgressReportFactory(activity=activity, as_of=TODAY)
    meeting = MeetingFactory(team=team)
    for person in people:
        AttendanceFactory(meeting=meeting, person=person)
    for _ in range(2):
        AgendaItemFactory(meeting=meeting, order=1)
        ActionItemFactory(meeting=meeting, due_date=TODAY)
    # A question with tags and an accepted answer by the first person (whose entry it extends).
    question = QuestionFactory(asker=people[1])
    question.tags.set([TagFactory(name="ลำดับ ค"), TagFactory(name="ลำดับ ง")])
    question.accepted_answer = AnswerFactory(question=question, author=people[0])
    question.save()
    # A members-only community (its members are its entry's owners) and an asset with several
    # people to ask; an event with organisers and materials; a pair with skills; a rotation.
    secretary = UserFactory(username="stamp_secretary")
    MembershipFactory(
        team=TeamFactory(name="ทีม KM ลำดับ", kind=TeamKind.KM_TEAM),
        person=secretary,
        start_date=TODAY,
        role=Role.SECRETARY,
    )
    community = make_community(
        by=secretary,
        name="วงทดสอบลำดับ",
        access=Access.MEMBERS,
        facilitators=[people[0]],
        practitioners=people[1:],
    )
    asset = make_asset(community, by=people[0], who_to_ask=people)
    event = make_event(by=secretary, organisers=people)
    for person in people:
        register(event, person)
    pair = make_pair(mentor=people[0], mentee=people[1], skills=["ทักษะ ก", "ทักษะ ข"])
    rotation = make_rotation(person=people[2])
    search_index()
    return {
        "community": community,
        "community_asset": asset,
        "learning_event": event,
        "mentoring_pair": pair,
        "rotation": rotation,
        "question": question,
        "person": people[0],
        "team": team,
        "order": order,
        "document": document,
        "knowledge": knowledge,
        "expert": expert,
        "km_plan": plan,
        "km_activity": activity,
        "km_meeting": meeting,
    }


def _reverse_prefetched(obj, seen=None) -> int:
    """Reverse every prefetched list under ``obj``, as a database may return ties; returns how
    many lists were reversed."""
    seen = seen if seen is not None else set()
    if id(obj) in seen:
        return 0
    seen.add(id(obj))
    reversed_lists = 0
    # Lists a ``Prefetch(..., to_attr=...)`` put on the object are prefetched rows too.
    as_attributes = [
        value
        for value in vars(obj).values()
        if isinstance(value, list) and value and isinstance(value[0], models.Model)
    ]
    cached_lists = list(getattr(obj, "_prefetched_objects_cache", {}).values())
    for cached in cached_lists + as_attributes:
        rows = cached._result_cache if isinstance(cached, QuerySet) else cached
        if rows:
            rows.reverse()
            reversed_lists += 1
            for row in rows:
                reversed_lists += _reverse_prefetched(row, seen)
    return reversed_lists


def _document(kind, pk):
    searchable = get(kind)
    return searchable.document(searchable.all().get(pk=pk))


def test_every_kind_is_covered(records):
    assert {s.kind for s in searchables()} == set(records)


@pytest.mark.parametrize("kind", [s.kind for s in searchables()])
def test_the_order_rows_come_back_in_does_not_change_the_stamp(records, kind):
    searchable = get(kind)
    pk = records[kind].pk
    expected = _document(kind, pk)
    obj = searchable.all().get(pk=pk)
    reversed_lists = _reverse_prefetched(obj)
    assert searchable.document(obj) == expected
    if kind not in {"person", "learning_event", "rotation"}:  # these read no related rows
        assert reversed_lists, "the test reversed nothing: give the record related rows"


@pytest.mark.parametrize("kind", [s.kind for s in searchables()])
def test_the_language_of_the_request_does_not_change_the_stamp(records, kind):
    pk = records[kind].pk
    with translation.override("th"):
        thai = _document(kind, pk)
    with translation.override("en"):
        english = _document(kind, pk)
    assert english == thai


@pytest.mark.parametrize("kind", [s.kind for s in searchables()])
def test_the_day_does_not_change_the_stamp(records, kind, monkeypatch):
    pk = records[kind].pk
    before = _document(kind, pk)
    later = timezone.localdate() + dt.timedelta(days=3 * 365)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: later)
    assert _document(kind, pk) == before


def test_sets_in_a_document_are_stamped_in_a_fixed_order():
    one = {"kind": "x", "pk": 1, "owner": {"b", "a", "c"}, "data": {"ids": frozenset({3, 1, 2})}}
    other = {"kind": "x", "pk": 1, "owner": {"c", "a", "b"}, "data": {"ids": frozenset({2, 3, 1})}}
    assert stamp(one) == stamp(other)


def test_check_index_stays_healthy_when_memberships_share_a_start_date(records, capsys):
    """The reported bug: a team with memberships that share a start date was "stale" forever."""
    team = records["team"]
    IndexTask.objects.all().delete()
    for _ in range(3):
        assert upkeep.check().healthy
    membership = team.memberships.order_by("pk").first()
    membership.save()  # an UPDATE moves the row on PostgreSQL: ties come back in another order
    indexing.flush()
    assert upkeep.check().healthy
    call_command("check_index")
    assert "stale: 0" in capsys.readouterr().out
