"""The meetings' pages run a fixed number of queries, however many rows they show: each page is
counted with some rows and again with twice as many."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.core.choices import KMStep
from tests.factories import UserFactory
from tests.meetings.factories import (
    ActionItemFactory,
    AgendaItemFactory,
    AttendanceFactory,
    MeetingFactory,
    MinutesFactory,
)
from tests.plans.factories import ActivityFactory, PlanFactory

pytestmark = pytest.mark.django_db

STEPS = list(KMStep)


def grow(people, plan, meeting, n: int) -> None:
    """``n`` more of everything: agenda items on activities, action items, invitations, and
    other meetings with minutes."""
    member = people["member"]
    for index in range(n):
        owner = UserFactory()
        activity = ActivityFactory(
            plan=plan, owners=[member, owner], km_step=STEPS[index % len(STEPS)]
        )
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
    urls = [reverse("meetings:list"), meeting.get_absolute_url()]
    if role == "secretary":
        urls += [
            reverse("meetings:minutes_print", args=[meeting.pk]),
            reverse("meetings:agenda", args=[meeting.pk]),
            reverse("meetings:attendance", args=[meeting.pk]),
            reverse("meetings:minutes", args=[meeting.pk]),
        ]
    client = client_as(role)
    grow(people, plan, meeting, 4)
    client.get("/")  # warm the per-process caches (translations, content types)
    before = {url: queries(client, url) for url in urls}
    grow(people, plan, meeting, 8)
    after = {url: queries(client, url) for url in urls}
    assert after == before
    assert max(after.values()) <= 40, after
