"""Every URL of the communities of practice × every role × GET and POST, with the expected status.

The roles are the portal's (``tests.conftest.ROLES``) plus a community's own: a ``facilitator``
(plain staff, in no KM team, who facilitates both communities below) and a ``practitioner``
(plain staff, a member of the members-only community only, who wrote its asset). "staff" and
"member" (of a KM group) belong to neither community: the members-only one answers them 404, as
if it did not exist. Forms are POSTed empty, so an allowed POST to a form page shows the form
again (200) and saves nothing; an allowed POST to a state change redirects (302), and so does
the notes page, whose fields are all optional. Administrators pass every rule; the services
still refuse what makes no sense (leaving a community one is not in) with a message.

Promoting needs the knowledge app's right to start a set too (KM team and groups, head, CKO):
the facilitator here is in no KM team, so the knowledge workflow's rule refuses them (403).
"""

import pytest
from django.urls import reverse

from apps.community import urls as community_urls
from apps.community.models import Access, KnowledgeAsset
from tests.conftest import ROLES
from tests.factories import UserFactory
from tests.matrix import coverage

from .factories import make_asset, make_community, make_session

pytestmark = pytest.mark.django_db

L = "login"
COP_ROLES = [*ROLES, "facilitator", "practitioner"]

# fmt: off
EXPECTED = {
    # (page, method):            anon staff member secr head cko  admin facil pract
    ("list", "GET"):             (L, 200, 200, 200, 200, 200, 200, 200, 200),
    ("list", "POST"):            (L, 405, 405, 405, 405, 405, 405, 405, 405),
    ("create", "GET"):           (L, 403, 403, 200, 200, 200, 200, 403, 403),
    ("create", "POST"):          (L, 403, 403, 200, 200, 200, 200, 403, 403),
    ("detail", "GET"):           (L, 404, 404, 200, 200, 200, 200, 200, 200),
    ("detail", "POST"):          (L, 405, 405, 405, 405, 405, 405, 405, 405),
    ("detail_open", "GET"):      (L, 200, 200, 200, 200, 200, 200, 200, 200),
    ("update", "GET"):           (L, 404, 404, 200, 200, 200, 200, 200, 403),
    ("update", "POST"):          (L, 404, 404, 200, 200, 200, 200, 200, 403),
    ("join", "GET"):             (L, 405, 405, 405, 405, 405, 405, 405, 405),
    ("join", "POST"):            (L, 404, 404, 403, 403, 403, 302, 403, 403),
    ("join_open", "POST"):       (L, 302, 302, 302, 302, 302, 302, 403, 302),
    ("leave", "GET"):            (L, 405, 405, 405, 405, 405, 405, 405, 405),
    ("leave", "POST"):           (L, 404, 404, 403, 403, 403, 302, 302, 302),
    ("members", "GET"):          (L, 404, 404, 200, 200, 200, 200, 200, 403),
    ("members", "POST"):         (L, 404, 404, 200, 200, 200, 200, 200, 403),
    ("member_remove", "GET"):    (L, 405, 405, 405, 405, 405, 405, 405, 405),
    ("member_remove", "POST"):   (L, 404, 404, 302, 302, 302, 302, 302, 403),
    ("session_create", "GET"):   (L, 404, 404, 200, 200, 200, 200, 200, 403),
    ("session_create", "POST"):  (L, 404, 404, 200, 200, 200, 200, 200, 403),
    ("session", "GET"):          (L, 404, 404, 200, 200, 200, 200, 200, 200),
    ("session", "POST"):         (L, 405, 405, 405, 405, 405, 405, 405, 405),
    ("session_notes", "GET"):    (L, 404, 404, 200, 200, 200, 200, 200, 403),
    ("session_notes", "POST"):   (L, 404, 404, 302, 302, 302, 302, 302, 403),
    ("asset_create", "GET"):     (L, 404, 404, 200, 200, 200, 200, 200, 200),
    ("asset_create", "POST"):    (L, 404, 404, 200, 200, 200, 200, 200, 200),
    ("asset", "GET"):            (L, 404, 404, 200, 200, 200, 200, 200, 200),
    ("asset", "POST"):           (L, 405, 405, 405, 405, 405, 405, 405, 405),
    ("asset_update", "GET"):     (L, 404, 404, 200, 200, 200, 200, 200, 200),
    ("asset_update", "POST"):    (L, 404, 404, 200, 200, 200, 200, 200, 200),
    ("asset_promote", "GET"):    (L, 405, 405, 405, 405, 405, 405, 405, 405),
    ("asset_promote", "POST"):   (L, 404, 404, 302, 302, 302, 302, 403, 403),
}
# fmt: on

