"""Meetings and their minutes in search (seen only by who may open them), and the demo office's
meetings."""

import io

import pytest
from django.core.management import call_command

from apps.meetings.models import ActionItem, Meeting, Minutes
from apps.search import indexing
from apps.search.engine import SearchRequest
from apps.search.searching import search, viewer_for
from tests.meetings.factories import AgendaItemFactory, AttendanceFactory, MeetingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def search_index(settings, tmp_path):
    settings.SEARCH_INDEX_DIR = tmp_path / "index"
    yield indexing.flush
    indexing.get_engine().close()


def found(text, user) -> set[str]:
    request = SearchRequest(viewer=viewer_for(user), text=text, page_size=50)
    return {hit.uid for hit in indexing.get_engine().search(request).hits}


def test_minutes_are_for_the_km_teams_and_the_invited(search_index, people, km_team):
    meeting = MeetingFactory(team=km_team)
    AgendaItemFactory(meeting=meeting, title="แนวทางถอดบทเรียนเครือข่ายวิทยากร")
    search_index()
    uid = f"km_meeting:{meeting.pk}"
    assert uid in found("วิทยากร", people["member"])
    assert uid not in found("วิทยากร", people["staff"])
    AttendanceFactory(meeting=meeting, person=people["staff"])
    search_index()
    assert uid in found("วิทยากร", people["staff"])
    page = search(user=people["staff"], text="วิทยากร", record=False)
    assert [result.obj for result in page.results] == [meeting]


def test_the_demo_meetings_are_loaded_once():
    call_command("seed_demo", stdout=io.StringIO())
    assert ActionItem.objects.late().exists()
    held = Meeting.objects.filter(status="held").order_by("date")
    assert held.count() == 2 and Minutes.objects.count() == 2
    first, second = held
    assert first.minutes.status == "adopted" and first.minutes.adopted_at == second
    assert first.action_items.exists() and second.action_items.exists()
    assert Meeting.objects.upcoming().exists()

    count = Meeting.objects.count()
    call_command("seed_demo", stdout=io.StringIO())
    assert Meeting.objects.count() == count


def test_each_demo_account_has_a_realistic_list_of_notices_and_no_mail_went(mailoutbox):
    """Seeding goes through the services inside ``no_email``: invitations, the change of time,
    minutes ready, action items given and today's reminders are there, some read, some not."""
    from apps.notifications.models import Notification

    call_command("seed_demo", stdout=io.StringIO())
    assert mailoutbox == []
    mine = Notification.objects.filter(kind__startswith="meetings.")
    kinds = set(mine.values_list("kind", flat=True))
    assert {
        "meetings.invitation",
        "meetings.changed",
        "meetings.minutes_ready",
        "meetings.action_assigned",
        "meetings.action_late",
    } <= kinds
    for username in ("somchai", "wilai", "anan", "suwit", "malee"):
        theirs = mine.filter(recipient__username=username)
        assert theirs.filter(read_at__isnull=False).exists(), username
        assert theirs.filter(read_at__isnull=True).exists(), username
    # Nobody is told about what they did themselves.
    assert not mine.filter(recipient__username="pranee").exists()
    assert {n.email_status for n in mine} == {"skipped"}
