"""Every URL of the expert directory × every role × GET and POST, with the expected status.

The table is written out on purpose: a change to the permission model must change it here too.
Forms are POSTed empty, so an allowed POST to a form page shows the form again (200) and saves
nothing; an allowed POST to a state transition redirects (302). A suggestion a person may not
see answers 404, as if it did not exist (also to approve or reject it); an entry they see but
may not change answers 403.
"""

import pytest
from django.urls import reverse

from apps.experts import urls as expert_urls
from apps.experts.models import Engagement, Expert, ExpertStatus
from tests.conftest import ROLES

from .factories import EngagementFactory, ExpertFactory

L = "login"  # anonymous: redirected to the sign-in page

# fmt: off
EXPECTED = {
    # (page, method):             anonymous staff member secretary head cko admin
    ("list", "GET"):              (L, 200, 200, 200, 200, 200, 200),
    ("list", "POST"):             (L, 405, 405, 405, 405, 405, 405),
    ("detail", "GET"):            (L, 200, 200, 200, 200, 200, 200),
    ("detail", "POST"):           (L, 405, 405, 405, 405, 405, 405),
    ("detail_pending", "GET"):    (L, 404, 404, 200, 200, 404, 200),
    ("detail_pending", "POST"):   (L, 405, 405, 405, 405, 405, 405),
    ("suggest", "GET"):           (L, 200, 200, 200, 200, 200, 200),
    ("suggest", "POST"):          (L, 200, 200, 200, 200, 200, 200),
    ("create", "GET"):            (L, 403, 403, 200, 200, 403, 200),
    ("create", "POST"):           (L, 403, 403, 200, 200, 403, 200),
    ("update", "GET"):            (L, 403, 403, 200, 200, 403, 200),
    ("update", "POST"):           (L, 403, 403, 200, 200, 403, 200),
    ("review", "GET"):            (L, 403, 403, 200, 200, 403, 200),
    ("review", "POST"):           (L, 403, 403, 405, 405, 403, 405),
    ("approve", "GET"):           (L, 405, 405, 405, 405, 405, 405),
    ("approve", "POST"):          (L, 404, 404, 302, 302, 404, 302),
    ("reject", "GET"):            (L, 405, 405, 405, 405, 405, 405),
    ("reject", "POST"):           (L, 404, 404, 302, 302, 404, 302),
    ("delete", "GET"):            (L, 405, 405, 405, 405, 405, 405),
    ("delete", "POST"):           (L, 403, 403, 302, 302, 403, 302),
    ("engagement_add", "GET"):    (L, 403, 403, 200, 200, 403, 200),
    ("engagement_add", "POST"):   (L, 403, 403, 200, 200, 403, 200),
    ("engagement_delete", "GET"): (L, 405, 405, 405, 405, 405, 405),
    ("engagement_delete", "POST"):(L, 403, 403, 302, 302, 403, 302),
}
# fmt: on

CASES = [
    pytest.param(page, method, role, expected[ROLES.index(role)], id=f"{page}-{method}-{role}")
    for (page, method), expected in EXPECTED.items()
    for role in ROLES
]


@pytest.fixture
def objects(people):
    """An approved entry with one talk, and a suggestion by someone outside the roles."""
    approved = ExpertFactory()
    engagement = EngagementFactory(expert=approved)
    pending = ExpertFactory(pending=True)
    return {"approved": approved, "pending": pending, "engagement": engagement}


def url_for(page: str, objects) -> str:
    approved, pending = objects["approved"].pk, objects["pending"].pk
    return {
        "list": reverse("experts:list"),
        "detail": reverse("experts:detail", args=[approved]),
        "detail_pending": reverse("experts:detail", args=[pending]),
        "suggest": reverse("experts:suggest"),
        "create": reverse("experts:create"),
        "update": reverse("experts:update", args=[approved]),
        "review": reverse("experts:review"),
        "approve": reverse("experts:approve", args=[pending]),
        "reject": reverse("experts:reject", args=[pending]),
        "delete": reverse("experts:delete", args=[approved]),
        "engagement_add": reverse("experts:engagement_add", args=[approved]),
        "engagement_delete": reverse("experts:engagement_delete", args=[objects["engagement"].pk]),
    }[page]


@pytest.mark.parametrize(("page", "method", "role", "expected"), CASES)
def test_permission_matrix(client_as, objects, page, method, role, expected):
    client = client_as(role)
    url = url_for(page, objects)
    data = {"note": "ไม่ตรงกับความต้องการของสำนักงาน"} if page == "reject" else {}
    response = client.get(url) if method == "GET" else client.post(url, data)

    if expected == L:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    else:
        assert response.status_code == expected
    if expected != 302:
        # Whatever was refused or only shown changed nothing.
        assert Expert.objects.get(pk=objects["pending"].pk).status == ExpertStatus.SUGGESTED
        assert Expert.objects.filter(pk=objects["approved"].pk).exists()
        assert Engagement.objects.filter(pk=objects["engagement"].pk).exists()
        assert Expert.objects.count() == 2


def test_the_matrix_covers_every_url_of_the_app():
    pages = {page.removesuffix("_pending") for page, _method in EXPECTED}
    names = {pattern.name for pattern in expert_urls.urlpatterns}
    assert pages == names
