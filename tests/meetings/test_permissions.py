"""The permission matrix of the meetings: every URL × every role × GET and POST.

Each role runs the whole table in its own database, in order; state-changing POSTs use their own
records (a second meeting to cancel ...) so that one row never changes what another row sees.
The secretary keeps meetings; KM members read all of them, others the meetings they were
invited to (or were given an action item by).
"""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.conftest import ROLES
from tests.matrix import coverage, matrix_failures
from tests.meetings.factories import (
    ActionItemFactory,
    AgendaItemFactory,
    AttendanceFactory,
    MeetingFactory,
    MinutesFactory,
)

pytestmark = pytest.mark.django_db

SIGNED_IN = [role for role in ROLES if role != "anonymous"]


def table(
    allowed: set[str], *, ok: int = 200, denied: int = 403, hidden: frozenset = frozenset()
) -> dict[str, int]:
    """anonymous → 302 (to sign in); the allowed roles → ``ok``; the roles who may not open the
    meeting at all (``hidden``) → 404, as if it did not exist; everyone else → ``denied``."""
    return {
        "anonymous": 302,
        **{r: ok if r in allowed else 404 if r in hidden else denied for r in SIGNED_IN},
    }


EVERYONE = set(SIGNED_IN)
KM = {"member", "secretary", "head", "cko", "admin"}  # read every meeting
KEEPERS = {"secretary", "admin"}  # meetings and minutes
OWNER = {"member", "secretary", "admin"}  # the action item's owner (the member), or the secretary
POST_ONLY = table(set(), denied=405)  # signed-in GETs of a POST-only URL
# The earlier meeting (and the one to cancel) are the KM team's: plain staff were not invited, so
# for them they are not there.
NOT_INVITED = frozenset({"staff"})


@pytest.fixture
def objects(people, km_team):
    # An upcoming meeting the plain staff member is invited to, and an earlier one with draft
    # minutes that the upcoming one may adopt.
    meeting = MeetingFactory(team=km_team)
    AttendanceFactory(meeting=meeting, person=people["staff"])
    held = MeetingFactory(team=km_team, date=timezone.localdate() - dt.timedelta(days=7))
    MinutesFactory(meeting=held)
    return {
        "meeting": meeting,
        "held": held,
        "to_cancel": MeetingFactory(team=km_team),
        "action": ActionItemFactory(meeting=meeting, owner=people["member"]),
        "item": AgendaItemFactory(meeting=meeting),
        "to_remove": AgendaItemFactory(meeting=meeting),
        "invitation": meeting.attendances.get(),
    }


