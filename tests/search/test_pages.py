"""The search page, suggestions, related items and the query statistics, per role."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.library.models import AccessLevel, DocumentType
from apps.search.models import QueryStat
from apps.teams.models import Team
from tests.conftest import ROLES
from tests.library.factories import CategoryFactory, DocumentFactory, DocumentFileFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def shelf(search_index, people):
    group = Team.objects.get(name="กลุ่ม KM ที่ 1")
    law = CategoryFactory(name="กฎหมาย")
    docs = {
        "open": DocumentFileFactory(
            document__title="หนังสือเวียนเรื่องการประชุมใหญ่สามัญประจำปี",
            document__doc_type=DocumentType.CIRCULAR,
            document__category=law,
            document__issued_on=dt.date(2009, 3, 2),
            content="ให้สหกรณ์จัดประชุมใหญ่สามัญประจำปีภายในหนึ่งร้อยห้าสิบวัน".encode(),
        ).document,
        "km": DocumentFactory(
            title="รายงานการประชุมทีมงาน KM", access=AccessLevel.KM_TEAM, doc_type=DocumentType.REPORT
        ),
        "group": DocumentFactory(
            title="บันทึกการประชุมกลุ่มลับเฉพาะ",
            access=AccessLevel.TEAM,
            access_team=group,
            doc_type=DocumentType.OTHER,
        ),
    }
    search_index()
    return docs


# Who sees which of the three documents when searching for "การประชุม".
SEES = {
    "staff": {"open"},
    "member": {"open", "km", "group"},
    "secretary": {"open", "km"},
    "head": {"open", "km"},
    "cko": {"open", "km"},
    "admin": {"open", "km", "group"},
}


@pytest.mark.parametrize("role", [r for r in ROLES if r != "anonymous"])
def test_results_titles_snippets_counts_and_suggestions_respect_access(client_as, shelf, role):
    client = client_as(role)
    response = client.get(reverse("search:results"), {"q": "การประชุม"})
    assert response.status_code == 200
    page = response.context["page"]
    shown = {key for key, doc in shelf.items() if doc in [r.obj for r in page.results]}
    assert shown == SEES[role]
    assert page.total == len(SEES[role])
    kinds = {row["value"]: row["count"] for row in page.facets["kind"]}
    assert kinds["document"] == len(SEES[role])
    html = response.content.decode()
    for key, doc in shelf.items():
        assert (doc.title in html) == (key in SEES[role])
    suggestions = client.get(reverse("search:suggest"), {"q": "บันทึกการประชุม"}).json()["results"]
    assert ("บันทึกการประชุมกลุ่มลับเฉพาะ" in {s["title"] for s in suggestions}) == (
        "group" in SEES[role]
    )


def test_anonymous_people_are_sent_to_sign_in(client, shelf):
    for url in [reverse("search:results") + "?q=การประชุม", reverse("search:suggest") + "?q=การ"]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_snippets_are_highlighted_and_escaped(client_as, search_index):
    DocumentFileFactory(
        document__title="คู่มือ <script>alert(1)</script>",
        content="ผู้ตรวจการสหกรณ์<b>ต้อง</b>ตรวจสอบบัญชีทุกปี".encode(),
    )
    search_index()
    html = client_as("staff").get(reverse("search:results"), {"q": "ตรวจสอบบัญชี"}).content.decode()
    assert "<mark>" in html
    assert "<script>alert(1)</script>" not in html
    assert "<b>ต้อง</b>" not in html


def test_filters_facets_and_sort(client_as, shelf):
    client = client_as("admin")
    law = shelf["open"].category
    by_type = client.get(reverse("search:results"), {"q": "การประชุม", "type": "circular"})
    assert [r.obj for r in by_type.context["page"].results] == [shelf["open"]]
    by_category = client.get(reverse("search:results"), {"q": "การประชุม", "category": law.pk})
    assert [r.obj for r in by_category.context["page"].results] == [shelf["open"]]
    by_year = client.get(reverse("search:results"), {"q": "การประชุม", "year": 2552})
    assert [r.obj for r in by_year.context["page"].results] == [shelf["open"]]
    years = {row["value"]: row["count"] for row in by_year.context["page"].facets["year"]}
    assert years["2552"] == 1
    newest = client.get(reverse("search:results"), {"q": "การประชุม", "sort": "date"})
    assert newest.status_code == 200
    bad = client.get(
        reverse("search:results"), {"q": "การประชุม", "page": "x", "year": "abc", "sort": "?"}
    )
    assert bad.status_code == 200


def test_pagination(client_as, search_index):
    for number in range(25):
        DocumentFactory(title=f"ระเบียบการให้เงินกู้ฉบับที่ {number}")
    search_index()
    client = client_as("staff")
    first = client.get(reverse("search:results"), {"q": "เงินกู้"}).context["page"]
    second = client.get(reverse("search:results"), {"q": "เงินกู้", "page": 2}).context["page"]
    assert first.total == 25 and first.pages == 3
    assert not {r.obj.pk for r in first.results} & {r.obj.pk for r in second.results}


def test_queries_without_results_are_counted_without_identity(client_as, shelf):
    client = client_as("staff")
    client.get(reverse("search:results"), {"q": "การปลูกยางพารา"})
    client.get(reverse("search:results"), {"q": "  การปลูกยางพารา "})
    client.get(reverse("search:results"), {"q": "การประชุม"})
    stat = QueryStat.objects.get(query="การปลูกยางพารา", day=timezone.localdate())
    assert (stat.searches, stat.zero_results) == (2, 2)
    assert QueryStat.objects.get(query="การประชุม").zero_results == 0
    field_names = {f.name for f in QueryStat._meta.get_fields()}
    assert not field_names & {"user", "user_id", "ip", "session"}


def test_did_you_mean(client_as, search_index):
    DocumentFactory(title="การจัดการความรู้ในสำนักงานสหกรณ์")
    DocumentFactory(title="แนวทางการจัดการความรู้")
    search_index()
    page = client_as("staff").get(reverse("search:results"), {"q": "สหกรน์"}).context["page"]
    assert page.did_you_mean == "สหกรณ์"


def test_related_items_on_a_document_page(client_as, search_index):
    first = DocumentFactory(title="ระเบียบการรับสมาชิกสหกรณ์ออมทรัพย์")
    second = DocumentFactory(title="แนวทางการรับสมาชิกสหกรณ์ออมทรัพย์ใหม่")
    search_index()
    response = client_as("staff").get(first.get_absolute_url())
    assert second.title in response.content.decode()


def test_the_search_box_is_on_every_page(client_as, search_index):
    html = client_as("staff").get("/").content.decode()
    assert f'action="{reverse("search:results")}"' in html
    assert f'data-suggest="{reverse("search:suggest")}"' in html


def test_the_results_page_reads_the_hits_files_in_one_query(client_as, search_index, people):
    """GIVEN documents with files WHEN a page of results shows their snippets THEN the files
    come in one query, not one per hit (issue 20): 3 hits and 9 cost the same."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    made = iter(range(100))

    def queries_for(n: int) -> tuple[int, int]:
        for _ in range(n):
            index = next(made)
            DocumentFileFactory(
                document__title=f"ระเบียบการประชุมใหญ่ฉบับที่ {index}",
                content=f"สหกรณ์จัดประชุมใหญ่สามัญครั้งที่ {index}".encode(),
            )
        search_index()
        client = client_as("staff")
        client.get(reverse("search:results"), {"q": "ประชุมใหญ่"})  # warm
        # Nothing left queued (signing in queues the person's entry): the check of entries the
        # index has not taken yet costs one query per kind queued, whatever the hits.
        search_index()
        with CaptureQueriesContext(connection) as queries:
            page = client.get(reverse("search:results"), {"q": "ประชุมใหญ่"}).context["page"]
        assert all("<mark>" in result.snippet for result in page.results)
        files = [q for q in queries.captured_queries if '"library_documentfile"' in q["sql"]]
        assert len(files) == 1
        return len(queries), len(page.results)

    few, shown = queries_for(3)
    many, shown_more = queries_for(6)
    assert (shown, shown_more) == (3, 9)
    assert many == few


