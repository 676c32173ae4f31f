"""Every list page runs a fixed number of queries, however many rows it shows: each page is
counted with some rows and again with twice as many. The plan's pages grow meetings too: what
the meetings app adds to them (``apps.plans.extensions``) must hold the same line. The meetings'
own pages are counted in ``tests/meetings/test_queries.py``."""

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.core.choices import KMStep
from apps.library.models import Document
from apps.plans.models import EvidenceFile, EvidenceLink
from tests.factories import UserFactory
from tests.library.factories import DocumentFactory
from tests.meetings.factories import (
    ActionItemFactory,
    AgendaItemFactory,
    AttendanceFactory,
    MeetingFactory,
    MinutesFactory,
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

STEPS = list(KMStep)


def grow(people, plan, meeting, n: int) -> None:
    """``n`` more of everything: activities with owners and reports, rows of the plan,
    agenda items, action items, invitations, meetings, plans and documents."""
    member = people["member"]
    for index in range(n):
        owner = UserFactory()
        activity = ActivityFactory(
            plan=plan, owners=[member, owner], km_step=STEPS[index % len(STEPS)]
        )
        ProgressReportFactory(activity=activity, reported_by=owner)
        KnowledgeNeedFactory(plan=plan).holders.add(owner)
        DesiredStateFactory(plan=plan, focus_area=FocusAreaFactory(plan=plan))
        item = AgendaItemFactory(meeting=meeting, activity=activity, km_step=activity.km_step)
        ActionItemFactory(
            meeting=meeting,
            agenda_item=item,
            owner=member,
            activity=activity,
            due_date=timezone.localdate() - dt.timedelta(days=index % 3),
        )
        AttendanceFactory(meeting=meeting, person=owner)
        other = MeetingFactory(team=meeting.team)
        AttendanceFactory(meeting=other, person=member)
        MinutesFactory(meeting=other)
        PlanFactory(fiscal_year=2400 + len(people) * 10 + index + n * 7, approved=True)
        DocumentFactory(km_step=STEPS[index % len(STEPS)])


def report_with_evidence(activity, person) -> None:
    report = ProgressReportFactory(activity=activity, reported_by=person)
    EvidenceLink.objects.create(
        report=report,
        content_type=ContentType.objects.get_for_model(Document),
        object_id=DocumentFactory().pk,
    )
    EvidenceFile.objects.create(
        report=report,
        file="plans/evidence/x.pdf",
        original_name="x.pdf",
        size=10,
        mime="application/pdf",
    )


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(context.captured_queries)


@pytest.mark.parametrize("role", ["secretary", "member", "staff"])
def test_pages_run_a_fixed_number_of_queries(client_as, people, km_team, role):
    plan = PlanFactory(approved=True)
    # Begun yesterday, so its minutes can be written.
    meeting = MeetingFactory(team=km_team, date=timezone.localdate() - dt.timedelta(days=1))
    AttendanceFactory(meeting=meeting, person=people["staff"])
    activity = ActivityFactory(plan=plan, owners=[people["member"]])
    year = plan.fiscal_year
    urls = [
        reverse("plans:list"),
        reverse("plans:detail", args=[year]),
        reverse("plans:history", args=[year]),
        reverse("plans:steps") + f"?year={year}",
        activity.get_absolute_url(),
        reverse("plans:export_xlsx", args=[year]),
        people["member"].get_absolute_url(),
        "/",
    ]
    if role == "secretary":
        urls += [
            reverse("plans:progress", args=[year]),
            reverse("plans:progress_print", args=[year]),
            reverse("plans:progress_xlsx", args=[year]),
            reverse("plans:progress_pdf", args=[year]),
        ]
    client = client_as(role)
    for _ in range(3):  # on the activity itself: reports with files and links
        report_with_evidence(activity, people["member"])
    grow(people, plan, meeting, 4)
    client.get("/")  # warm the per-process caches (translations, content types)
    before = {url: queries(client, url) for url in urls}
    grow(people, plan, meeting, 8)
    for _ in range(6):
        report_with_evidence(activity, people["member"])
    client.get("/")  # the home page keeps some sections while their data is unchanged
    after = {url: queries(client, url) for url in urls}
    assert after == before
    assert max(after.values()) <= 40, after