def matrix(o):
    meeting, held, action = o["meeting"], o["held"], o["action"]
    rows = [
        # (url, method, data, expected)
        (reverse("meetings:list"), "get", None, table(EVERYONE)),
        (reverse("meetings:list"), "post", {}, POST_ONLY),
        (reverse("meetings:create"), "get", None, table(KEEPERS)),
        (reverse("meetings:create"), "post", {}, table(KEEPERS)),
        (reverse("meetings:detail", args=[meeting.pk]), "get", None, table(EVERYONE)),
        (reverse("meetings:detail", args=[meeting.pk]), "post", {}, POST_ONLY),
        (reverse("meetings:detail", args=[held.pk]), "get", None, table(KM, hidden=NOT_INVITED)),
        (reverse("meetings:update", args=[meeting.pk]), "get", None, table(KEEPERS)),
        (reverse("meetings:update", args=[meeting.pk]), "post", {}, table(KEEPERS)),
        (reverse("meetings:agenda", args=[meeting.pk]), "get", None, table(KEEPERS)),
        (reverse("meetings:agenda", args=[meeting.pk]), "post", {}, table(KEEPERS)),
        (reverse("meetings:attendance", args=[meeting.pk]), "get", None, table(KEEPERS)),
        (reverse("meetings:attendance", args=[meeting.pk]), "post", {}, table(KEEPERS)),
        (
            reverse("meetings:minutes", args=[held.pk]),
            "get",
            None,
            table(KEEPERS, hidden=NOT_INVITED),
        ),
        (
            reverse("meetings:minutes", args=[held.pk]),
            "post",
            {},
            table(KEEPERS, hidden=NOT_INVITED),
        ),
        # Not before the meeting begins: the keepers are sent back to the meeting's page.
        (reverse("meetings:minutes", args=[meeting.pk]), "get", None, table(KEEPERS, ok=302)),
        (reverse("meetings:minutes", args=[meeting.pk]), "post", {}, table(KEEPERS, ok=302)),
        (
            reverse("meetings:minutes_print", args=[held.pk]),
            "get",
            None,
            table(KM, hidden=NOT_INVITED),
        ),
        (reverse("meetings:minutes_print", args=[held.pk]), "post", {}, POST_ONLY),
        (
            reverse("meetings:minutes_pdf", args=[held.pk]),
            "get",
            None,
            table(KM, hidden=NOT_INVITED),
        ),
        (reverse("meetings:minutes_pdf", args=[held.pk]), "post", {}, POST_ONLY),
        (reverse("meetings:minutes_adopt", args=[held.pk]), "get", None, POST_ONLY),
        (
            reverse("meetings:minutes_adopt", args=[held.pk]),
            "post",
            {},
            table(KEEPERS, ok=302, hidden=NOT_INVITED),
        ),
        (reverse("meetings:action_create", args=[meeting.pk]), "get", None, table(KEEPERS)),
        (reverse("meetings:action_create", args=[meeting.pk]), "post", {}, table(KEEPERS)),
        (reverse("meetings:action_update", args=[action.pk]), "get", None, table(KEEPERS)),
        (reverse("meetings:action_update", args=[action.pk]), "post", {}, table(KEEPERS)),
        (reverse("meetings:action_done", args=[action.pk]), "get", None, POST_ONLY),
        (reverse("meetings:action_done", args=[action.pk]), "post", {}, table(OWNER, ok=302)),
        (reverse("meetings:action_reopen", args=[action.pk]), "get", None, POST_ONLY),
        (reverse("meetings:action_reopen", args=[action.pk]), "post", {}, table(OWNER, ok=302)),
        (reverse("meetings:cancel", args=[o["to_cancel"].pk]), "get", None, POST_ONLY),
        (
            reverse("meetings:cancel", args=[o["to_cancel"].pk]),
            "post",
            {},
            table(KEEPERS, ok=302, hidden=NOT_INVITED),
        ),
        # Only the invitee answers the invitation (issue 14); "add to calendar" is for anyone
        # who may open the meeting.
        (reverse("meetings:answer", args=[meeting.pk]), "get", None, POST_ONLY),
        (
            reverse("meetings:answer", args=[meeting.pk]),
            "post",
            {"answer": "attend"},
            table({"staff"}, ok=302),
        ),
        (reverse("meetings:calendar", args=[meeting.pk]), "get", None, table(EVERYONE)),
        (reverse("meetings:calendar", args=[meeting.pk]), "post", {}, POST_ONLY),
        (reverse("meetings:calendar", args=[held.pk]), "get", None, table(KM, hidden=NOT_INVITED)),
        # The secretary's one meeting page and its steps (issue 16): each step is POST only;
        # an empty step is refused with a message and the keeper is sent back to the page.
        (reverse("meetings:record", args=[meeting.pk]), "get", None, table(KEEPERS)),
        (reverse("meetings:record", args=[meeting.pk]), "post", {}, POST_ONLY),
        (
            reverse("meetings:record", args=[held.pk]),
            "get",
            None,
            table(KEEPERS, hidden=NOT_INVITED),
        ),
        *[
            row
            for name, pk in (
                ("record_agenda_add", meeting.pk),
                ("record_answers", meeting.pk),
                ("record_header", meeting.pk),
                ("item_move", o["item"].pk),
                ("item_remove", o["to_remove"].pk),
                ("item_minutes", o["item"].pk),
                ("item_action", o["item"].pk),
                ("attendance_mark", o["invitation"].pk),
                ("attendance_chair", o["invitation"].pk),
            )
            for row in (
                (reverse(f"meetings:{name}", args=[pk]), "get", None, POST_ONLY),
                (reverse(f"meetings:{name}", args=[pk]), "post", {}, table(KEEPERS, ok=302)),
            )
        ],
        # The person page carries the action items.
        (reverse("accounts:person", args=[action.owner.username]), "get", None, table(EVERYONE)),
    ]
    return rows


def test_every_meetings_url_is_in_the_matrix(objects):
    from apps.meetings import urls

    named, covered, methods = coverage(matrix(objects), "meetings", urls.urlpatterns)
    assert covered == named
    # ... and every URL in both methods.
    assert {(name, m) for name in named for m in ("get", "post")} <= methods


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(client_as, objects, role):
    assert matrix_failures(client_as(role), matrix(objects), role) == []


def test_refused_writes_change_nothing(client_as, objects):
    """GIVEN a staff member WHEN they post to the secretary's URLs THEN nothing changes."""
    client_as("staff").post(reverse("meetings:cancel", args=[objects["to_cancel"].pk]))
    objects["to_cancel"].refresh_from_db()
    assert objects["to_cancel"].status == "scheduled"
