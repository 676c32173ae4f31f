"""Knowledge sets' forms are bounded: over a limit is a Thai message and nothing changes."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.core.choices import KMStep
from apps.core.forms import MAX_PEOPLE, MAX_TAGS, SEARCH_MAX_WORDS
from apps.knowledge.forms import MAX_BODY
from apps.knowledge.models import Attachment, KnowledgeSet, SetKind, Status
from tests.knowledge.conftest import set_for

pytestmark = pytest.mark.django_db

TOO_MANY_PEOPLE = [str(n) for n in range(1, MAX_PEOPLE + 2)]


def form_data(people, **changes):
    data = {
        "title": "วิธีจัดตั้งกลุ่มเกษตรกร",
        "kind": SetKind.HOW_TO,
        "summary": "สรุปสั้น ๆ",
        "body": "## ขั้นตอน\n\n1. ประชุม\n",
        "km_step": KMStep.CODIFY,
        "tag_names": "กลุ่มเกษตรกร",
        "authors": [people["member"].pk],
        "review_due": "",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize(
    "changes, field, message",
    [
        (
            {"tag_names": ",".join(f"ป้าย{n}" for n in range(MAX_TAGS + 1))},
            "tag_names",
            f"ใส่คำสำคัญได้ไม่เกิน {MAX_TAGS} คำ (ใส่มา {MAX_TAGS + 1} คำ)",
        ),
        (
            {"authors": TOO_MANY_PEOPLE},
            "authors",
            f"เลือกได้ไม่เกิน {MAX_PEOPLE} รายการ (เลือกมา {MAX_PEOPLE + 1} รายการ)",
        ),
        (
            {"holders": TOO_MANY_PEOPLE},
            "holders",
            f"เลือกได้ไม่เกิน {MAX_PEOPLE} รายการ (เลือกมา {MAX_PEOPLE + 1} รายการ)",
        ),
        (
            {"summary": "ก" * 2_001},
            "summary",
            "ค่านี้ต้องมีไม่เกิน 2000 ตัวอักษร (ปัจจุบันมี 2001 ตัวอักษร)",
        ),
        (
            {"title": "\u200b\u200c\ufeff"},
            "title",
            "ฟิลด์นี้จำเป็น",
        ),
    ],
)
def test_a_new_set_over_a_limit_is_refused_in_thai(client_as, people, changes, field, message):
    response = client_as("member").post(reverse("knowledge:create"), form_data(people, **changes))
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert not KnowledgeSet.objects.exists()


def test_a_long_body_is_allowed_up_to_its_own_limit(client_as, people):
    body = "ก" * (MAX_BODY - 10)
    response = client_as("member").post(reverse("knowledge:create"), form_data(people, body=body))
    assert response.status_code == 302
    assert KnowledgeSet.objects.get().body == body


def test_too_many_reviewers_are_refused_and_none_are_saved(client_as, people, process_group):
    knowledge_set = set_for(people, Status.SUBMITTED, reviewers=[])
    response = client_as("head").post(
        reverse("knowledge:reviewers", args=[knowledge_set.pk]),
        {"reviewers": TOO_MANY_PEOPLE},
        follow=True,
    )
    shown = [str(m) for m in response.context["messages"]]
    assert f"เลือกได้ไม่เกิน {MAX_PEOPLE} รายการ (เลือกมา {MAX_PEOPLE + 1} รายการ)" in shown
    assert not knowledge_set.reviewers.exists()


def test_too_many_attachments_at_once_are_refused(client_as, people):
    knowledge_set = set_for(people, Status.DRAFT)
    files = [SimpleUploadedFile(f"{n}.txt", f"ข้อความ {n}".encode()) for n in range(21)]
    response = client_as("member").post(
        reverse("knowledge:attachment_add", args=[knowledge_set.pk]), {"files": files}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["files"] == ["เพิ่มไฟล์ได้ครั้งละไม่เกิน 20 ไฟล์ (ส่งมา 21 ไฟล์)"]
    assert not Attachment.objects.exists()


def test_a_comment_of_only_invisible_characters_is_refused(client_as, people):
    knowledge_set = set_for(people, Status.PUBLISHED)
    response = client_as("staff").post(
        reverse("knowledge:comment", args=[knowledge_set.pk]),
        {"kind": "comment", "body": "\u200b \u2060\ufeff"},
        follow=True,
    )
    assert response.status_code == 200
    assert not knowledge_set.comments.exists()


def test_the_list_filter_box_is_bounded(client_as):
    words = " ".join(["สหกรณ์"] * (SEARCH_MAX_WORDS + 1))
    response = client_as("staff").get(reverse("knowledge:list"), {"q": words})
    assert response.status_code == 200
    assert response.context["filter"].form.errors["q"] == [
        f"ค้นหาได้ครั้งละไม่เกิน {SEARCH_MAX_WORDS} คำ"
    ]


def test_a_version_number_that_is_not_a_plain_number_is_not_found(client_as, people):
    knowledge_set = set_for(people, Status.PUBLISHED)
    url = reverse("knowledge:compare", args=[knowledge_set.pk])
    client = client_as("member")
    client.raise_request_exception = False
    for value in ["²", "๑", "9" * 5000]:
        assert client.get(url, {"from": "1", "to": value}).status_code == 404
