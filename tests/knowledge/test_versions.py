"""A published set changes through a new version: the history, a readable diff, and restore."""

import pytest
from django.urls import reverse

from apps.knowledge import services
from apps.knowledge.diff import diff_lines, diff_texts
from apps.knowledge.models import Status
from apps.knowledge.services.common import apply_text
from tests.knowledge.conftest import set_for
from tests.knowledge.factories import publish_version

pytestmark = pytest.mark.django_db


def test_the_diff_pairs_changed_lines_and_marks_what_changed_within_them():
    old = ["# ชื่อ", "", "ขั้นตอนที่ 1 ศึกษา", "ขั้นตอนที่ 2 ยื่นคำขอ", "ท้าย"]
    new = ["# ชื่อ", "", "ขั้นตอนที่ 1 ศึกษาความเป็นไปได้", "ท้าย", "บรรทัดใหม่"]
    diff = diff_lines(old, new)
    kinds = [row.kind for row in diff.rows]
    assert kinds == ["equal", "equal", "replace", "delete", "equal", "insert"]
    replaced = diff.rows[2]
    assert [(s.text, s.changed) for s in replaced.right] == [
        ("ขั้นตอนที่ 1 ศึกษา", False),
        ("ความเป็นไปได้", True),
    ]
    assert (diff.added, diff.removed) == (2, 2)


def test_long_unchanged_stretches_fold_away():
    old = [f"บรรทัด {n}" for n in range(40)]
    new = [*old[:20], "แก้ไข", *old[21:]]
    diff = diff_lines(old, new)
    assert [row.kind for row in diff.rows].count("skip") == 2
    assert sum(row.skipped for row in diff.rows) == 40 - 1 - 6
    assert diff_lines(old, old).changed is False


def test_title_and_summary_changes_are_part_of_the_diff():
    diff = diff_texts(("ชื่อเดิม", "สรุป", "เนื้อหา"), ("ชื่อใหม่", "สรุป", "เนื้อหา"))
    assert diff.added == diff.removed == 1
    assert diff.rows[0].kind == "replace"


def test_the_diff_page_shows_markup_as_text(client_as, people):
    knowledge_set = set_for(people, Status.PUBLISHED)
    knowledge_set.body = knowledge_set.body + "\n<script>alert('x')</script>\n"
    knowledge_set.save()
    publish_version(knowledge_set)
    response = client_as("staff").get(
        reverse("knowledge:compare", args=[knowledge_set.pk]) + "?from=1&to=2"
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert 'class="diff-insert"' in page


def test_readers_may_not_compare_with_the_working_copy(client_as, people):
    knowledge_set = set_for(people, Status.DRAFT, published=True)
    url = reverse("knowledge:compare", args=[knowledge_set.pk]) + "?to=working"
    assert client_as("staff").get(url).status_code == 403
    assert client_as("secretary").get(url).status_code == 200
    bad = reverse("knowledge:compare", args=[knowledge_set.pk]) + "?from=7&to=1"
    assert client_as("staff").get(bad).status_code == 404


def test_history_lists_versions_newest_first_with_links_to_compare(client_as, people):
    knowledge_set = set_for(people, Status.PUBLISHED)
    publish_version(knowledge_set)
    page = client_as("staff").get(reverse("knowledge:history", args=[knowledge_set.pk]))
    html = page.content.decode()
    assert html.index('data-version="2"') < html.index('data-version="1"')
    assert "?to=2" in html
    # Readers do not see the restore button.
    assert reverse("knowledge:restore", args=[knowledge_set.pk, 1]) not in html
    author_page = client_as("member").get(reverse("knowledge:history", args=[knowledge_set.pk]))
    assert reverse("knowledge:restore", args=[knowledge_set.pk, 1]) in author_page.content.decode()


def test_restore_brings_an_old_text_back_as_the_draft_of_the_next_version(client_as, people):
    knowledge_set = set_for(people, Status.PUBLISHED)
    first_body = knowledge_set.body
    knowledge_set.title, knowledge_set.body = "ชื่อฉบับที่สอง", "## ฉบับที่สอง\n"
    knowledge_set.save()
    apply_text(knowledge_set)
    knowledge_set.save()
    publish_version(knowledge_set)

    response = client_as("member").post(
        reverse("knowledge:restore", args=[knowledge_set.pk, 1]), {"expected": "published"}
    )

    knowledge_set.refresh_from_db()
    assert response.status_code == 302
    assert knowledge_set.status == Status.DRAFT
    assert knowledge_set.body == first_body and "sec-1" in knowledge_set.body_html
    # Readers still read version 2 until the restored text is reviewed and published.
    assert knowledge_set.published_version.number == 2
    assert knowledge_set.display_title == "ชื่อฉบับที่สอง"
    step = knowledge_set.transitions.get()
    assert (step.action, step.from_status, step.to_status, step.version_number) == (
        "restore", "published", "draft", 1,
    )  # fmt: skip

    # Then the usual way: submit, review, approve, publish as version 3.
    for by, action in [("member", "submit"), ("secretary", "start_review"),
                       ("head", "approve"), ("head", "publish")]:  # fmt: skip
        services.set_transition(by=people[by], knowledge_set=knowledge_set, action=action)
    knowledge_set.refresh_from_db()
    assert knowledge_set.published_version.number == 3
    assert knowledge_set.published_version.body == first_body


def test_restore_is_refused_while_the_set_is_in_review(client_as, people):
    knowledge_set = set_for(people, Status.IN_REVIEW, published=True)
    body = knowledge_set.body
    knowledge_set.body = "## กำลังตรวจ"
    knowledge_set.save()
    response = client_as("head").post(reverse("knowledge:restore", args=[knowledge_set.pk, 1]))
    knowledge_set.refresh_from_db()
    assert response.status_code == 302
    assert knowledge_set.status == Status.IN_REVIEW and knowledge_set.body != body
    assert not knowledge_set.transitions.exists()


def test_a_restore_replayed_from_a_stale_page_changes_nothing(client_as, people):
    knowledge_set = set_for(people, Status.PUBLISHED)
    url = reverse("knowledge:restore", args=[knowledge_set.pk, 1])
    client = client_as("member")
    client.post(url, {"expected": "published"})
    client.post(url, {"expected": "published"})
    assert knowledge_set.transitions.count() == 1


def test_readers_keep_the_published_text_while_the_next_version_is_written(client_as, people):
    knowledge_set = set_for(people, Status.PUBLISHED)
    services.set_transition(by=people["member"], knowledge_set=knowledge_set, action="revise")
    knowledge_set.refresh_from_db()
    knowledge_set.title, knowledge_set.body = "ร่างชื่อใหม่", "## ร่างเนื้อหาใหม่ที่ยังไม่ตรวจ"
    apply_text(knowledge_set)
    knowledge_set.save()

    reader = client_as("staff").get(knowledge_set.get_absolute_url()).content.decode()
    assert "ร่างเนื้อหาใหม่ที่ยังไม่ตรวจ" not in reader and "ร่างชื่อใหม่" not in reader
    working = client_as("member").get(reverse("knowledge:working", args=[knowledge_set.pk]))
    assert "ร่างเนื้อหาใหม่ที่ยังไม่ตรวจ" in working.content.decode()
    diff = client_as("member").get(
        reverse("knowledge:compare", args=[knowledge_set.pk]) + "?to=working"
    )
    page = diff.content.decode()
    assert 'class="diff-replace"' in page and "ยังไม่ตรวจ</ins>" in page
