"""The CKO approving a revision sees what it changes (issue 16): activities added, removed and
edited (field by field, before → after) against the approved version in force."""

import datetime as dt

import pytest
from django.urls import reverse

from apps.core.thaidates import format_date_short
from apps.plans import versions
from apps.plans.models import Activity
from apps.plans.services import plans as services
from tests.plans.factories import ActivityFactory, PlanFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def revised(people):
    """A plan approved as version 1 (three activities), then revised: one edited (title, end
    date, owners), one removed, one added, and sent to the CKO."""
    plan = PlanFactory()
    kept = ActivityFactory(plan=plan, title="จัดทำคู่มือการตรวจการสหกรณ์", owners=[people["member"]])
    ActivityFactory(plan=plan, title="ศึกษาดูงานนอกสถานที่")
    ActivityFactory(plan=plan, title="จัดเวทีแลกเปลี่ยนเรียนรู้")
    services.plan_submit(plan=plan, by=people["head"])
    services.plan_approve(plan=plan, by=people["cko"])
    plan.refresh_from_db()
    services.plan_open_revision(plan=plan, by=people["head"], reason="ปรับกิจกรรมตามงบประมาณ")
    plan.refresh_from_db()
    kept.title = "จัดทำคู่มือการตรวจการสหกรณ์ ฉบับปรับปรุง"
    kept.end_date = kept.end_date - dt.timedelta(days=30)
    kept.save()
    kept.owners.add(people["secretary"])
    plan.activities.get(title="ศึกษาดูงานนอกสถานที่").delete()
    ActivityFactory(plan=plan, title="ชุมชนนักปฏิบัติ (CoP) การตรวจการสหกรณ์")
    services.plan_submit(plan=plan, by=people["head"])
    plan.refresh_from_db()
    return plan


def test_the_changes_against_the_version_in_force(revised, people):
    changes = versions.revision_changes(revised)
    assert changes["version"] == 1 and changes["count"] == 3
    assert [row["title"] for row in changes["added"]] == ["ชุมชนนักปฏิบัติ (CoP) การตรวจการสหกรณ์"]
    assert [row["title"] for row in changes["removed"]] == ["ศึกษาดูงานนอกสถานที่"]
    (edited,) = changes["edited"]
    assert edited["title"] == "จัดทำคู่มือการตรวจการสหกรณ์ ฉบับปรับปรุง"
    fields = {label: (before, after) for label, before, after in edited["fields"]}
    labels = {
        name: str(Activity._meta.get_field(name).verbose_name)
        for name in ("title", "end_date", "owners")
    }
    assert set(fields) == set(labels.values())
    assert fields[labels["title"]] == (
        "จัดทำคู่มือการตรวจการสหกรณ์",
        "จัดทำคู่มือการตรวจการสหกรณ์ ฉบับปรับปรุง",
    )
    # The dates read in the Buddhist Era, the owners by name.
    end = revised.activities.get(title__endswith="ฉบับปรับปรุง").end_date
    assert fields[labels["end_date"]] == (
        format_date_short(end + dt.timedelta(days=30)),
        format_date_short(end),
    )
    before, after = fields[labels["owners"]]
    assert people["secretary"].get_full_name() not in before
    assert people["secretary"].get_full_name() in after


def test_the_cko_sees_the_changes_above_the_plan(client_as, revised):
    html = client_as("cko").get(reverse("plans:detail", args=[revised.fiscal_year]))
    page = html.content.decode()
    assert 'id="revision-changes"' in page
    assert page.count("revision-added") == 1 and page.count("revision-removed") == 1
    assert '<del class="fw-semibold">ศึกษาดูงานนอกสถานที่</del>' in page
    assert page.index('id="revision-changes"') < page.index(
        "ชุมชนนักปฏิบัติ (CoP)", page.index("revision-changes")
    )


def test_a_first_plan_or_an_approved_one_shows_no_comparison(client_as, people):
    plan = PlanFactory()
    ActivityFactory(plan=plan)
    client = client_as("cko")
    assert (
        "revision-changes"
        not in client.get(reverse("plans:detail", args=[plan.fiscal_year])).content.decode()
    )
    assert versions.revision_changes(plan) is None
    services.plan_submit(plan=plan, by=people["head"])
    services.plan_approve(plan=plan, by=people["cko"])
    assert (
        "revision-changes"
        not in client.get(reverse("plans:detail", args=[plan.fiscal_year])).content.decode()
    )


def test_a_revision_with_no_change_yet_says_so(client_as, people):
    plan = PlanFactory()
    ActivityFactory(plan=plan)
    services.plan_submit(plan=plan, by=people["head"])
    services.plan_approve(plan=plan, by=people["cko"])
    plan.refresh_from_db()
    services.plan_open_revision(plan=plan, by=people["head"], reason="ทบทวน")
    page = client_as("head").get(reverse("plans:detail", args=[plan.fiscal_year])).content
    assert b'id="revision-no-change"' in page
