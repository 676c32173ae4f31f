"""The permission matrix of the plans app: every URL × every role × GET and POST.

Each role runs the whole table in its own database, in order; state-changing POSTs use their own
records (a second draft to send, a plan to return ...) so that one row never changes
what another row sees.
"""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from apps.plans.models import EvidenceFile
from tests.conftest import ROLES
from tests.matrix import coverage, matrix_failures
from tests.plans.factories import (
    ActivityFactory,
    DesiredStateFactory,
    FocusAreaFactory,
    KnowledgeNeedFactory,
    PlanFactory,
    ProgressReportFactory,
    this_year,
)

pytestmark = pytest.mark.django_db

SIGNED_IN = [role for role in ROLES if role != "anonymous"]


def table(
    allowed: set[str], *, ok: int = 200, denied: int = 403, hidden: frozenset[str] = frozenset()
) -> dict[str, int]:
    """anonymous → 302 (to sign in); the allowed roles → ``ok``; those who may not open the
    record (``hidden``) → 404, as if it did not exist; everyone else → ``denied``."""
    return {
        "anonymous": 302,
        **{r: ok if r in allowed else 404 if r in hidden else denied for r in SIGNED_IN},
    }


def in_draft(allowed: set[str], *, ok: int = 200) -> dict[str, int]:
    """An action on a plan that has never been approved (or a row of one): it is hidden from
    those who do not read drafts."""
    return table(allowed, ok=ok, hidden=NOT_KM)


EVERYONE = set(SIGNED_IN)
KM = {"member", "secretary", "head", "cko", "admin"}  # read drafts
NOT_KM = frozenset(EVERYONE - KM)  # a draft plan is hidden from them (404)
DRAFTERS = {"head", "admin"}
APPROVERS = {"cko", "admin"}
KEEPERS = {"secretary", "admin"}  # compile the quarter's progress
PROGRESS = {"secretary", "head", "cko", "admin"}
OWNER = {"member", "secretary", "admin"}  # the activity's owner (the member), or the secretary
POST_ONLY = table(set(), denied=405)  # signed-in GETs of a POST-only URL


@pytest.fixture
def objects(people, km_team):
    year = this_year()
    member = people["member"]
    draft = PlanFactory(fiscal_year=year)
    to_send = PlanFactory(fiscal_year=year + 1)
    ActivityFactory(plan=to_send)
    waiting = PlanFactory(fiscal_year=year + 2, submitted=True)
    to_return = PlanFactory(fiscal_year=year + 3, submitted=True)
    approved = PlanFactory(fiscal_year=year - 1, approved=True)
    report = ProgressReportFactory(
        activity=ActivityFactory(plan=approved, owners=[member]), reported_by=member
    )
    stored = EvidenceFile(report=report, original_name="ภาพถ่าย.txt", size=4, mime="text/plain")
    stored.file.save("photo.txt", ContentFile(b"demo"), save=True)

    return {
        "year": year,
        "draft": draft,
        "to_send": to_send,
        "waiting": waiting,
        "to_return": to_return,
        "approved": approved,
        "activity": ActivityFactory(plan=draft, owners=[member]),
        "gone_activity": ActivityFactory(plan=draft),
        "need": KnowledgeNeedFactory(plan=draft),
        "gone_need": KnowledgeNeedFactory(plan=draft),
        "area": FocusAreaFactory(plan=draft),
        "gone_area": FocusAreaFactory(plan=draft),
        "state": DesiredStateFactory(plan=draft),
        "gone_state": DesiredStateFactory(plan=draft),
        "reported": report.activity,
        "report": report,
        "evidence": stored,
    }


