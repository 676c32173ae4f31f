"""The permission matrix of knowledge sets: every URL × every role × GET and POST.

The member writes the sets and the secretary reviews them; the head, the CKO and the admin see
everything. 302 for the anonymous is the sign-in page; elsewhere it is the set's page with a
message (a step that does not fit the set's state) or the page after a change.
"""

import pytest
from django.core.files.base import ContentFile
from django.urls import resolve, reverse

from apps.knowledge.models import Attachment, Status
from tests.conftest import ROLES
from tests.knowledge.conftest import set_for
from tests.knowledge.factories import CommentFactory, publish_version

pytestmark = pytest.mark.django_db


def table(anonymous=302, **codes):
    """Expected codes per role; roles not named get ``codes["others"]``."""
    others = codes.pop("others", None)
    result = {"anonymous": anonymous}
    for role in ROLES[1:]:
        result[role] = codes.get(role, others)
    return result


READ = table(others=200)
NOT_GET = table(others=405)
INSIDERS = table(staff=404, others=200)
ADD = table(staff=403, others=200)
ALL_REDIRECT = table(others=302)


@pytest.fixture
def objects(people):
    draft = set_for(people, Status.DRAFT)
    published = set_for(people, Status.PUBLISHED)
    published.body = published.body + "\n\n## เพิ่มเติม\n"
    published.save()
    publish_version(published)  # two versions: there is something to compare
    attachment = Attachment.objects.create(
        knowledge_set=published,
        file=ContentFile(b"checklist", name="a.txt"),
        original_name="แบบตรวจสอบ.txt",
        size=9,
        sha256="0" * 64,
        mime="text/plain",
        kind_label="Text",
    )
    return {
        "draft": draft,
        "published": published,
        "revising": set_for(people, Status.DRAFT, published=True),
        "to_delete": set_for(people, Status.DRAFT),
        "to_submit": set_for(people, Status.DRAFT),
        "to_restore": set_for(people, Status.PUBLISHED),
        "attachment": attachment,
        "comment": CommentFactory(knowledge_set=published, author=people["staff"]),
    }


def matrix(objects, people):
    draft, published, revising = objects["draft"], objects["published"], objects["revising"]
    d, p = draft.pk, published.pk

    def url(name, *args):
        return reverse(f"knowledge:{name}", args=args)

    return [
        # (url, method, data, expected)
        (url("list"), "get", None, READ),
        (url("list"), "post", {}, NOT_GET),
        (url("workbench"), "get", None, READ),
        (url("workbench"), "post", {}, NOT_GET),
        (url("create"), "get", None, ADD),
        (url("create") + "?kind=faq", "get", None, ADD),
        (url("create"), "post", {"kind": "faq"}, ADD),  # invalid: shown again with errors
        (url("preview"), "get", None, NOT_GET),
        (url("preview"), "post", {"body": "## หัวข้อ"}, READ),
        (url("notifications_read"), "get", None, NOT_GET),
        (url("notifications_read"), "post", {}, ALL_REDIRECT),
        (url("detail", d), "get", None, INSIDERS),
        (url("detail", d), "post", {}, NOT_GET),
        (url("detail", p), "get", None, READ),
        (url("working", revising.pk), "get", None, table(staff=403, others=200)),
        (url("working", revising.pk), "post", {}, NOT_GET),
        # Nothing pending: the working copy is the published version.
        (url("working", p), "get", None, table(staff=403, others=302)),
        (url("print", d), "get", None, INSIDERS),
        (url("print", p), "get", None, READ),
        (url("print", p), "post", {}, NOT_GET),
        # Only the authors edit a draft (the others who may edit later are told why not now).
        (url("update", d), "get", None, table(staff=404, member=200, admin=200, others=302)),
        (url("update", d), "post", {}, table(staff=404, member=200, admin=200, others=302)),
        (url("update", p), "get", None, table(staff=403, others=302)),
        (url("update", p), "post", {}, table(staff=403, others=302)),
        (url("delete", objects["to_delete"].pk), "get", None, NOT_GET),
        (url("delete", objects["to_delete"].pk), "post", {},
         table(staff=404, secretary=403, others=302)),
        (url("delete", p), "post", {}, table(staff=403, secretary=403, others=302)),
        (url("transition", objects["to_submit"].pk, "submit"), "get", None, NOT_GET),
        (url("transition", objects["to_submit"].pk, "submit"), "post", {},
         table(staff=404, member=302, admin=302, others=403)),
        (url("transition", p, "approve"), "post", {},
         table(staff=403, member=403, secretary=403, others=302)),
        (url("transition", p, "no-such-step"), "post", {}, table(others=404)),
        (url("reviewers", d), "get", None, NOT_GET),
        (url("reviewers", d), "post", {"reviewers": [people["secretary"].pk]},
         table(staff=404, member=403, secretary=403, others=302)),
        (url("confirm", p), "get", None, NOT_GET),
        (url("confirm", p), "post", {"review_due": "not a date"},
         table(staff=403, secretary=403, others=302)),
        (url("comment", p), "get", None, NOT_GET),
        (url("comment", p), "post", {"kind": "comment", "body": "ขอบคุณ"}, ALL_REDIRECT),
        (url("comment", d), "post", {"kind": "review", "body": "ควรเพิ่มตัวอย่าง"},
         table(staff=404, others=302)),
        # Readers' comments and votes go with published sets (the admin is told so).
        (url("comment", d), "post", {"kind": "comment", "body": "x"},
         table(staff=404, admin=302, others=403)),
        (url("vote", p), "get", None, NOT_GET),
        (url("vote", p), "post", {"useful": "yes"}, ALL_REDIRECT),
        (url("vote", d), "post", {"useful": "yes"}, table(staff=404, admin=302, others=403)),
        (url("history", p), "get", None, READ),
        (url("history", d), "get", None, INSIDERS),
        (url("history", p), "post", {}, NOT_GET),
        (url("compare", p), "get", None, READ),
        (url("compare", p) + "?from=1&to=2", "get", None, READ),
        (url("compare", revising.pk) + "?to=working", "get", None, table(staff=403, others=200)),
        (url("compare", p), "post", {}, NOT_GET),
        (url("version", p, 1), "get", None, READ),
        (url("version", p, 9), "get", None, table(others=404)),
        (url("version", p, 1), "post", {}, NOT_GET),
        (url("restore", objects["to_restore"].pk, 1), "get", None, NOT_GET),
        (url("restore", objects["to_restore"].pk, 1), "post", {},
         table(staff=403, secretary=403, others=302)),
        (url("attachment_add", d), "get", None,
         table(staff=404, member=200, admin=200, others=302)),
        (url("attachment_add", d), "post", {},
         table(staff=404, member=200, admin=200, others=302)),
        (url("attachment", objects["attachment"].pk), "get", None, READ),
        (url("attachment", objects["attachment"].pk), "post", {}, NOT_GET),
        (url("attachment_delete", objects["attachment"].pk), "get", None, NOT_GET),
        (url("attachment_delete", objects["attachment"].pk), "post", {},
         table(staff=403, others=302)),
        (url("comment_delete", objects["comment"].pk), "get", None, NOT_GET),
        (url("comment_delete", objects["comment"].pk), "post", {},
         table(member=403, secretary=403, others=302)),
        (reverse("accounts:person", args=[people["member"].username]), "get", None, READ),
    ]  # fmt: skip