def test_facet_links_add_or_remove_one_value_and_drop_the_page():
    from django.test import RequestFactory

    from apps.search.templatetags.search_tags import toggle_param

    request = RequestFactory().get("/search/", {"q": "ประชุม", "type": ["law", "order"], "page": 3})
    context = {"request": request}
    assert (
        toggle_param(context, "type", "law")
        == "q=%E0%B8%9B%E0%B8%A3%E0%B8%B0%E0%B8%8A%E0%B8%B8%E0%B8%A1&type=order"
    )
    assert toggle_param(context, "year", 2567).endswith("&type=law&type=order&year=2567")
    assert request.GET.getlist("type") == ["law", "order"]  # the request's own is untouched


def test_finds_hidden_is_asked_of_the_index_once_per_state_of_the_index(
    shelf, people, search_index, monkeypatch
):
    """GIVEN the dashboard asking, on every render, whether a logged query names something the
    viewer may not open WHEN the index has not changed THEN the answer kept is given without
    searching again (issue 20); WHEN the index changes THEN the index is asked again."""
    from apps.search import searching
    from apps.search.indexing import get_engine

    engine = get_engine()
    searches = []
    real = type(engine).search
    monkeypatch.setattr(
        type(engine), "search", lambda self, request: searches.append(1) or real(self, request)
    )
    staff = people["staff"]
    assert searching.finds_hidden(user=staff, text="บันทึกลับเฉพาะ") is True
    asked = len(searches)
    assert searching.finds_hidden(user=staff, text="บันทึกลับเฉพาะ") is True
    assert len(searches) == asked  # kept
    shelf["group"].access, shelf["group"].access_team = AccessLevel.ALL_STAFF, None
    shelf["group"].save()
    search_index()
    assert searching.finds_hidden(user=staff, text="บันทึกลับเฉพาะ") is False
    assert len(searches) > asked
