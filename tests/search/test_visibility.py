"""Nothing a person may not open leaks through search: not in results, totals or facets, and not
in did-you-mean, suggestions as you type or related items either. One matrix: every role (and an
author of a draft) against every feature, over a team-only and a KM-only library document, a
knowledge-set draft, a draft plan and a meeting, each holding a word found nowhere else."""

import pytest
from django.urls import reverse

from apps.core.searchables import for_model
from apps.knowledge.models import KnowledgeSet
from apps.library.models import AccessLevel, Document
from apps.meetings.models import Meeting
from apps.plans.models import Plan
from apps.search import indexing
from apps.search.models import IndexTask
from apps.search.searching import related, search, suggestions
from apps.teams.models import Team
from tests.conftest import ROLES
from tests.factories import UserFactory
from tests.knowledge.factories import make_set
from tests.library.factories import DocumentFactory, DocumentFileFactory
from tests.meetings.factories import AgendaItemFactory, MeetingFactory
from tests.plans.factories import PlanFactory

pytestmark = pytest.mark.django_db
VIEWERS = [*ROLES, "author"]

# secret → the word only that record holds, and the same word misspelt (one letter changed).
WORDS = {
    "team_document": ("whistleblowername", "whistleblowernamf"),
    "km_document": ("kmconfidentialterm", "kmconfidentialterx"),
    "draft_set": ("unpublishedinsight", "unpublishedinsighx"),
    "draft_plan": ("provisionalbudgetline", "provisionalbudgetlinx"),
    "meeting": ("closedsessiontopic", "closedsessiontopix"),
}


@pytest.fixture
def cast(people):
    return {**people, "author": UserFactory(username="r_author")}


@pytest.fixture
def secrets(search_index, cast, km_team):
    group = Team.objects.get(name="กลุ่ม KM ที่ 1")
    word = {key: pair[0] for key, pair in WORDS.items()}
    made = {
        "team_document": DocumentFileFactory(
            document__title=f"บันทึกร้องเรียน {word['team_document']}",
            document__access=AccessLevel.TEAM,
            document__access_team=group,
            content=f"ผู้ร้องเรียนชื่อ {word['team_document']}".encode(),
        ).document,
        "km_document": DocumentFactory(
            title=f"รายงานลับของทีมงาน {word['km_document']}", access=AccessLevel.KM_TEAM
        ),
        "draft_set": make_set(
            title=f"ร่างชุดความรู้ {word['draft_set']}",
            body=f"## ร่าง\n\n{word['draft_set']}\n",
            authors=[cast["author"]],
        ),
        "draft_plan": PlanFactory(
            fiscal_year=2570, description=f"งบประมาณเบื้องต้น {word['draft_plan']}"
        ),
        "meeting": MeetingFactory(team=km_team, title=f"ประชุมเฉพาะ {word['meeting']}"),
    }
    AgendaItemFactory(meeting=made["meeting"], title="เรื่องลับเฉพาะ")
    # Something everybody may open, so that no answer is empty for the wrong reason.
    DocumentFactory(title="คู่มือการตรวจสอบภายในสหกรณ์ ฉบับเผยแพร่")
    search_index()
    return made


def may_open(user, record) -> bool:
    model = type(record)
    visible = {
        Document: lambda: Document.objects.visible_to(user),
        KnowledgeSet: lambda: KnowledgeSet.objects.visible_to(user),
        Plan: lambda: Plan.objects.visible_to(user),
        Meeting: lambda: Meeting.objects.visible_to(user),
    }[model]()
    return visible.filter(pk=record.pk).exists()


def test_the_matrix_is_not_empty(cast, secrets):
    """Plain staff may open none of the secrets, an administrator all of them."""
    assert not any(may_open(cast["staff"], record) for record in secrets.values())
    assert all(may_open(cast["admin"], record) for record in secrets.values())
    assert may_open(cast["author"], secrets["draft_set"])
    assert may_open(cast["member"], secrets["team_document"])


@pytest.mark.parametrize("role", [r for r in VIEWERS if r != "anonymous"])
@pytest.mark.parametrize("secret", list(WORDS))
def test_results_totals_and_facets(cast, secrets, role, secret):
    user, record = cast[role], secrets[secret]
    word, _misspelt = WORDS[secret]
    page = search(user=user, text=word, record=False)
    expected = [record] if may_open(user, record) else []
    assert [result.obj for result in page.results] == expected
    assert page.total == len(expected)
    kind = for_model(type(record)).kind
    counts = {
        name: {row["value"]: row["count"] for row in rows} for name, rows in page.facets.items()
    }
    assert counts["kind"].get(kind, 0) == len(expected)
    assert sum(counts["kind"].values()) == len(expected)
    if not expected:
        assert all(not rows for rows in page.facets.values()), page.facets


@pytest.mark.parametrize("role", [r for r in VIEWERS if r != "anonymous"])
@pytest.mark.parametrize("secret", list(WORDS))
def test_did_you_mean(cast, secrets, role, secret):
    user, record = cast[role], secrets[secret]
    word, misspelt = WORDS[secret]
    page = search(user=user, text=misspelt, record=False)
    assert page.total == 0
    if may_open(user, record):
        assert page.did_you_mean == word
    else:
        assert page.did_you_mean is None


