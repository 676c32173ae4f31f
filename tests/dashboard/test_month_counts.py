"""The month-by-month figures are one grouped query per series (issue 20); they must count
exactly what the twelve filtered counts they replace counted.

The records sit on the edges of months in local time (Asia/Bangkok, seven hours ahead of UTC,
so local midnight of 1 January is still 31 December in UTC), across the calendar year's end
inside the fiscal year, and just outside the fiscal year on both sides. The same tests run on
SQLite and, in CI, on PostgreSQL.
"""

import datetime as dt

import pytest
from django.db.models import Count, Q
from django.test import RequestFactory
from django.utils import timezone, translation

from apps.community.models import KnowledgeAsset, Session
from apps.core.thaidates import be_year
from apps.dashboard import figures
from apps.dashboard.figures.months import month_counts
from apps.dashboard.scope import Scope, local_range, next_month
from apps.knowledge.models import Version
from apps.library.models import Document
from apps.meetings.models import Attendance, AttendanceStatus, Meeting
from tests.community.factories import make_asset, make_community, make_session
from tests.factories import UserFactory
from tests.knowledge.factories import make_set, publish_version
from tests.library.factories import DocumentFactory
from tests.plans.factories import this_year

pytestmark = pytest.mark.django_db


def old_month_counts(records, field, months, *, dates=False) -> list[int]:
    """The counts as the dashboard made them before: one filtered count per month."""

    def span(first, end):
        if dates:
            return Q(**{f"{field}__gte": first, f"{field}__lt": end})
        return local_range(field, first, end)

    counts = records.aggregate(
        **{
            f"m{index}": Count("pk", filter=span(month, next_month(month)))
            for index, month in enumerate(months)
        }
    )
    return [counts[f"m{index}"] for index in range(len(months))]


def local(day: dt.date, hour=0, minute=0, second=0) -> dt.datetime:
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour, minute, second))


def edge_moments(months: list[dt.date]) -> list[dt.datetime]:
    """Local midnight of each month's first day, the last second before it, and noon, for
    every month of the year and the months either side of it."""
    first, end = months[0], next_month(months[-1])
    moments = [local(first) - dt.timedelta(seconds=1), local(end), local(end, 12)]
    for month in months:
        moments += [local(month), local(month, 12), local(month) + dt.timedelta(hours=7)]
        moments.append(local(next_month(month)) - dt.timedelta(seconds=1))
    return moments


@pytest.fixture
def scope(people):
    request = RequestFactory().get("/")
    request.user = people["cko"]
    return Scope.for_request(request, year=this_year(), team=None, step="")


def test_documents_per_month_on_the_edges_of_local_months(scope, people):
    months = scope.months
    assert months[2].month == 12 and months[3] == dt.date(months[2].year + 1, 1, 1)
    moments = edge_moments(months)
    for moment in moments:
        document = DocumentFactory()
        Document.objects.filter(pk=document.pk).update(created_at=moment)
    records = scope.documents()
    new = month_counts(records, "created_at", months)
    assert new == old_month_counts(records, "created_at", months)
    # Four a month (midnight, 7 a.m., noon, the last second); outside the year: none.
    assert new == [4] * 12
    # 1 January 00:00 in Bangkok is 31 December 17:00 UTC, and counts in January.
    january = Document.objects.filter(local_range("created_at", months[3], months[4]))
    assert new[3] == january.count()


def test_a_field_across_a_filtered_relation_keeps_its_join(scope, people):
    """First versions only: a set whose second version is published in another month is
    counted in its first version's month, as the filtered counts did."""
    months = scope.months
    author = people["cko"]
    spread = [
        (months[2], local(months[3]) + dt.timedelta(hours=1)),  # December, then January
        (months[3], None),
        (months[0], local(months[5], 12)),
    ]
    for first, second in spread:
        knowledge_set = make_set("published")
        Version.objects.filter(knowledge_set=knowledge_set, number=1).update(
            published_at=local(first) + dt.timedelta(minutes=30)
        )
        if second:
            version = publish_version(knowledge_set, by=author)
            Version.objects.filter(pk=version.pk).update(published_at=second)
    records = scope.knowledge_sets().filter(versions__number=1)
    new = month_counts(records, "versions__published_at", months)
    assert new == old_month_counts(records, "versions__published_at", months)
    assert new[0] == 1 and new[2] == 1 and new[3] == 1 and sum(new) == 3
    table = figures.new_per_month(scope)
    assert [row[2].value for row in table.rows] == new


def test_communities_per_month_on_dates_and_times(scope, people):
    months = scope.months
    head = people["head"]
    facilitator = UserFactory()
    community = make_community(by=head, facilitators=[facilitator])
    days = [
        months[0] - dt.timedelta(days=1),  # the year before
        months[0],
        next_month(months[2]) - dt.timedelta(days=1),  # 31 December
        months[3],  # 1 January
        months[11],
        next_month(months[11]),  # the next year
    ]
    for index, day in enumerate(days):
        session = make_session(community, by=facilitator, days_ago=1, title=f"วงที่ {index}")
        Meeting.objects.filter(pk=session.meeting_id).update(date=day)
        for person in UserFactory.create_batch(index % 3 + 1):
            Attendance.objects.create(
                meeting_id=session.meeting_id, person=person, status=AttendanceStatus.PRESENT
            )
        asset = make_asset(community, by=facilitator, session=session, title=f"บทเรียน {index}")
        moment = local(day, 23, 59, 59)
        KnowledgeAsset.objects.filter(pk=asset.pk).update(
            created_at=moment, promoted_at=moment if index % 2 else None
        )
    sessions = Session.objects.all()
    present = Attendance.objects.filter(
        status=AttendanceStatus.PRESENT, meeting__community_session__in=sessions
    )
    assets = KnowledgeAsset.objects.all()
    promoted = assets.exclude(knowledge_set=None)
    cases = [
        (sessions, "meeting__date", True),
        (present, "meeting__date", True),
        (assets, "created_at", False),
        (assets, "promoted_at", False),
        (promoted, "promoted_at", False),
    ]
    for records, field, dates in cases:
        new = month_counts(records, field, months, dates=dates)
        assert new == old_month_counts(records, field, months, dates=dates), field
    assert month_counts(sessions, "meeting__date", months, dates=True) == [
        1, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 1,
    ]  # fmt: skip

    table = figures.communities_per_month(scope)
    expected = [
        old_month_counts(sessions, "meeting__date", months, dates=True),
        old_month_counts(present, "meeting__date", months, dates=True),
        old_month_counts(assets, "created_at", months),
        old_month_counts(promoted, "promoted_at", months),
    ]
    assert [[cell.value for cell in row[1:]] for row in table.rows] == [
        list(column) for column in zip(*expected, strict=True)
    ]


def test_month_labels_are_buddhist_era_across_the_new_year(scope):
    months = scope.months
    with translation.override("th"):
        labels = [str(row[0].value) for row in figures.communities_per_month(scope).rows]
    december, january = months[2], months[3]
    assert labels[0] == f"ต.ค. {be_year(months[0].year)}"
    assert labels[2] == f"ธ.ค. {be_year(december.year)}"
    assert labels[3] == f"ม.ค. {be_year(january.year)}"
    assert be_year(january.year) == be_year(december.year) + 1 == this_year()


def test_nothing_to_count_is_twelve_zeros(scope):
    assert month_counts(Document.objects.none(), "created_at", scope.months) == [0] * 12
    assert month_counts(Document.objects.all(), "created_at", scope.months) == [0] * 12
