"""A small office whose every dashboard figure is counted by hand in ``test_figures.py``.

Activities of this fiscal year's approved plan:

    a1  identify  team T1  state S1 (area A)  done          100 %  ended yesterday   (closed)
    a2  identify  team T1  state S1 (area A)  in progress    40 %  ended yesterday   late,
                                                                           unreported
    a3  create    team G   state S2 (area B)  not started     0 %  ends in 30 days   unreported
    a4  change management, no team, no state  cancelled      10 %
    a5  share     team G   no state           in progress    60 %  reported today

Knowledge sets: k1 draft (G, create), k2 published (G, review overdue), k3 in review (no group),
k4 retired (G, review date past but retired). k2 and k4 were first published today.

Documents (added today by the head): d1 and d2 for all staff, d3 only for team T1 (nobody of
the roles is in T1). Use today: d1 5 views / 2 downloads, d2 1 / 4, d3 9 / 9.
Searches today: "ระเบียบ" 8 (1 without results), "ภาษี" 2 (2); last fiscal year "เก่า" 50.
Contributions: the head added 3 documents, the member authored k2 and k4 (2 versions), the
secretary wrote 1 progress report, plain staff 1 comment.
"""

import datetime as dt

import pytest
from django.utils import timezone

from apps.core.choices import KMStep
from apps.core.thaidates import fiscal_year_range
from apps.knowledge.models import ReadingDay, Status
from apps.library.models import AccessLevel, DocumentUse
from apps.plans.models import ActivityStatus, ChangeElement
from apps.search.models import QueryStat
from apps.teams.models import Team, TeamKind
from tests.factories import TeamFactory
from tests.knowledge.factories import CommentFactory, make_set
from tests.library.factories import DocumentFactory
from tests.plans.factories import (
    ActivityFactory,
    DesiredStateFactory,
    FocusAreaFactory,
    PlanFactory,
    ProgressReportFactory,
    this_year,
)


@pytest.fixture
def office(db, people):
    today = timezone.localdate()
    yesterday = today - dt.timedelta(days=1)
    month_ago = today - dt.timedelta(days=30)
    year = this_year()
    first, last = fiscal_year_range(year)
    plan = PlanFactory(fiscal_year=year, approved=True)
    area_a = FocusAreaFactory(plan=plan, title="พื้นที่ A", order=1)
    area_b = FocusAreaFactory(plan=plan, title="พื้นที่ B", order=2)
    s1 = DesiredStateFactory(plan=plan, title="เป้าหมาย S1", focus_area=area_a, order=1)
    s2 = DesiredStateFactory(plan=plan, title="เป้าหมาย S2", focus_area=area_b, order=2)
    s3 = DesiredStateFactory(plan=plan, title="เป้าหมาย S3", focus_area=None, order=3)
    t1 = TeamFactory(name="คณะทำงาน T1", kind=TeamKind.WORKING_GROUP, order=1)
    group = Team.objects.get(name="กลุ่ม KM ที่ 1")
    group.order = 2
    group.save(update_fields=["order"])

    def activity(title, **kwargs):
        defaults = {"start_date": month_ago, "end_date": today + dt.timedelta(days=30)}
        return ActivityFactory(plan=plan, title=title, **{**defaults, **kwargs})

    a1 = activity(
        "a1",
        km_step=KMStep.IDENTIFY,
        team=t1,
        desired_state=s1,
        status=ActivityStatus.DONE,
        percent=100,
        end_date=yesterday,
        last_reported_on=yesterday,
    )
    a2 = activity(
        "a2",
        km_step=KMStep.IDENTIFY,
        team=t1,
        desired_state=s1,
        status=ActivityStatus.IN_PROGRESS,
        percent=40,
        end_date=yesterday,
    )
    a3 = activity(
        "a3", km_step=KMStep.CREATE, team=group, desired_state=s2, status=ActivityStatus.NOT_STARTED
    )
    a4 = activity(
        "a4",
        km_step="",
        change_element=ChangeElement.COMMUNICATION,
        status=ActivityStatus.CANCELLED,
        percent=10,
    )
    a5 = activity(
        "a5",
        km_step=KMStep.SHARE,
        team=group,
        status=ActivityStatus.IN_PROGRESS,
        percent=60,
        last_reported_on=today,
    )
    a2.owners.set([people["member"]])
    a3.owners.set([people["member"], people["secretary"]])
    a5.owners.set([people["secretary"]])
    ProgressReportFactory(activity=a5, reported_by=people["secretary"], as_of=today, percent=60)

    k1 = make_set(Status.DRAFT, group=group, km_step=KMStep.CREATE, authors=[people["member"]])
    k2 = make_set(Status.PUBLISHED, group=group, review_due=yesterday, authors=[people["member"]])
    k3 = make_set(Status.IN_REVIEW, authors=[people["staff"]], reviewers=[people["member"]])
    k4 = make_set(Status.ARCHIVED, group=group, review_due=yesterday, authors=[people["member"]])
    CommentFactory(knowledge_set=k2, author=people["staff"])
    ReadingDay.objects.create(knowledge_set=k2, person=people["staff"], day=today)
    ReadingDay.objects.create(knowledge_set=k2, person=people["member"], day=today)
    ReadingDay.objects.create(knowledge_set=k4, person=people["staff"], day=today)

    d1 = DocumentFactory(title="ระเบียบ d1", uploaded_by=people["head"])
    d2 = DocumentFactory(title="คู่มือ d2", uploaded_by=people["head"])
    d3 = DocumentFactory(
        title="ลับเฉพาะ d3",
        uploaded_by=people["head"],
        access=AccessLevel.TEAM,
        access_team=t1,
    )
    DocumentUse.objects.create(document=d1, day=today, views=5, downloads=2)
    DocumentUse.objects.create(document=d2, day=today, views=1, downloads=4)
    DocumentUse.objects.create(document=d3, day=today, views=9, downloads=9)

    QueryStat.objects.create(query="ระเบียบ", day=today, searches=8, zero_results=1)
    QueryStat.objects.create(query="ภาษี", day=today, searches=2, zero_results=2)
    QueryStat.objects.create(
        query="เก่า", day=first - dt.timedelta(days=10), searches=50, zero_results=50
    )
    return {
        "plan": plan,
        "areas": (area_a, area_b),
        "states": (s1, s2, s3),
        "teams": (t1, group),
        "activities": (a1, a2, a3, a4, a5),
        "sets": (k1, k2, k3, k4),
        "documents": (d1, d2, d3),
        "today": today,
        "last_day": last,
    }
