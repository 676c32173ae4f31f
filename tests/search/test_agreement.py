"""Every searchable × every role: the app's permission rule (``may_open``), its ``visible``
queryset, what the index lets the person find and what the search page shows name the same
records.

The test iterates the registry, so a new app's searchable is checked as soon as it registers; the
``shelf`` below must then hold some of its records (the test fails saying so until it does).
"""

import pytest
from django.contrib.auth.models import AnonymousUser

from apps.accounts.models import User
from apps.core.searchables import get, searchables
from apps.knowledge.models import Status
from apps.search import indexing
from apps.search.engine import SearchRequest
from apps.search.searching import search, viewer_for
from tests.board.factories import AnswerFactory, QuestionFactory
from tests.community.factories import make_asset, make_community
from tests.experts.factories import ExpertFactory
from tests.factories import AppointmentOrderFactory, UserFactory
from tests.knowledge.factories import make_set
from tests.learning.factories import make_event, make_pair, make_rotation
from tests.meetings.factories import AttendanceFactory, MeetingFactory
from tests.plans.factories import ActivityFactory, PlanFactory
from tests.search.test_visibility import VIEWERS, cast, secrets  # noqa: F401 - the fixtures

pytestmark = pytest.mark.django_db
KINDS = [searchable.kind for searchable in searchables()]


@pytest.fixture
def shelf(cast, secrets, search_index, km_team):  # noqa: F811
    """The visibility matrix's secrets (a team-only and a KM-only document, a draft set by
    ``author``, a draft plan, a KM meeting) and every other kind, in more than one state:
    knowledge sets in every status, an approved plan, activities of both plans, a meeting the
    staff member is invited to, an approved and a suggested expert, an inactive account, an open
    and a members-only community of practice with an asset each, a question with an accepted
    answer and a hidden one, a learning event, two mentoring pairs and a rotation."""
    approved = PlanFactory(fiscal_year=2569, approved=True)
    ActivityFactory(plan=approved, title="กิจกรรมตามแผนที่อนุมัติแล้ว")
    ActivityFactory(plan=secrets["draft_plan"], title="กิจกรรมในร่างแผน")
    invited = MeetingFactory(team=km_team, title="ประชุมที่เชิญเจ้าหน้าที่")
    AttendanceFactory(meeting=invited, person=cast["staff"])
    for status in Status.values:  # written by ``author``, reviewed by the secretary
        make_set(
            status,
            title=f"ชุดความรู้ {status}",
            authors=[cast["author"]],
            reviewers=[cast["secretary"]],
        )
    ExpertFactory()
    ExpertFactory(pending=True, suggested_by=cast["staff"])
    AppointmentOrderFactory()
    UserFactory(username="r_former", is_active=False)
    # Communities of practice: an open one, and a members-only one the staff member is in.
    for name, access, practitioners in (("วงเปิด", "open", []), ("วงปิด", "members", ["staff"])):
        community = make_community(
            by=cast["secretary"],
            name=name,
            access=access,
            facilitators=[cast["author"]],
            practitioners=[cast[role] for role in practitioners],
        )
        make_asset(community, by=cast["author"])
    question = QuestionFactory(asker=cast["staff"], title="คำถามบนกระดานถาม-ตอบ")
    question.accepted_answer = AnswerFactory(question=question, author=cast["author"])
    question.save()
    QuestionFactory(asker=cast["staff"], title="คำถามที่ซ่อนแล้ว", hidden=True)
    # Learning: an event for all; a pair the author mentors and the member learns in; a pair of
    # two outsiders; a rotation of the staff member.
    make_event(by=cast["secretary"], title="อบรมการตรวจการสหกรณ์")
    make_pair(mentor=cast["author"], mentee=cast["member"], topic="การจัดตั้งสหกรณ์")
    make_pair(topic="การอ่านงบการเงิน")
    make_rotation(person=cast["staff"])
    search_index()


def index_finds(user, kind: str) -> set[str]:
    """The pks of every ``kind`` entry the index lets ``user`` find (before the page's check)."""
    engine, viewer, found, page = indexing.get_engine(), viewer_for(user), set(), 1
    while True:
        response = engine.search(
            SearchRequest(
                viewer=viewer, kinds=[kind], page=page, page_size=100, facets=False, spelling=False
            )
        )
        found |= {hit.uid.partition(":")[2] for hit in response.hits}
        if page >= response.pages:
            return found
        page += 1


@pytest.mark.parametrize("role", VIEWERS)
@pytest.mark.parametrize("kind", KINDS)
def test_the_rule_the_queryset_and_the_index_agree(cast, shelf, kind, role):  # noqa: F811
    searchable = get(kind)
    # Read again: nothing cached on the object from the fixtures (roles, permissions).
    user = User.objects.get(pk=cast[role].pk) if cast[role] else AnonymousUser()
    records = [obj for obj in searchable.all() if searchable.include(obj)]
    assert records, f"the shelf holds no {kind!r}: add some to the fixture"
    by_rule = {str(obj.pk) for obj in records if searchable.may_open(user, obj)}
    if searchable.opens is not None:  # the same rule, reading nothing more
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        searchable.opens(user, records[0])  # what the person's roles and teams are, read once
        with CaptureQueriesContext(connection) as queries:
            by_predicate = {str(obj.pk) for obj in records if searchable.opens(user, obj)}
        assert by_predicate == by_rule
        assert len(queries) == 0, [q["sql"] for q in queries.captured_queries]
    if role == "anonymous":  # searching is for signed-in staff: nothing at all
        assert by_rule == set()
        assert search(user=user, text="", kinds=[kind], record=False).results == []
        return
    pks = [obj.pk for obj in records]
    by_queryset = {
        str(pk) for pk in searchable.visible(user).filter(pk__in=pks).values_list("pk", flat=True)
    }
    assert by_rule == by_queryset == index_finds(user, kind)
    page = search(user=user, text="", kinds=[kind], page_size=100, record=False)
    assert {str(result.obj.pk) for result in page.results} == by_rule
    assert page.total == len(by_rule)


@pytest.mark.parametrize("kind", KINDS)
def test_a_page_of_hits_reads_what_its_snippets_need_in_a_fixed_number_of_queries(shelf, kind):
    """What the results page reads (``Searchable.results`` or ``attach``, often less than the
    index reads): the same snippet and address as the whole record gives, with nothing read per
    hit."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    searchable = get(kind)
    whole = {obj.pk: obj for obj in searchable.all()}
    assert whole, f"the shelf holds no {kind!r}: add some to the fixture"
    with CaptureQueriesContext(connection) as queries:
        shown = list(searchable.for_results().filter(pk__in=list(whole)))
        if searchable.attach:
            searchable.attach(shown)
    read = len(queries)
    with CaptureQueriesContext(connection) as queries:
        for obj in shown:
            if searchable.snippet:
                assert searchable.snippet(obj) == searchable.snippet(whole[obj.pk])
            assert obj.get_absolute_url() == whole[obj.pk].get_absolute_url()
    assert len(queries) == 0, [q["sql"] for q in queries.captured_queries]
    assert read <= 2  # the records, and what their snippets read with them
