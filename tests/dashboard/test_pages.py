"""The dashboard's pages: who may open which, the lists behind the figures, filters, the Excel
export, the print view, a bounded number of queries, and the personal dashboard."""

import io
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.translation import gettext as _t
from openpyxl import load_workbook

from apps.core.choices import KMStep
from apps.dashboard import figures
from apps.library.choices import AccessLevel
from tests.conftest import ROLES
from tests.factories import TeamFactory
from tests.knowledge.factories import make_set
from tests.library.factories import DocumentFactory
from tests.meetings.factories import ActionItemFactory, AttendanceFactory, MeetingFactory
from tests.plans.factories import ActivityFactory, PlanFactory, this_year

pytestmark = pytest.mark.django_db

STEERING = {"secretary", "head", "cko", "admin"}
OFFICE_PAGES = [
    reverse("dashboard:office"),
    reverse("dashboard:office_print"),
    reverse("dashboard:office_xlsx"),
    reverse("dashboard:office_pdf"),
    reverse("dashboard:list", args=["activities"]),
    reverse("dashboard:list", args=["sets"]),
    reverse("dashboard:list", args=["documents"]),
]


# --- Permissions: role × page × method -----------------------------------------------------------
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url", OFFICE_PAGES)
def test_office_pages_are_for_those_who_steer_km(office, client_as, role, url):
    response = client_as(role).get(url)
    if role == "anonymous":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    elif role in STEERING:
        assert response.status_code == 200
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("role", ROLES)
def test_personal_dashboard_is_for_every_staff_member(office, client_as, role):
    response = client_as(role).get(reverse("dashboard:personal"))
    assert response.status_code == (302 if role == "anonymous" else 200)


@pytest.mark.parametrize("role", ROLES)
def test_the_navigation_entry_leads_to_the_right_dashboard(office, client_as, role):
    response = client_as(role).get(reverse("dashboard:home"))
    assert response.status_code == 302
    if role == "anonymous":
        assert "/accounts/login/" in response["Location"]
    elif role in STEERING:
        assert response["Location"] == reverse("dashboard:office")
    else:
        assert response["Location"] == reverse("dashboard:personal")


@pytest.mark.parametrize("url", [*OFFICE_PAGES, reverse("dashboard:personal")])
def test_pages_only_read(office, client_as, url):
    assert client_as("cko").post(url).status_code == 405


def test_an_unknown_list_is_not_found(office, client_as):
    assert client_as("cko").get(reverse("dashboard:list", args=["people"])).status_code == 404


# --- Every figure links to the list it counts ----------------------------------------------------
@pytest.mark.parametrize("role", ["cko", "secretary"])
def test_every_linked_count_equals_its_list(office, client_as, role):
    client = client_as(role)
    page = client.get(reverse("dashboard:office"))
    checked = 0
    for section in page.context["sections"]:
        for table in section.tables:
            for row in table.rows:
                for cell in row:
                    if not (cell.numeric and cell.url.startswith("/dashboard/list/")):
                        continue
                    parts = urlsplit(cell.url)
                    response = client.get(parts.path, dict(_pairs(parts.query)))
                    assert response.status_code == 200, cell.url
                    count = response.context["page_obj"].paginator.count
                    assert count == cell.value, f"{table.key}: {cell.url}"
                    checked += 1
    assert checked > 100


def _pairs(query: str):
    from urllib.parse import parse_qsl

    return parse_qsl(query)


def test_the_list_shows_the_records_and_what_was_chosen(office, client_as):
    t1, _group = office["teams"]
    response = client_as("cko").get(
        reverse("dashboard:list", args=["activities"]),
        {"year": this_year(), "by_team": t1.pk, "late": "1"},
    )
    assert [a.title for a in response.context["records"]] == ["a2"]
    body = response.content.decode()
    assert "คณะทำงาน T1" in body and 'id="list-count">1<' in body


def test_a_bad_list_filter_is_explained_and_lists_nothing(office, client_as):
    response = client_as("cko").get(
        reverse("dashboard:list", args=["activities"]), {"by_team": "abc", "status": "x"}
    )
    assert response.status_code == 200
    assert list(response.context["records"]) == []
    assert response.context["filters"].errors
    assert "alert-danger" in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [{"year": "abc"}, {"team": "999999"}, {"step": "nowhere"}, {"year": "1"}, {"team": "x"}],
)
def test_bad_filters_fall_back_with_a_message(office, client_as, query):
    response = client_as("cko").get(reverse("dashboard:office"), query)
    assert response.status_code == 200
    scope = response.context["scope"]
    assert scope.year == this_year() if "year" in query else True
    assert response.context["form"].errors
    assert any(m.level_tag == "warning" for m in response.context["messages"])


