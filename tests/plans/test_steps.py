"""The seven-steps page: each step's meaning, the year's activities and meetings, and what other
apps tag with the step, through the registry in ``apps.core.steps``."""

import datetime as dt

import pytest
from django.urls import reverse

from apps.core import steps
from apps.core.choices import KM_STEP_DESCRIPTIONS, KMStep
from apps.library.models import AccessLevel, Document
from tests.library.factories import DocumentFactory
from tests.meetings.factories import AgendaItemFactory, AttendanceFactory, MeetingFactory
from tests.plans.factories import ActivityFactory, PlanFactory

pytestmark = pytest.mark.django_db


def row(response, step: KMStep) -> dict:
    return next(r for r in response.context["rows"] if r["step"] == step)


def meetings_of(step_row: dict) -> list:
    """The meetings the meetings app adds under a step (``apps.plans.extensions``)."""
    return next(p["records"] for p in step_row["parts"] if p["template"].startswith("meetings/"))


def test_each_step_with_its_activities_meetings_and_documents(client_as, people, km_team):
    plan = PlanFactory(fiscal_year=2568, approved=True)
    identify = ActivityFactory(plan=plan, km_step=KMStep.IDENTIFY, status="done", percent=100)
    late = ActivityFactory(plan=plan, km_step=KMStep.SHARE, end_date=dt.date(2024, 11, 30))
    ActivityFactory(plan=plan, km_step="", change_element="learning")
    ActivityFactory(plan=PlanFactory(fiscal_year=2569, approved=True), km_step=KMStep.IDENTIFY)
    meeting = MeetingFactory(team=km_team, date=dt.date(2025, 1, 15))
    AgendaItemFactory(meeting=meeting, km_step=KMStep.SHARE)
    AgendaItemFactory(meeting=meeting, km_step=KMStep.SHARE)
    open_doc = DocumentFactory(title="คู่มือชุมชนนักปฏิบัติ", km_step=KMStep.SHARE)
    km_doc = DocumentFactory(
        title="บันทึกภายในทีม KM", km_step=KMStep.SHARE, access=AccessLevel.KM_TEAM
    )

    response = client_as("member").get(reverse("plans:steps"), {"year": 2568})
    assert response.status_code == 200
    assert [r["number"] for r in response.context["rows"]] == [1, 2, 3, 4, 5, 6, 7]
    first = row(response, KMStep.IDENTIFY)
    assert first["activities"] == [identify] and first["done"] == 1
    assert first["description"] == KM_STEP_DESCRIPTIONS[KMStep.IDENTIFY]
    share = row(response, KMStep.SHARE)
    assert share["activities"] == [late] and share["late"] == 1
    assert meetings_of(share) == [meeting]  # once, however many of its items
    documents = share["sources"][0]
    assert documents["source"].key == "documents"
    assert set(documents["items"]) == {open_doc, km_doc} and documents["count"] == 2

    # A staff member sees neither the KM-only document nor a meeting they were not invited to.
    response = client_as("staff").get(reverse("plans:steps"), {"year": 2568})
    share = row(response, KMStep.SHARE)
    assert share["sources"][0]["items"] == [open_doc] and meetings_of(share) == []
    AttendanceFactory(meeting=meeting, person=people["staff"])
    response = client_as("staff").get(reverse("plans:steps"), {"year": 2568})
    assert meetings_of(row(response, KMStep.SHARE)) == [meeting]


def test_a_draft_plan_is_not_on_the_page_for_staff(client_as):
    ActivityFactory(plan=PlanFactory(fiscal_year=2568), km_step=KMStep.CODIFY)
    response = client_as("staff").get(reverse("plans:steps"), {"year": 2568})
    assert response.context["plan"] is None
    assert row(response, KMStep.CODIFY)["activities"] == []
    response = client_as("member").get(reverse("plans:steps"), {"year": 2568})
    assert len(row(response, KMStep.CODIFY)["activities"]) == 1


