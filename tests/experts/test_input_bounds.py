"""The expert directory's forms are bounded: over a limit is a Thai message and nothing changes."""

from __future__ import annotations

import pytest
from django.urls import reverse

from apps.core.forms import MAX_CHOICES, SEARCH_MAX_WORDS, TEXT_MAX_LENGTH
from apps.experts.forms import MAX_NEW_AREAS
from apps.experts.models import Expert, ExpertiseArea

pytestmark = pytest.mark.django_db


def suggestion(**overrides) -> dict:
    data = {
        "kind": "external",
        "title": "ผศ.ดร.",
        "first_name": "ธนากร",
        "last_name": "ศรีเมือง",
        "organisation": "มหาวิทยาลัยแม่โจ้",
        "topics": "การตลาดทุเรียน",
    }
    return {**data, **overrides}


@pytest.mark.parametrize(
    "changes, field, message",
    [
        (
            {"topics": "ก" * (TEXT_MAX_LENGTH + 1)},
            "topics",
            f"ค่านี้ต้องมีไม่เกิน {TEXT_MAX_LENGTH} ตัวอักษร (ปัจจุบันมี {TEXT_MAX_LENGTH + 1} ตัวอักษร)",
        ),
        (
            {"expertise": [str(n) for n in range(1, MAX_CHOICES + 2)]},
            "expertise",
            f"เลือกได้ไม่เกิน {MAX_CHOICES} รายการ (เลือกมา {MAX_CHOICES + 1} รายการ)",
        ),
        (
            {"new_areas": ",".join(f"ด้าน {n}" for n in range(MAX_NEW_AREAS + 1))},
            "new_areas",
            f"เพิ่มด้านใหม่ได้ครั้งละไม่เกิน {MAX_NEW_AREAS} ด้าน (ให้มา {MAX_NEW_AREAS + 1} ด้าน)",
        ),
        ({"first_name": "\u200b\ufeff"}, "first_name", None),
    ],
)
def test_an_entry_over_a_limit_is_refused(client_as, changes, field, message):
    response = client_as("secretary").post(reverse("experts:create"), suggestion(**changes))
    assert response.status_code == 200
    errors = response.context["form"].errors[field]
    assert errors == [message] if message else errors
    assert not Expert.objects.exists() and not ExpertiseArea.objects.exists()


def test_the_directory_filter_box_is_bounded(client_as):
    words = " ".join(["สหกรณ์"] * (SEARCH_MAX_WORDS + 1))
    response = client_as("staff").get(reverse("experts:list"), {"q": words})
    assert response.status_code == 200
    assert response.context["filter"].form.errors["q"] == [
        f"ค้นหาได้ครั้งละไม่เกิน {SEARCH_MAX_WORDS} คำ"
    ]


def test_new_areas_made_of_invisible_characters_are_not_created(client_as):
    response = client_as("secretary").post(
        reverse("experts:create"), suggestion(new_areas="\u200b, การตลาด\ufeff ,\u2060")
    )
    assert response.status_code == 302
    assert list(ExpertiseArea.objects.values_list("name", flat=True)) == ["การตลาด"]
