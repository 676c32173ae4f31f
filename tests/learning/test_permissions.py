"""Every URL of learning and development × every role × GET and POST, with the expected status.

The table is written out on purpose: a change to the permission model must change it here too.
The records belong to people outside the roles, except the mentoring pair, whose mentor is the
KM-group member: a pair or rotation a person may not see answers 404; an event they see but may
not manage, 403 (administrators may do everything, as everywhere in Django).
Forms are POSTed empty, so an allowed POST to a form page shows the form again
(200) and saves nothing; an allowed POST to a state transition, or to an AAR form (whose parts
are all optional), redirects (302).
"""

import pytest
from django.urls import reverse

from apps.learning import urls as learning_urls
from apps.learning.models import (
    LearningEvent,
    MentoringPair,
    MentoringSession,
    Registration,
    Rotation,
    SkillItem,
)
from tests.conftest import ROLES
from tests.factories import UserFactory

from .factories import make_event, make_pair, make_rotation, register

L = "login"

# fmt: off
EXPECTED = {
    # (page, method):              anonymous staff member secretary head cko admin
    ("home", "GET"):               (L, 200, 200, 200, 200, 200, 200),
    ("home", "POST"):              (L, 405, 405, 405, 405, 405, 405),
    ("event_list", "GET"):         (L, 200, 200, 200, 200, 200, 200),
    ("event_list", "POST"):        (L, 405, 405, 405, 405, 405, 405),
    ("event_detail", "GET"):       (L, 200, 200, 200, 200, 200, 200),
    ("event_detail", "POST"):      (L, 405, 405, 405, 405, 405, 405),
    ("event_create", "GET"):       (L, 403, 403, 200, 200, 200, 200),
    ("event_create", "POST"):      (L, 403, 403, 200, 200, 200, 200),
    ("event_update", "GET"):       (L, 403, 403, 200, 200, 200, 200),
    ("event_update", "POST"):      (L, 403, 403, 200, 200, 200, 200),
    ("event_register", "GET"):     (L, 405, 405, 405, 405, 405, 405),
    ("event_register", "POST"):    (L, 302, 302, 302, 302, 302, 302),
    ("event_cancel", "GET"):       (L, 405, 405, 405, 405, 405, 405),
    ("event_cancel", "POST"):      (L, 302, 302, 302, 302, 302, 302),
    ("event_call_off", "GET"):     (L, 405, 405, 405, 405, 405, 405),
    ("event_call_off", "POST"):    (L, 403, 403, 302, 302, 302, 302),
    ("event_attendance", "GET"):   (L, 403, 403, 200, 200, 200, 200),
    ("event_attendance", "POST"):  (L, 403, 403, 302, 302, 302, 302),
    ("event_evaluate", "GET"):     (L, 200, 200, 200, 200, 200, 200),
    ("event_evaluate", "POST"):    (L, 200, 200, 200, 200, 200, 200),
    ("event_aar", "GET"):          (L, 403, 403, 200, 200, 200, 200),
    ("event_aar", "POST"):         (L, 403, 403, 302, 302, 302, 302),
    ("certificate", "GET"):        (L, 404, 404, 200, 200, 200, 200),
    ("certificate", "POST"):       (L, 405, 405, 405, 405, 405, 405),
    ("pair_list", "GET"):          (L, 200, 200, 200, 200, 200, 200),
    ("pair_list", "POST"):         (L, 405, 405, 405, 405, 405, 405),
    ("pair_create", "GET"):        (L, 403, 403, 200, 200, 200, 200),
    ("pair_create", "POST"):       (L, 403, 403, 200, 200, 200, 200),
    ("pair_detail", "GET"):        (L, 404, 200, 200, 200, 200, 200),
    ("pair_detail", "POST"):       (L, 405, 405, 405, 405, 405, 405),
    ("pair_update", "GET"):        (L, 404, 200, 200, 200, 200, 200),
    ("pair_update", "POST"):       (L, 404, 200, 200, 200, 200, 200),
    ("session_add", "GET"):        (L, 404, 200, 200, 200, 200, 200),
    ("session_add", "POST"):       (L, 404, 200, 200, 200, 200, 200),
    ("skills_add", "GET"):         (L, 404, 200, 200, 200, 200, 200),
    ("skills_add", "POST"):        (L, 404, 200, 200, 200, 200, 200),
    ("skill_sign_off", "GET"):     (L, 405, 405, 405, 405, 405, 405),
    ("skill_sign_off", "POST"):    (L, 404, 302, 403, 403, 403, 302),
    ("rotation_list", "GET"):      (L, 200, 200, 200, 200, 200, 200),
    ("rotation_list", "POST"):     (L, 405, 405, 405, 405, 405, 405),
    ("rotation_create", "GET"):    (L, 403, 403, 200, 200, 200, 200),
    ("rotation_create", "POST"):   (L, 403, 403, 200, 200, 200, 200),
    ("rotation_detail", "GET"):    (L, 404, 404, 200, 200, 200, 200),
    ("rotation_detail", "POST"):   (L, 405, 405, 405, 405, 405, 405),
    ("rotation_update", "GET"):    (L, 404, 404, 200, 200, 200, 200),
    ("rotation_update", "POST"):   (L, 404, 404, 200, 200, 200, 200),
    ("rotation_review", "GET"):    (L, 404, 404, 200, 200, 200, 200),
    ("rotation_review", "POST"):   (L, 404, 404, 302, 302, 302, 302),
}
# fmt: on