def matrix(o):
    year = o["year"]
    view_draft = in_draft(KM)
    rows = [
        # (url, method, data, expected)
        (reverse("plans:list"), "get", None, table(EVERYONE)),
        (reverse("plans:list"), "post", {}, POST_ONLY),
        (reverse("plans:create"), "get", None, table(DRAFTERS)),
        (reverse("plans:create"), "post", {}, table(DRAFTERS)),  # invalid: shown again
        (reverse("plans:steps"), "get", None, table(EVERYONE)),
        (reverse("plans:steps"), "post", {}, POST_ONLY),
        # A draft: the KM teams and groups read it; only the head (and admin) change it.
        (reverse("plans:detail", args=[year]), "get", None, view_draft),
        (reverse("plans:detail", args=[year]), "post", {}, POST_ONLY),
        (reverse("plans:update", args=[year]), "get", None, in_draft(DRAFTERS)),
        (reverse("plans:update", args=[year]), "post", {"title": ""}, in_draft(DRAFTERS)),
        (reverse("plans:history", args=[year]), "get", None, view_draft),
        (reverse("plans:history", args=[year]), "post", {}, POST_ONLY),
        (reverse("plans:need_create", args=[year]), "get", None, in_draft(DRAFTERS)),
        (reverse("plans:need_create", args=[year]), "post", {}, in_draft(DRAFTERS)),
        (reverse("plans:need_update", args=[o["need"].pk]), "get", None, in_draft(DRAFTERS)),
        (reverse("plans:need_update", args=[o["need"].pk]), "post", {}, in_draft(DRAFTERS)),
        (reverse("plans:need_delete", args=[o["gone_need"].pk]), "get", None, POST_ONLY),
        (
            reverse("plans:need_delete", args=[o["gone_need"].pk]),
            "post",
            {},
            in_draft(DRAFTERS, ok=302),
        ),
        (reverse("plans:area_create", args=[year]), "get", None, in_draft(DRAFTERS)),
        (reverse("plans:area_create", args=[year]), "post", {}, in_draft(DRAFTERS)),
        (reverse("plans:area_update", args=[o["area"].pk]), "get", None, in_draft(DRAFTERS)),
        (reverse("plans:area_update", args=[o["area"].pk]), "post", {}, in_draft(DRAFTERS)),
        (reverse("plans:area_delete", args=[o["gone_area"].pk]), "get", None, POST_ONLY),
        (
            reverse("plans:area_delete", args=[o["gone_area"].pk]),
            "post",
            {},
            in_draft(DRAFTERS, ok=302),
        ),
        (reverse("plans:state_create", args=[year]), "get", None, in_draft(DRAFTERS)),
        (reverse("plans:state_create", args=[year]), "post", {}, in_draft(DRAFTERS)),
        (reverse("plans:state_update", args=[o["state"].pk]), "get", None, in_draft(DRAFTERS)),
        (reverse("plans:state_update", args=[o["state"].pk]), "post", {}, in_draft(DRAFTERS)),
        (reverse("plans:state_delete", args=[o["gone_state"].pk]), "get", None, POST_ONLY),
        (
            reverse("plans:state_delete", args=[o["gone_state"].pk]),
            "post",
            {},
            in_draft(DRAFTERS, ok=302),
        ),
        (reverse("plans:activity_create", args=[year]), "get", None, in_draft(DRAFTERS)),
        (reverse("plans:activity_create", args=[year]), "post", {}, in_draft(DRAFTERS)),
        (reverse("plans:activity", args=[o["activity"].pk]), "get", None, view_draft),
        (reverse("plans:activity", args=[o["activity"].pk]), "post", {}, POST_ONLY),
        (
            reverse("plans:activity_update", args=[o["activity"].pk]),
            "get",
            None,
            in_draft(DRAFTERS),
        ),
        (
            reverse("plans:activity_update", args=[o["activity"].pk]),
            "post",
            {},
            in_draft(DRAFTERS),
        ),
        (
            reverse("plans:activity_delete", args=[o["gone_activity"].pk]),
            "get",
            None,
            POST_ONLY,
        ),
        (
            reverse("plans:activity_delete", args=[o["gone_activity"].pk]),
            "post",
            {},
            in_draft(DRAFTERS, ok=302),
        ),
        # The workflow: the head sends, the CKO approves or returns, the head revises.
        (reverse("plans:submit", args=[year + 1]), "get", None, POST_ONLY),
        (reverse("plans:submit", args=[year + 1]), "post", {}, in_draft(DRAFTERS, ok=302)),
        (reverse("plans:approve", args=[year + 2]), "get", None, POST_ONLY),
        (reverse("plans:approve", args=[year + 2]), "post", {}, in_draft(APPROVERS, ok=302)),
        (reverse("plans:return", args=[year + 3]), "get", None, POST_ONLY),
        (reverse("plans:return", args=[year + 3]), "post", {}, in_draft(APPROVERS, ok=302)),
        (reverse("plans:revise", args=[year - 1]), "get", None, POST_ONLY),
        (reverse("plans:revise", args=[year - 1]), "post", {}, table(DRAFTERS, ok=302)),
        # An approved plan: everyone reads and exports it.
        (reverse("plans:detail", args=[year - 1]), "get", None, table(EVERYONE)),
        (reverse("plans:export_xlsx", args=[year - 1]), "get", None, table(EVERYONE)),
        (reverse("plans:export_xlsx", args=[year - 1]), "post", {}, POST_ONLY),
        (reverse("plans:export_pdf", args=[year - 1]), "get", None, table(EVERYONE)),
        (reverse("plans:export_pdf", args=[year - 1]), "post", {}, POST_ONLY),
        (reverse("plans:export_pdf", args=[year]), "get", None, view_draft),
        # Progress: owners (and the secretary) report; the secretary, head and CKO follow it.
        (reverse("plans:report_create", args=[o["reported"].pk]), "get", None, table(OWNER)),
        (reverse("plans:report_create", args=[o["reported"].pk]), "post", {}, table(OWNER)),
        (reverse("plans:evidence", args=[o["evidence"].pk]), "get", None, table(EVERYONE)),
        (reverse("plans:evidence", args=[o["evidence"].pk]), "post", {}, POST_ONLY),
        (reverse("plans:report_delete", args=[o["report"].pk]), "get", None, POST_ONLY),
        (
            reverse("plans:report_delete", args=[o["report"].pk]),
            "post",
            {},
            table(OWNER, ok=302),
        ),
        (reverse("plans:progress", args=[year - 1]), "get", None, table(PROGRESS)),
        (reverse("plans:progress", args=[year - 1]), "post", {}, table(KEEPERS)),
        # Reminding those who have not reported: whoever follows progress; a draft plan is
        # hidden from those outside the KM teams, and refused (a message) for the others.
        (reverse("plans:progress_remind", args=[year - 1]), "get", None, POST_ONLY),
        (
            reverse("plans:progress_remind", args=[year - 1]),
            "post",
            {"quarter": 4},
            table(PROGRESS, ok=302),
        ),
        (
            reverse("plans:progress_remind", args=[year]),
            "post",
            {"quarter": 1},
            in_draft(PROGRESS, ok=302),
        ),
        (reverse("plans:progress_print", args=[year - 1]), "get", None, table(PROGRESS)),
        (reverse("plans:progress_print", args=[year - 1]), "post", {}, POST_ONLY),
        (reverse("plans:progress_xlsx", args=[year - 1]), "get", None, table(PROGRESS)),
        (reverse("plans:progress_xlsx", args=[year - 1]), "post", {}, POST_ONLY),
        (reverse("plans:progress_pdf", args=[year - 1]), "get", None, table(PROGRESS)),
        (reverse("plans:progress_pdf", args=[year - 1]), "post", {}, POST_ONLY),
        # The person page carries the plans panel.
        (reverse("accounts:person", args=["r_member"]), "get", None, table(EVERYONE)),
    ]
    return rows


def test_every_plans_url_is_in_the_matrix(objects):
    from apps.plans import urls

    named, covered, methods = coverage(matrix(objects), "plans", urls.urlpatterns)
    assert covered == named
    # ... and every URL in both methods.
    assert {(name, m) for name in named for m in ("get", "post")} <= methods


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(client_as, objects, role):
    assert matrix_failures(client_as(role), matrix(objects), role) == []


def test_refused_writes_change_nothing(client_as, objects):
    """GIVEN a member and a staff member WHEN they post to the head's and the secretary's
    URLs THEN nothing changes."""
    client = client_as("staff")
    client.post(reverse("plans:submit", args=[objects["year"] + 1]))
    client.post(reverse("plans:need_delete", args=[objects["gone_need"].pk]))
    client = client_as("member")
    client.post(reverse("plans:approve", args=[objects["year"] + 2]))
    objects["to_send"].refresh_from_db()
    objects["waiting"].refresh_from_db()
    assert objects["to_send"].status == "draft"
    assert objects["waiting"].status == "submitted"
    assert type(objects["gone_need"]).objects.filter(pk=objects["gone_need"].pk).exists()