def test_filters_reach_every_link(office, client_as):
    _t1, group = office["teams"]
    response = client_as("cko").get(
        reverse("dashboard:office"), {"year": this_year(), "team": group.pk, "step": "create"}
    )
    summary = response.context["sections"][0].tables[0]
    assert summary.named["total"].value == 1  # a3
    assert f"team={group.pk}" in summary.named["total"].url
    assert "step=create" in summary.named["total"].url


# --- Export and print ----------------------------------------------------------------------------
def test_excel_export_has_every_table_with_its_numbers(office, client_as):
    response = client_as("cko").get(reverse("dashboard:office_xlsx"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    sections = client_as("cko").get(reverse("dashboard:office")).context["sections"]
    tables = [table for section in sections for table in section.tables]
    assert len(book.sheetnames) == len(tables)
    summary = book[book.sheetnames[0]]
    rows = [list(row) for row in summary.iter_rows(values_only=True)]
    heading = [_t("Measure"), _t("Activities")]
    assert heading in rows, rows[:6]
    header = rows.index(heading)
    numbers = [row[1] for row in rows[header + 1 :]]
    assert numbers == [5, 50.0, 1, 2, 1, 1, 1, 2]
    searches = book[next(name for name in book.sheetnames if name == _t("Top searches"))]
    found = [row for row in searches.iter_rows(values_only=True) if row and row[0] == "ระเบียบ"]
    assert found == [("ระเบียบ", 8, 1)]


def test_print_view_has_the_tables_and_charts(office, client_as):
    body = client_as("head").get(reverse("dashboard:office_print")).content.decode()
    assert "data-km-print" in body  # the print button (js/portal.js)
    assert body.count('class="table table-sm') >= 15
    assert "chart.umd.min.js" in body and 'data-chart="chart-data-plan_summary"' in body


def test_charts_and_tables_carry_the_same_numbers(office, client_as):
    response = client_as("cko").get(reverse("dashboard:office"))
    body = response.content.decode()
    assert 'id="chart-data-plan_by_step"' in body
    table = next(t for t in response.context["sections"][0].tables if t.key == "plan_by_step")
    chart = table.chart_data()
    assert chart["datasets"][0]["data"] == [row[2].value for row in table.rows]


# --- Speed: a fixed number of queries ------------------------------------------------------------
def _queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("dashboard:office")).status_code == 200
    return len(captured)


def test_the_number_of_queries_does_not_grow_with_the_data(office, client_as, people):
    client = client_as("cko")
    _queries(client)  # learns which tables the figures read (see apps.core.kept)
    before = _queries(client)
    plan = office["plan"]
    for number in range(30):
        activity = ActivityFactory(plan=plan, title=f"เพิ่ม {number}", km_step=KMStep.LEARN)
        activity.owners.set([people["member"]])
        make_set("published", authors=[people["staff"]])
        DocumentFactory(uploaded_by=people["staff"])
    assert _queries(client) == before
    # 45 before the communities, Q&A board and learning sections (a few counts each) came;
    # one more reads the fingerprint of the tables counted.
    assert before <= 56


# --- Figures kept while nothing they count changes (issue 20) ------------------------------------
def _new_documents(response) -> int:
    tables = [t for section in response.context["sections"] for t in section.tables]
    table = next(t for t in tables if t.key == "new_per_month")
    return sum(row[1].value for row in table.rows)


def test_unchanged_figures_are_kept_and_a_change_shows_at_once(office, client_as, people):
    client = client_as("cko")
    _queries(client)
    computed = _queries(client)
    kept = _queries(client)
    # The page without the figures: the session, the person, the filters; and the fingerprint.
    assert kept <= computed - 40
    before = _new_documents(client.get(reverse("dashboard:office")))
    DocumentFactory(uploaded_by=people["staff"])
    response = client.get(reverse("dashboard:office"))
    assert _new_documents(response) == before + 1
    assert 'id="dashboard-as-of"' in response.content.decode()


def test_kept_figures_are_never_another_viewers(office, client_as, people):
    """GIVEN a document only the CKO may open (theirs, for a team of nobody), WHEN the secretary's
    figures are kept, THEN the CKO's count it and the secretary's still do not."""
    DocumentFactory(uploaded_by=people["cko"], access=AccessLevel.TEAM, access_team=TeamFactory())
    url = reverse("dashboard:office")
    for _ in range(3):
        hidden = _new_documents(client_as("secretary").get(url))  # (one client, signed in anew)
    seen = _new_documents(client_as("cko").get(url))
    assert seen == hidden + 1
    assert _new_documents(client_as("secretary").get(url)) == hidden


# --- The personal dashboard ----------------------------------------------------------------------
def test_members_see_only_their_own_work(office, client_as, people):
    meeting = MeetingFactory(title="ประชุมทีม")
    AttendanceFactory(meeting=meeting, person=people["member"])
    ActionItemFactory(meeting=meeting, owner=people["member"], description="ส่งรายงาน")
    ActionItemFactory(meeting=meeting, owner=people["secretary"], description="ของเลขานุการ")
    response = client_as("member").get(reverse("dashboard:personal"))
    context = response.context
    assert [a.title for a in context["activities"]] == ["a2", "a3"]
    assert context["counts"]["total"] == 2 and context["counts"]["late"] == 1
    assert context["counts"]["unreported"] == 2
    assert [s.pk for s in context["drafts"]] == [office["sets"][0].pk]
    assert [s.pk for s in context["to_review"]] == [office["sets"][2].pk]
    assert [str(a) for a in context["actions"]] == ["ส่งรายงาน"]
    assert [a.meeting for a in context["upcoming"]] == [meeting]
    body = response.content.decode()
    assert "a5" not in [a.title for a in context["activities"]]
    assert "ของเลขานุการ" not in body


def test_plain_staff_have_an_empty_but_working_dashboard(office, client_as):
    response = client_as("staff").get(reverse("dashboard:personal"))
    assert response.status_code == 200
    assert response.context["counts"]["total"] == 0
    assert "dashboard:office" not in response.content.decode()


def test_office_figures_module_builds_every_section(office, people):
    from django.test import RequestFactory

    from apps.dashboard.scope import Scope

    request = RequestFactory().get("/")
    request.user = people["admin"]
    sections = figures.office(Scope.for_request(request, year=this_year(), team=None, step=""))
    keys = ["plan", "knowledge", "corner", "search", "communities", "board", "learning", "people"]
    assert [s.key for s in sections] == keys


def test_excel_export_writes_user_text_as_text(office, client_as):
    """Search queries are typed by anyone; activity titles by the plan's editors."""
    from apps.search.models import QueryStat

    hostile = '=HYPERLINK("http://evil.example","คลิก")'
    from django.utils import timezone

    today = timezone.localdate()
    QueryStat.objects.create(query=hostile, day=today, searches=99, zero_results=99)
    QueryStat.objects.create(query="＠SUM(1)", day=today, searches=98, zero_results=0)
    office["activities"][1].title = "+1+1"
    office["activities"][1].save()
    response = client_as("cko").get(reverse("dashboard:office_xlsx"))
    book = load_workbook(io.BytesIO(response.content))
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    assert [cell.value for cell in cells if cell.data_type == "f"] == []
    texts = {cell.value for cell in cells}
    assert {hostile, "＠SUM(1)", "+1+1"} <= texts


# --- The year box shows the year the page shows --------------------------------------------------
def _selected_year(html: str) -> list[str]:
    import re

    select = re.search(r'<select name="year".*?</select>', html, re.S).group(0)
    return re.findall(r'<option value="(\d+)"[^>]*\bselected\b', select)


@pytest.mark.parametrize(
    ("role", "url"),
    [("cko", reverse("dashboard:office")), ("secretary", reverse("dashboard:personal"))],
)
@pytest.mark.parametrize("query", ["", "?step=create", "?year=abc", "?year=1999"])
def test_the_year_box_selects_the_year_shown(office, client_as, role, url, query):
    """GIVEN next year's draft plan exists WHEN a dashboard opens (or a filter omits or spoils
    the year) THEN the year box selects the year the heading and figures show."""
    PlanFactory(fiscal_year=this_year() + 1)
    response = client_as(role).get(url + query)
    assert response.context["scope"].year == this_year()
    html = response.content.decode()
    assert str(this_year() + 1) in html  # next year can be chosen
    assert _selected_year(html) == [str(this_year())]


def test_the_year_box_keeps_a_chosen_year(office, client_as):
    PlanFactory(fiscal_year=this_year() + 1)
    response = client_as("cko").get(reverse("dashboard:office"), {"year": this_year() + 1})
    assert response.context["scope"].year == this_year() + 1
    assert _selected_year(response.content.decode()) == [str(this_year() + 1)]


def test_excel_sheet_names_are_whole_words_and_unique(office, client_as):
    from tests.core.test_spreadsheets import word_prefixes

    response = client_as("cko").get(reverse("dashboard:office_xlsx"))
    book = load_workbook(io.BytesIO(response.content))
    names = [sheet.title for sheet in book.worksheets]
    assert len({name.lower() for name in names}) == len(names)
    for sheet in book.worksheets:
        assert len(sheet.title) <= 31
        assert sheet.title in word_prefixes(sheet["A1"].value), (sheet.title, sheet["A1"].value)