CASES = [
    pytest.param(page, method, role, expected[ROLES.index(role)], id=f"{page}-{method}-{role}")
    for (page, method), expected in EXPECTED.items()
    for role in ROLES
]


@pytest.fixture
def objects(people):
    """An event of today run by an outside organiser with one outside attendee; a pair whose
    mentor is the KM-group member and whose mentee is outside the roles, with one skill; a
    rotation of someone outside the roles."""
    organiser = UserFactory(username="r_organiser")
    event = make_event(by=organiser)
    attendee = register(event, UserFactory(username="r_attendee"), attended=True)
    pair = make_pair(
        mentor=people["member"], mentee=UserFactory(username="r_mentee"), skills=["ตรวจเอกสาร"]
    )
    rotation = make_rotation(person=UserFactory(username="r_rotated"))
    return {"event": event, "attendee": attendee, "pair": pair, "rotation": rotation}


def url_for(page: str, objects) -> str:
    event, pair, rotation = objects["event"].pk, objects["pair"].pk, objects["rotation"].pk
    if page in {"home", "event_list", "event_create", "pair_list", "pair_create"} or page in {
        "rotation_list",
        "rotation_create",
    }:
        return reverse(f"learning:{page}")
    if page.startswith("event_"):
        return reverse(f"learning:{page}", args=[event])
    if page == "certificate":
        return reverse("learning:certificate", args=[objects["attendee"].pk])
    if page == "skill_sign_off":
        return reverse("learning:skill_sign_off", args=[objects["pair"].skills.get().pk])
    if page.startswith("rotation_"):
        return reverse(f"learning:{page}", args=[rotation])
    return reverse(f"learning:{page}", args=[pair])


def snapshot():
    return (
        LearningEvent.objects.count(),
        MentoringPair.objects.count(),
        MentoringSession.objects.count(),
        SkillItem.objects.filter(signed_off_at__isnull=False).count(),
        Rotation.objects.count(),
        sorted(Registration.objects.values_list("person__username", "status", "attended")),
    )


@pytest.mark.parametrize(("page", "method", "role", "expected"), CASES)
def test_permission_matrix(client_as, objects, page, method, role, expected):
    client = client_as(role)
    url = url_for(page, objects)
    before = snapshot()
    response = client.get(url) if method == "GET" else client.post(url, {})

    if expected == L:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    else:
        assert response.status_code == expected, response.content[:300]
    if expected != 302:
        # Whatever was refused or only shown changed nothing.
        assert snapshot() == before


def test_the_matrix_covers_every_url_of_the_app():
    pages = {page for page, _method in EXPECTED}
    names = {pattern.name for pattern in learning_urls.urlpatterns}
    assert pages == names


def test_allowed_transitions_did_what_they_say(client_as, objects, people):
    """The 302s above are real changes: the mentor signs off, a staff member registers, and an
    organiser's empty attendance marks the attendee absent."""
    client = client_as("member")
    skill = objects["pair"].skills.get()
    client.post(reverse("learning:skill_sign_off", args=[skill.pk]))
    skill.refresh_from_db()
    assert skill.signed_off_by == people["member"]

    client = client_as("staff")
    client.post(reverse("learning:event_register", args=[objects["event"].pk]))
    assert Registration.objects.get(person=people["staff"]).status == "confirmed"

    client = client_as("secretary")
    client.post(reverse("learning:event_attendance", args=[objects["event"].pk]), {})
    objects["attendee"].refresh_from_db()
    assert objects["attendee"].attended is False
