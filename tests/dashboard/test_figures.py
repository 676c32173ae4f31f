"""Every figure of the office dashboard against the values counted by hand (see conftest.py)."""

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils.translation import gettext as _t

from apps.core.choices import KMStep
from apps.dashboard import figures
from apps.dashboard.scope import Scope
from tests.plans.factories import this_year

pytestmark = pytest.mark.django_db


def scope_for(person, *, team=None, step=""):
    request = RequestFactory().get("/")
    request.user = person
    return Scope.for_request(request, year=this_year(), team=team, step=step)


def values(table) -> list[list]:
    return [[cell.value for cell in row] for row in table.rows]


def by_label(table) -> dict:
    return {str(row[0].value): [cell.value for cell in row[1:]] for row in table.rows}


def test_plan_summary(office, people):
    table = figures.plan_summary(scope_for(people["cko"]))
    named = {key: cell.value for key, cell in table.named.items()}
    assert named == {
        "total": 5,
        "average": 50.0,  # (100 + 40 + 0 + 60) / 4, the cancelled one left out
        "done": 1,
        "in_progress": 2,
        "not_started": 1,
        "cancelled": 1,
        "late": 1,  # a2
        "unreported": 2,  # a2 and a3
    }
    chart = table.chart_data()
    assert chart["type"] == "doughnut"
    assert chart["datasets"][0]["data"] == [1, 2, 1, 1]


def test_progress_by_step(office, people):
    rows = by_label(figures.plan_by_step(scope_for(people["cko"])))
    # activities, done, in progress, not started, late, average
    assert rows[f"1. {KMStep.IDENTIFY.label}"] == [2, 1, 1, 0, 1, 70.0]
    assert rows[f"2. {KMStep.CREATE.label}"] == [1, 0, 0, 1, 0, 0.0]
    assert rows[f"6. {KMStep.SHARE.label}"] == [1, 0, 1, 0, 0, 60.0]
    assert rows[f"3. {KMStep.ORGANIZE.label}"] == [0, 0, 0, 0, 0, 0.0]
    assert rows[_t("Change management")] == [1, 0, 0, 0, 0, 0.0]
    assert len(rows) == 8


def test_progress_by_focus_area_and_team(office, people):
    areas = by_label(figures.plan_by_area(scope_for(people["cko"])))
    assert areas["พื้นที่ A"] == [2, 1, 1, 0, 1, 70.0]
    assert areas["พื้นที่ B"] == [1, 0, 0, 1, 0, 0.0]
    assert list(areas.values())[-1] == [2, 0, 1, 0, 0, 60.0]  # a4 (cancelled) and a5
    teams = by_label(figures.plan_by_team(scope_for(people["cko"])))
    assert teams == {
        "คณะทำงาน T1": [2, 1, 1, 0, 1, 70.0],
        "กลุ่ม KM ที่ 1": [2, 0, 1, 1, 0, 30.0],
        _t("No responsible team"): [1, 0, 0, 0, 0, 0.0],
    }


def test_late_and_unreported_lists(office, people):
    scope = scope_for(people["cko"])
    assert [row[0] for row in values(figures.late_activities(scope))] == ["a2"]
    assert [row[0] for row in values(figures.unreported_activities(scope))] == ["a2", "a3"]


def test_desired_states_against_their_targets(office, people):
    rows = values(figures.desired_states(scope_for(people["cko"])))
    assert [row[0] for row in rows] == ["เป้าหมาย S1", "เป้าหมาย S2", "เป้าหมาย S3"]
    # activities, done, average, where it stands
    assert [row[5:] for row in rows] == [
        [2, 1, 70.0, _t("Under way")],
        [1, 0, 0.0, _t("Under way")],
        [0, 0, 0.0, _t("No activities yet")],
    ]
    assert rows[0][2:4] == ["มีฐานข้อมูลพร้อมใช้งาน", "1 ฐานข้อมูล"]


def test_knowledge_sets_by_stage_group_and_review(office, people, settings):
    scope = scope_for(people["cko"])
    stages = [row[1] for row in values(figures.sets_by_stage(scope))]
    # draft, submitted, in review, approved, published, retired
    assert stages == [1, 0, 1, 0, 1, 1]
    # With the CKO's sign-off as a stage of its own (issue 16) it is counted after "in review".
    settings.KM_KNOWLEDGE_CKO_SIGNOFF = True
    office["sets"][2].status = "awaiting_signoff"
    office["sets"][2].save(update_fields=["status"])
    stages = [row[1] for row in values(figures.sets_by_stage(scope))]
    assert stages == [1, 0, 0, 1, 0, 1, 1]
    settings.KM_KNOWLEDGE_CKO_SIGNOFF = False
    office["sets"][2].status = "in_review"
    office["sets"][2].save(update_fields=["status"])
    groups = by_label(figures.sets_by_group(scope))
    assert groups == {"กลุ่ม KM ที่ 1": [3, 1, 1, 1], _t("No owning group"): [1, 0, 1, 0]}
    overdue = values(figures.sets_review_overdue(scope))
    assert [row[0] for row in overdue] == [office["sets"][1].display_title]


