"""The plan and its activities in search (each seen only by who may open it), and the demo
office's plan."""

import io

import pytest
from django.core.management import call_command

from apps.plans.models import Activity, Plan, ProgressReport
from apps.search import indexing
from apps.search.engine import SearchRequest
from apps.search.searching import search, viewer_for
from tests.plans.factories import ActivityFactory, PlanFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def search_index(settings, tmp_path):
    settings.SEARCH_INDEX_DIR = tmp_path / "index"
    yield indexing.flush
    indexing.get_engine().close()


def found(text, user) -> set[str]:
    request = SearchRequest(viewer=viewer_for(user), text=text, page_size=50)
    return {hit.uid for hit in indexing.get_engine().search(request).hits}


def test_a_plan_is_searchable_by_all_once_approved(search_index, people):
    plan = PlanFactory(fiscal_year=2568)
    activity = ActivityFactory(plan=plan, title="ประกวดนวัตกรรมการบริการสมาชิกสหกรณ์")
    search_index()
    uids = {f"km_plan:{plan.pk}", f"km_activity:{activity.pk}"}
    assert found("นวัตกรรม", people["member"]) >= uids
    assert found("นวัตกรรม", people["staff"]) & uids == set()

    Plan.objects.filter(pk=plan.pk).update(status="approved", version=1)
    plan.refresh_from_db()
    plan.save()  # as the approval service does: the save re-indexes the plan and its activities
    search_index()
    assert found("นวัตกรรม", people["staff"]) >= uids
    page = search(user=people["staff"], text="นวัตกรรม", record=False)
    assert {result.obj for result in page.results} >= {plan, activity}


def test_the_demo_office_plan_is_loaded_once():
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    plan = Plan.objects.get()
    assert plan.is_in_force and plan.versions.count() == 1
    assert plan.focus_areas.count() == 4 and plan.desired_states.count() == 3
    assert "หุบกะพง" in " ".join(plan.focus_areas.values_list("title", flat=True))
    steps_used = set(plan.activities.exclude(km_step="").values_list("km_step", flat=True))
    assert len(steps_used) == 7
    assert plan.activities.filter(km_step="").exists()  # change-management rows too
    assert ProgressReport.objects.exists()
    assert Activity.objects.late().exists()

    counts = (Plan.objects.count(), Activity.objects.count())
    call_command("seed_demo", stdout=io.StringIO())
    assert (Plan.objects.count(), Activity.objects.count()) == counts


def test_the_demo_accounts_see_plan_notices_and_no_email_went(mailoutbox):
    from apps.notifications.models import EmailStatus, Notification

    call_command("seed_demo", stdout=io.StringIO())
    plan_notices = Notification.objects.filter(kind__startswith="plans.")

    def kinds(username) -> set[str]:
        return set(plan_notices.filter(recipient__username=username).values_list("kind", flat=True))

    assert "plans.submitted" in kinds("somchai")  # the CKO: the plan waited for them
    assert {"plans.returned", "plans.approved"} <= kinds("wilai")  # the head
    assert {"plans.approved", "plans.report_filed"} <= kinds("pranee")  # the secretary
    assert "plans.activity_assigned" in kinds("suwit")  # an owner
    # The secretary reminded the owners who have not reported this quarter.
    asked = plan_notices.filter(kind="plans.progress_asked")
    assert asked.exists() and set(asked.values_list("actor__username", flat=True)) == {"pranee"}
    assert not plan_notices.exclude(email_status=EmailStatus.SKIPPED).exists()
    assert [m for m in mailoutbox if "แผน" in m.subject] == []