@pytest.mark.parametrize("year", ["abc", "99999", "", "1999"])
def test_a_bad_year_falls_back_to_this_one(client_as, year):
    """GIVEN a year that is not a B.E. year of a plan WHEN the page is asked for it THEN it
    shows this fiscal year's steps, with this year's plan (not the latest plan's)."""
    from apps.core.thaidates import fiscal_year

    this_year = fiscal_year()
    plan = PlanFactory(fiscal_year=this_year, approved=True)
    ActivityFactory(plan=plan, km_step=KMStep.SHARE)
    ActivityFactory(plan=PlanFactory(fiscal_year=this_year + 1, approved=True))  # not the latest
    response = client_as("staff").get(reverse("plans:steps"), {"year": year})
    assert response.status_code == 200
    assert response.context["year"] == this_year
    assert response.context["plan"] == plan
    assert len(row(response, KMStep.SHARE)["activities"]) == 1


@pytest.fixture
def manuals_source():
    """Another app's records tagged with a step: here, the library's manuals as a stand-in for
    knowledge sets (the plans app never imports the app that registers)."""
    source = steps.StepSource(
        key="manuals",
        label="Manuals",
        model=Document,
        visible=lambda user: Document.objects.visible_to(user).filter(doc_type="manual"),
        url_name="library:update",
        icon="journal-text",
        in_year=lambda records, first, last: records.filter(issued_on__range=(first, last)),
        order=30,
    )
    steps.register(source)
    yield source
    steps.unregister(source.key)


def test_another_app_registers_items_for_a_step(client_as, manuals_source):
    this_year = DocumentFactory(
        doc_type="manual", km_step=KMStep.CODIFY, issued_on=dt.date(2025, 1, 5)
    )
    DocumentFactory(doc_type="manual", km_step=KMStep.CODIFY, issued_on=dt.date(2020, 1, 5))
    response = client_as("staff").get(reverse("plans:steps"), {"year": 2568})
    sources = {entry["source"].key: entry for entry in row(response, KMStep.CODIFY)["sources"]}
    assert set(sources) >= {"documents", "manuals"}
    assert sources["manuals"]["items"] == [this_year]  # only the fiscal year's
    assert "Manuals" in response.content.decode()

    # Its records can be linked as evidence by their address.
    found = steps.resolve_link(f"http://km.example.go.th/library/{this_year.pk}/edit/?a=1")
    assert found == (manuals_source, this_year.pk)


def test_only_portal_records_resolve_as_links():
    assert steps.resolve_link("/library/12/") == (steps._sources["documents"], 12)
    assert steps.resolve_link("/plans/") is None
    assert steps.resolve_link("https://example.com/") is None
    assert steps.resolve_link("") is None


def test_a_step_lists_at_most_a_page_of_each_source(client_as):
    for _ in range(steps.ITEMS_PER_STEP + 3):
        DocumentFactory(km_step=KMStep.ACCESS)
    response = client_as("staff").get(reverse("plans:steps"))
    documents = row(response, KMStep.ACCESS)["sources"][0]
    assert len(documents["items"]) == steps.ITEMS_PER_STEP
    assert documents["count"] == steps.ITEMS_PER_STEP + 3
    assert documents["url"].endswith("?km_step=access")


def test_knowledge_sets_are_a_source_of_the_seven_steps(client_as, people):
    """Knowledge sets appear under the step they serve, only for those who may open them, and
    can be linked as evidence."""
    from tests.knowledge.factories import make_set

    public = make_set("published", km_step=KMStep.CODIFY, authors=[people["member"]])
    draft = make_set("draft", km_step=KMStep.CODIFY, authors=[people["member"]])
    staff = row(client_as("staff").get(reverse("plans:steps")), KMStep.CODIFY)["sources"]
    sets = next(entry for entry in staff if entry["source"].key == "knowledge")
    assert sets["items"] == [public] and sets["count"] == 1
    member = row(client_as("member").get(reverse("plans:steps")), KMStep.CODIFY)["sources"]
    sets = next(entry for entry in member if entry["source"].key == "knowledge")
    assert set(sets["items"]) == {public, draft}
    assert steps.resolve_link(public.get_absolute_url()) == (steps._sources["knowledge"], public.pk)


@pytest.mark.parametrize("query", ["", "?year=2650", "?year=abc"])
def test_the_year_box_selects_the_year_shown(client_as, query):
    import re

    from apps.core.thaidates import fiscal_year

    PlanFactory(fiscal_year=fiscal_year() + 1)
    response = client_as("staff").get(reverse("plans:steps") + query)
    year = response.context["year"]
    assert year == (2650 if "2650" in query else fiscal_year())
    selected = re.findall(r'<option value="(\d+)" selected>', response.content.decode())
    assert selected == [str(year)]
