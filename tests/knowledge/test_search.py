"""Knowledge sets in search: drafts and sets in review are found only by their authors, reviewers,
the head and the CKO, exactly as on the pages; readers find only published text."""

import pytest

from apps.knowledge import services
from apps.knowledge.models import Status
from apps.knowledge.services.common import apply_text
from apps.search import indexing
from apps.search.engine import SearchRequest
from apps.search.searching import search, viewer_for
from tests.conftest import ROLES
from tests.factories import UserFactory
from tests.knowledge.conftest import set_for
from tests.search.conftest import search_index  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db
SIGNED_IN = [role for role in ROLES if role != "anonymous"]


def engine_finds(text: str, user) -> set[str]:
    """What the index itself lets this person find (before the page's own check)."""
    response = indexing.get_engine().search(
        SearchRequest(viewer=viewer_for(user), text=text, page_size=50)
    )
    return {hit.uid for hit in response.hits if hit.kind == "knowledge"}


def page_finds(text: str, user) -> set[int]:
    return {result.obj.pk for result in search(user=user, text=text, record=False).results}


@pytest.fixture
def sets(people, search_index):  # noqa: F811
    words = "การตรวจสอบกิจการสหกรณ์ออมทรัพย์"
    made = {
        status: set_for(people, status, title=f"{words} {status}", body=f"## {words}\n")
        for status in Status.values
    }
    search_index()
    return words, made


def test_drafts_are_found_by_the_people_involved_only(people, sets):
    words, made = sets
    draft = f"knowledge:{made[Status.DRAFT].pk}"
    published = f"knowledge:{made[Status.PUBLISHED].pk}"
    for role in ["member", "secretary", "head", "cko", "admin"]:
        assert draft in engine_finds(words, people[role]), role
    assert draft not in engine_finds(words, people["staff"])
    assert published in engine_finds(words, people["staff"])
    assert f"knowledge:{made[Status.ARCHIVED].pk}" not in engine_finds(words, people["staff"])


def test_a_new_reviewer_finds_the_set_from_the_next_search(people, search_index):  # noqa: F811
    knowledge_set = set_for(people, Status.SUBMITTED, reviewers=[], title="ทะเบียนสมาชิกสหกรณ์")
    reviewer = UserFactory(username="r_reviewer")
    search_index()
    assert not engine_finds("ทะเบียนสมาชิก", reviewer)
    services.reviewers_assign(by=people["head"], knowledge_set=knowledge_set, reviewers=[reviewer])
    search_index()
    assert engine_finds("ทะเบียนสมาชิก", reviewer) == {f"knowledge:{knowledge_set.pk}"}


def test_readers_find_the_published_text_never_the_working_copy(people, search_index):  # noqa: F811
    knowledge_set = set_for(
        people, Status.PUBLISHED, title="การประชุมใหญ่สามัญประจำปี", body="## การประชุมใหญ่\n"
    )
    services.set_transition(by=people["member"], knowledge_set=knowledge_set, action="revise")
    knowledge_set.refresh_from_db()
    knowledge_set.title = "การเลือกตั้งกรรมการดำเนินการ"
    knowledge_set.body = "## การเลือกตั้งกรรมการ\n"
    apply_text(knowledge_set)
    knowledge_set.save()
    search_index()
    staff = people["staff"]
    assert engine_finds("ประชุมใหญ่", staff) == {f"knowledge:{knowledge_set.pk}"}
    assert engine_finds("เลือกตั้ง", staff) == set()
    results = search(user=staff, text="ประชุมใหญ่", record=False).results
    assert [r.title for r in results] == ["การประชุมใหญ่สามัญประจำปี"]
    assert "เลือกตั้ง" not in str(results[0].snippet)


def test_a_retired_set_leaves_the_readers_search(people, search_index):  # noqa: F811
    knowledge_set = set_for(people, Status.PUBLISHED, title="การจัดเก็บแฟ้มเอกสาร")
    search_index()
    assert engine_finds("แฟ้มเอกสาร", people["staff"])
    services.set_transition(
        by=people["head"], knowledge_set=knowledge_set, action="archive", note="ล้าสมัย"
    )
    search_index()
    assert not engine_finds("แฟ้มเอกสาร", people["staff"])
    assert engine_finds("แฟ้มเอกสาร", people["member"])