def test_new_per_month_counts_this_month_only(office, people):
    table = figures.new_per_month(scope_for(people["cko"]))
    assert len(table.rows) == 12
    counts = [row[1:] for row in values(table)]
    # Two documents the CKO may open (d3 is for team T1), two sets first published today.
    assert sorted(counts, reverse=True)[0] == [2, 2]
    assert sum(row[0] for row in counts) == 2 and sum(row[1] for row in counts) == 2


def test_most_read_and_downloaded_documents_and_sets(office, people):
    scope = scope_for(people["cko"])
    assert values(figures.most_read_documents(scope))[:2] == [["ระเบียบ d1", 5, 2], ["คู่มือ d2", 1, 4]]
    assert values(figures.most_downloaded_documents(scope)) == [
        ["คู่มือ d2", 1, 4],
        ["ระเบียบ d1", 5, 2],
    ]
    k2, k4 = office["sets"][1], office["sets"][3]
    assert values(figures.most_read_sets(scope)) == [[k2.display_title, 2], [k4.display_title, 1]]


def test_a_document_the_viewer_may_not_open_is_not_named(office, people):
    """d3 (team T1 only) is the most read, but neither its title nor its counts reach the CKO;
    the head added it, so the head sees it."""
    for role in ("cko", "secretary"):
        scope = scope_for(people[role])
        shown = [row[0] for table in figures.office(scope)[2].tables for row in values(table)]
        assert "ลับเฉพาะ d3" not in shown
    head = values(figures.most_read_documents(scope_for(people["head"])))
    assert head[0] == ["ลับเฉพาะ d3", 9, 9]


def test_searches_of_the_year(office, people):
    scope = scope_for(people["cko"])
    assert values(figures.top_searches(scope)) == [["ระเบียบ", 8, 1], ["ภาษี", 2, 2]]
    gaps = values(figures.knowledge_gaps(scope))
    assert [row[:2] for row in gaps] == [["ภาษี", 2], ["ระเบียบ", 1]]
    link = figures.top_searches(scope).rows[0][0].url
    assert (
        link
        == reverse("search:results")
        + "?q=%E0%B8%A3%E0%B8%B0%E0%B9%80%E0%B8%9A%E0%B8%B5%E0%B8%A2%E0%B8%9A"
    )


def test_active_contributors(office, people):
    rows = {row[0]: row[1:] for row in values(figures.contributors(scope_for(people["cko"])))}
    name = lambda role: people[role].get_full_name()  # noqa: E731
    # documents, versions, reports, comments, total
    assert rows[name("head")] == [2, 0, 0, 0, 2]  # d3 is not the CKO's to see
    assert rows[name("member")] == [0, 2, 0, 0, 2]
    assert rows[name("secretary")] == [0, 0, 1, 0, 1]
    assert rows[name("staff")] == [0, 0, 0, 1, 1]
    assert len(rows) == 4
    head_view = {row[0]: row[1:] for row in values(figures.contributors(scope_for(people["head"])))}
    assert head_view[name("head")] == [3, 0, 0, 0, 3]


def test_team_filter(office, people):
    _t1, group = office["teams"]
    scope = scope_for(people["cko"], team=group)
    assert figures.plan_summary(scope).named["total"].value == 2  # a3, a5
    assert [row[1] for row in values(figures.sets_by_stage(scope))] == [1, 0, 0, 0, 1, 1]
    # Contributors: the group's current members only (the member).
    rows = values(figures.contributors(scope))
    assert [row[0] for row in rows] == [people["member"].get_full_name()]


def test_step_filter(office, people):
    scope = scope_for(people["cko"], step=KMStep.IDENTIFY)
    summary = figures.plan_summary(scope).named
    assert (summary["total"].value, summary["done"].value, summary["late"].value) == (2, 1, 1)
    steps = values(figures.plan_by_step(scope))
    assert len(steps) == 1 and steps[0][1] == 2
    assert [row[1] for row in values(figures.sets_by_stage(scope))] == [0, 0, 0, 0, 0, 0]


def test_another_year_without_a_plan(office, people):
    request = RequestFactory().get("/")
    request.user = people["cko"]
    scope = Scope.for_request(request, year=this_year() - 1, team=None, step="")
    assert figures.plan_summary(scope).named["total"].value == 0
    assert values(figures.top_searches(scope)) == [["เก่า", 50, 50]]
    assert values(figures.most_read_documents(scope)) == []