def test_every_knowledge_url_is_in_the_matrix(objects, people):
    from apps.knowledge import urls

    named = {pattern.name for pattern in urls.urlpatterns}
    covered = set()
    for url, *_ in matrix(objects, people):
        match = resolve(url.split("?")[0])
        if match.namespace == "knowledge":
            covered.add(match.url_name)
    assert covered == named


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(client_as, objects, people, role):
    client = client_as(role)
    failures = []
    for url, method, data, expected in matrix(objects, people):
        response = getattr(client, method)(url, data or {})
        if response.status_code != expected[role]:
            failures.append((method.upper(), url, response.status_code, expected[role]))
        if response.status_code == 302 and role == "anonymous":
            assert response["Location"].startswith(reverse("login"))
    assert failures == []


def test_forbidden_and_invisible_writes_change_nothing(client_as, objects, people):
    draft, published = objects["draft"], objects["published"]
    client_as("staff").post(reverse("knowledge:update", args=[draft.pk]), {"title": "x"})
    client_as("staff").post(reverse("knowledge:delete", args=[draft.pk]))
    client_as("secretary").post(reverse("knowledge:delete", args=[draft.pk]))
    client_as("member").post(reverse("knowledge:comment_delete", args=[objects["comment"].pk]))
    client_as("staff").post(reverse("knowledge:attachment_delete", args=[objects["attachment"].pk]))
    client_as("member").post(reverse("knowledge:transition", args=[published.pk, "archive"]),
                             {"note": "x"})  # fmt: skip
    draft.refresh_from_db()
    published.refresh_from_db()
    assert draft.title != "x" and draft.status == Status.DRAFT
    assert published.status == Status.PUBLISHED
    assert published.comments.count() == 1 and published.attachments.count() == 1


def test_an_invisible_set_reveals_nothing(client_as, objects):
    draft = objects["draft"]
    response = client_as("staff").get(reverse("knowledge:detail", args=[draft.pk]))
    assert response.status_code == 404
    assert draft.title not in response.content.decode()
    listing = client_as("staff").get(reverse("knowledge:list")).content.decode()
    assert draft.title not in listing