@pytest.mark.parametrize("role", [r for r in VIEWERS if r != "anonymous"])
@pytest.mark.parametrize("secret", list(WORDS))
def test_suggestions_as_you_type(cast, secrets, role, secret):
    user, record = cast[role], secrets[secret]
    word, _misspelt = WORDS[secret]
    titles = {row["title"] for row in suggestions(user=user, prefix=word[:8])}
    shown = any(word in title for title in titles)
    assert shown == (may_open(user, record) and word in str(record_title(record)))


def record_title(record) -> str:
    return getattr(record, "title", "")


@pytest.mark.parametrize("role", [r for r in VIEWERS if r != "anonymous"])
def test_related_items(cast, secrets, role):
    user = cast[role]
    public = DocumentFactory(title="บันทึกร้องเรียน ฉบับเผยแพร่ whistleblowername")
    indexing.flush()
    shown = {result.obj for result in related(user=user, obj=public, limit=10)}
    for record in shown:
        assert may_open(user, record), (role, record)
    assert (secrets["team_document"] in shown) == may_open(user, secrets["team_document"])


@pytest.mark.parametrize("url", ["search:results", "search:suggest"])
def test_anonymous_people_get_nothing(client, secrets, url):
    response = client.get(reverse(url), {"q": WORDS["team_document"][0]})
    assert response.status_code == 302
    assert WORDS["team_document"][0] not in response.content.decode()


def test_nothing_anonymous_through_the_functions_either(secrets):
    from django.contrib.auth.models import AnonymousUser

    anonymous = AnonymousUser()
    page = search(user=anonymous, text="คู่มือการตรวจสอบภายใน", record=False)
    assert (page.results, page.total, page.did_you_mean) == ([], 0, None)
    assert suggestions(user=anonymous, prefix="คู่มือการตรวจ") == []


@pytest.mark.parametrize("role", ["staff", "member", "admin"])
def test_a_change_of_access_the_index_has_not_taken_yet_is_not_counted(cast, secrets, role):
    """GIVEN a public document restricted a moment ago, its update still queued (a busy index)
    THEN searches neither count it nor suggest its words to those who may no longer open it."""
    user = cast[role]
    document = DocumentFactory(title="ประกาศรับสมัคร abruptlyrestricted")
    indexing.flush()
    Document.objects.filter(pk=document.pk).update(
        access=AccessLevel.TEAM, access_team=Team.objects.get(name="กลุ่ม KM ที่ 1")
    )
    IndexTask.objects.create(uid=f"document:{document.pk}")  # queued, not yet flushed
    allowed = may_open(user, document)
    page = search(user=user, text="abruptlyrestricted", record=False)
    assert page.total == int(allowed)
    assert sum(row["count"] for row in page.facets["kind"]) == int(allowed)
    misspelt = search(user=user, text="abruptlyrestrictex", record=False)
    assert (misspelt.did_you_mean == "abruptlyrestricted") == allowed
    titles = {row["title"] for row in suggestions(user=user, prefix="abruptlyrest")}
    assert bool(titles) == allowed


@pytest.mark.parametrize("role", ["staff", "member"])
def test_words_of_deleted_and_renamed_entries_are_not_suggested(cast, search_index, role):
    """The index keeps the words of a replaced entry until its segments merge."""
    document = DocumentFactory(title="ระเบียบ formerwordingxyz")
    search_index()
    document.title = "ระเบียบ ฉบับปรับปรุง"
    document.save()
    search_index()
    page = search(user=cast[role], text="formerwordingxyq", record=False)
    assert page.did_you_mean is None


def test_the_command_line_counts_only_what_the_person_may_open(cast, secrets):
    import json
    from io import StringIO

    from django.core.management import call_command

    document = DocumentFactory(title="ประกาศ commandlinerestricted")
    indexing.flush()
    Document.objects.filter(pk=document.pk).update(access=AccessLevel.KM_TEAM)
    IndexTask.objects.create(uid=f"document:{document.pk}")
    out = StringIO()
    call_command("search", "commandlinerestricted", "--json", "--as", "r_staff", stdout=out)
    assert json.loads(out.getvalue())["total"] == 0
    out = StringIO()
    call_command("search", "commandlinerestricted", "--json", "--as", "r_member", stdout=out)
    assert json.loads(out.getvalue())["total"] == 1


@pytest.mark.parametrize("role", [r for r in VIEWERS if r != "anonymous"])
def test_the_dashboards_searches_name_nothing_hidden(cast, secrets, role):
    """GIVEN each secret's word was searched (found by someone who may open it, not by someone
    who may not) and its misspelling found nothing; THEN the office dashboard's top searches and
    knowledge gaps show a viewer only the queries that find nothing hidden from them."""
    from django.test import RequestFactory
    from django.utils import timezone

    from apps.dashboard import figures
    from apps.dashboard.scope import Scope
    from apps.search.models import QueryStat
    from tests.plans.factories import this_year

    for word, misspelt in WORDS.values():
        QueryStat.objects.create(query=word, day=timezone.localdate(), searches=3, zero_results=1)
        QueryStat.objects.create(query=misspelt, day=timezone.localdate(), searches=1)
    QueryStat.objects.create(query="คู่มือ", day=timezone.localdate(), searches=2)
    request = RequestFactory().get("/")
    request.user = cast[role]
    scope = Scope.for_request(request, year=this_year(), team=None, step="")
    for table in (figures.top_searches(scope), figures.knowledge_gaps(scope)):
        shown = {row[0].value for row in table.rows}
        for secret, (word, _misspelt) in WORDS.items():
            assert (word in shown) == may_open(cast[role], secrets[secret]), (table.key, secret)
    assert "คู่มือ" in {row[0].value for row in figures.top_searches(scope).rows}