CASES = [
    pytest.param(page, method, role, expected[COP_ROLES.index(role)], id=f"{page}-{method}-{role}")
    for (page, method), expected in EXPECTED.items()
    for role in COP_ROLES
]


@pytest.fixture
def cast(people):
    return {
        **people,
        "facilitator": UserFactory(username="r_facilitator"),
        "practitioner": UserFactory(username="r_practitioner"),
    }


@pytest.fixture
def objects(cast):
    """A members-only community (facilitator, practitioner) with a session and the
    practitioner's asset, and an open community the facilitator runs alone."""
    closed = make_community(
        by=cast["secretary"],
        name="วงเฉพาะสมาชิก",
        access=Access.MEMBERS,
        facilitators=[cast["facilitator"]],
        practitioners=[cast["practitioner"]],
    )
    opened = make_community(by=cast["secretary"], name="วงเปิด", facilitators=[cast["facilitator"]])
    session = make_session(closed, by=cast["facilitator"])
    asset = make_asset(closed, by=cast["practitioner"], session=session)
    member = closed.members.get(person=cast["practitioner"])
    return {"closed": closed, "open": opened, "session": session, "asset": asset, "member": member}


def url_for(page: str, objects) -> str:
    closed, opened = objects["closed"].pk, objects["open"].pk
    session, asset = objects["session"].pk, objects["asset"].pk
    return {
        "list": reverse("community:list"),
        "create": reverse("community:create"),
        "detail": reverse("community:detail", args=[closed]),
        "detail_open": reverse("community:detail", args=[opened]),
        "update": reverse("community:update", args=[closed]),
        "join": reverse("community:join", args=[closed]),
        "join_open": reverse("community:join", args=[opened]),
        "leave": reverse("community:leave", args=[closed]),
        "members": reverse("community:members", args=[closed]),
        "member_remove": reverse("community:member_remove", args=[objects["member"].pk]),
        "session_create": reverse("community:session_create", args=[closed]),
        "session": reverse("community:session", args=[session]),
        "session_notes": reverse("community:session_notes", args=[session]),
        "asset_create": reverse("community:asset_create", args=[closed]),
        "asset": reverse("community:asset", args=[asset]),
        "asset_update": reverse("community:asset_update", args=[asset]),
        "asset_promote": reverse("community:asset_promote", args=[asset]),
    }[page]


@pytest.mark.parametrize(("page", "method", "role", "expected"), CASES)
def test_permission_matrix(client, cast, objects, page, method, role, expected):
    if cast[role] is not None:
        client.force_login(cast[role])
    response = getattr(client, method.lower())(url_for(page, objects))
    if expected == L:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    else:
        assert response.status_code == expected


def test_the_matrix_covers_every_url_with_both_methods(objects):
    rows = [(url_for(page, objects), method, None, None) for page, method in EXPECTED]
    named, covered, methods = coverage(rows, "community", community_urls.urlpatterns)
    assert named == covered
    assert {(name, m) for name in named for m in ("GET", "POST")} <= methods | {
        ("join", "GET"),  # listed once above for the members-only community
    }


@pytest.mark.parametrize("role", ["staff", "member"])
def test_a_members_only_community_leaks_nothing_to_outsiders(client, cast, objects, role):
    """GIVEN a members-only community WHEN someone outside it opens the list, search or a
    person's page THEN its name and its asset's title appear nowhere."""
    client.force_login(cast[role])
    pages = [
        reverse("community:list"),
        cast["facilitator"].get_absolute_url(),
        cast["practitioner"].get_absolute_url(),
        reverse("plans:steps"),
        reverse("dashboard:personal"),
    ]
    for url in pages:
        body = client.get(url).content.decode()
        assert "วงเฉพาะสมาชิก" not in body, url
        assert objects["asset"].title not in body, url
    # The open community does show (the test is not passing for the wrong reason).
    assert "วงเปิด" in client.get(reverse("community:list")).content.decode()


def test_promoting_as_the_writer_in_a_km_group_makes_a_draft(client, cast, objects):
    """A practitioner who is in a KM group (so may start knowledge sets) promotes their asset."""
    from tests.factories import MembershipFactory, TeamFactory

    MembershipFactory(person=cast["practitioner"], team=TeamFactory(name="กลุ่ม KM ที่ 2"))
    client.force_login(cast["practitioner"])
    response = client.post(reverse("community:asset_promote", args=[objects["asset"].pk]))
    asset = KnowledgeAsset.objects.get(pk=objects["asset"].pk)
    assert asset.knowledge_set is not None
    assert response["Location"] == asset.knowledge_set.get_absolute_url()
