"""The library's permission matrix: every URL × every role × GET and POST."""

import pytest
from django.urls import resolve, reverse

from apps.library.models import AccessLevel, OcrStatus, OcrText
from apps.teams.models import Team
from tests.conftest import ROLES
from tests.library.factories import DocumentFactory, DocumentFileFactory

pytestmark = pytest.mark.django_db

SIGNED_IN = [role for role in ROLES if role != "anonymous"]


def expect(default: int, **by_role: int) -> dict[str, int]:
    table = dict.fromkeys(SIGNED_IN, default)
    table.update(by_role)
    table.setdefault("anonymous", 302)
    return table


# Who may add documents: KM members, the KM office and admins (not plain staff).
ADDERS = expect(200, staff=403)
ADDERS_POST = expect(200, staff=403)  # an empty form comes back with errors
EDITORS = expect(403, secretary=200, head=200, admin=200)  # besides the person who added it
DELETERS_POST = expect(403, secretary=302, head=302, admin=302)


@pytest.fixture
def objects(people):
    document = DocumentFactory(uploaded_by=people["member"])
    stored = DocumentFileFactory(document=document)
    group = Team.objects.get(name="กลุ่ม KM ที่ 1")
    hidden = DocumentFactory(access=AccessLevel.TEAM, access_team=group, title="บันทึกลับเฉพาะกลุ่มหนึ่ง")
    hidden_file = DocumentFileFactory(document=hidden)
    for scanned in (stored, hidden_file):  # as if a scan: its OCR text read
        OcrText.objects.create(
            file=scanned, status=OcrStatus.DONE, pages=[1], pages_done=1, machine_text="ข้อความ"
        )
    return {"doc": document, "file": stored, "hidden": hidden, "hidden_file": hidden_file}


def matrix(o):
    doc, stored = o["doc"], o["file"]
    # The member who added ``doc`` may edit it; hidden ones are "not found" to outsiders.
    editors_of_own = {**EDITORS, "member": 200}
    hidden_read = expect(404, member=200, admin=200)
    return [
        (reverse("library:list"), "get", None, expect(200)),
        (reverse("library:list"), "post", {}, expect(405)),
        (doc.get_absolute_url(), "get", None, expect(200)),
        (doc.get_absolute_url(), "post", {}, expect(405)),
        (o["hidden"].get_absolute_url(), "get", None, hidden_read),
        (reverse("library:create"), "get", None, ADDERS),
        (reverse("library:create"), "post", {}, ADDERS_POST),
        (reverse("library:update", args=[doc.pk]), "get", None, editors_of_own),
        (reverse("library:update", args=[doc.pk]), "post", {}, editors_of_own),
        (
            reverse("library:update", args=[o["hidden"].pk]),
            "get",
            None,
            expect(404, member=403, admin=200),
        ),
        (reverse("library:add_files", args=[doc.pk]), "get", None, editors_of_own),
        (reverse("library:add_files", args=[doc.pk]), "post", {}, editors_of_own),
        (reverse("library:delete", args=[doc.pk]), "get", None, expect(405)),
        (reverse("library:download", args=[stored.pk]), "get", None, expect(200)),
        (reverse("library:download", args=[stored.pk]), "post", {}, expect(405)),
        (reverse("library:download", args=[o["hidden_file"].pk]), "get", None, hidden_read),
        (reverse("library:thumbnail", args=[stored.pk]), "get", None, expect(404)),  # none made
        # OCR before the deletions below.
        (reverse("library:ocr_correct", args=[stored.pk]), "get", None, editors_of_own),
        (
            reverse("library:ocr_correct", args=[stored.pk]),
            "post",
            {"correction": "ข้อความที่แก้"},
            {**EDITORS, "member": 302, "secretary": 302, "head": 302, "admin": 302},
        ),
        (
            reverse("library:ocr_correct", args=[o["hidden_file"].pk]),
            "get",
            None,
            expect(404, member=403, admin=200),
        ),
        (reverse("library:ocr_rerun", args=[stored.pk]), "get", None, expect(405)),
        (
            reverse("library:ocr_rerun", args=[stored.pk]),
            "post",
            {},
            {**EDITORS, "member": 302, "secretary": 302, "head": 302, "admin": 302},
        ),
        (
            reverse("library:ocr_rerun", args=[o["hidden_file"].pk]),
            "post",
            {},
            expect(404, member=403, admin=302),
        ),
        (
            reverse("library:delete", args=[o["hidden"].pk]),
            "post",
            {},
            expect(404, member=403, admin=302),
        ),
        (reverse("library:delete", args=[doc.pk]), "post", {}, DELETERS_POST),
    ]


def test_every_library_url_is_in_the_matrix(objects):
    from apps.library import urls

    covered = {resolve(url).url_name for url, *_ in matrix(objects)}
    assert covered == {pattern.name for pattern in urls.urlpatterns}


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(client_as, objects, role):
    client = client_as(role)
    failures = []
    for url, method, data, expected in matrix(objects):
        response = getattr(client, method)(url, data or {})
        if response.status_code != expected[role]:
            failures.append((method.upper(), url, response.status_code, expected[role]))
    assert failures == []


@pytest.mark.parametrize("role", ["staff", "secretary", "cko"])
def test_nobody_sees_the_title_of_what_they_may_not_open(client_as, objects, role):
    client = client_as(role)
    title = objects["hidden"].title
    for url in [reverse("library:list"), "/", reverse("library:list") + "?q=ลับ"]:
        assert title not in client.get(url).content.decode()
    response = client.get(objects["hidden"].get_absolute_url())
    assert response.status_code == 404
    assert title not in response.content.decode()
