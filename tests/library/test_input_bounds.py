"""Every list and text the library's forms take is bounded: over the limit is a Thai message and
nothing is saved (one upload with 20,000 tags once held the database's write lock for 100 s)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.core.forms import MAX_FILES, MAX_TAGS, SEARCH_MAX_WORDS, TEXT_MAX_LENGTH
from apps.library.models import AccessLevel, Document, DocumentType, Tag
from tests.library.factories import DocumentFactory, DocumentFileFactory

pytestmark = pytest.mark.django_db


def upload_data(**changes):
    data = {
        "title": "หนังสือเวียน เรื่อง การประชุมใหญ่",
        "doc_type": DocumentType.CIRCULAR,
        "access": AccessLevel.ALL_STAFF,
        "tag_names": "สหกรณ์",
        "files": [SimpleUploadedFile("ว210.txt", "หนังสือเวียน".encode())],
    }
    data.update(changes)
    return data


def stored_files() -> set[Path]:
    return {p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()}


def test_an_upload_with_twenty_thousand_tags_is_refused_at_once(client_as):
    client = client_as("member")
    before = stored_files()
    tags = ", ".join(f"ป้ายที่ {n}" for n in range(20_000))
    started = time.monotonic()
    response = client.post(reverse("library:create"), upload_data(tag_names=tags))
    assert time.monotonic() - started < 5
    assert response.status_code == 200
    assert response.context["form"].errors["tag_names"] == [
        "คำสำคัญทั้งหมดรวมกันยาวได้ไม่เกิน 3060 ตัวอักษร"
    ]
    assert not Document.objects.exists()
    assert not Tag.objects.exists()
    assert stored_files() == before


def test_one_tag_too_many_is_refused_with_the_limit(client_as):
    tags = ", ".join(f"ป้าย{n}" for n in range(MAX_TAGS + 1))
    response = client_as("member").post(reverse("library:create"), upload_data(tag_names=tags))
    assert response.context["form"].errors["tag_names"] == [
        f"ใส่คำสำคัญได้ไม่เกิน {MAX_TAGS} คำ (ใส่มา {MAX_TAGS + 1} คำ)"
    ]
    assert not Document.objects.exists()


def test_too_many_files_in_one_upload_are_refused(client_as):
    files = [SimpleUploadedFile(f"ไฟล์ {n}.txt", f"เนื้อหา {n}".encode()) for n in range(21)]
    before = stored_files()
    response = client_as("member").post(reverse("library:create"), upload_data(files=files))
    assert response.context["form"].errors["files"] == [
        f"เพิ่มไฟล์ได้ครั้งละไม่เกิน {MAX_FILES} ไฟล์ (ส่งมา 21 ไฟล์)"
    ]
    assert not Document.objects.exists()
    assert stored_files() == before


def test_too_many_files_added_to_a_document_are_refused(client_as, people):
    document = DocumentFactory(uploaded_by=people["member"])
    DocumentFileFactory(document=document)
    files = [SimpleUploadedFile(f"ไฟล์ {n}.txt", f"เนื้อหา {n}".encode()) for n in range(21)]
    response = client_as("member").post(
        reverse("library:add_files", args=[document.pk]), {"files": files}
    )
    assert response.status_code == 200
    assert "ไม่เกิน 20 ไฟล์" in response.context["form"].errors["files"][0]
    assert document.files.count() == 1


def test_a_request_with_far_too_many_files_is_a_bad_request(client_as):
    files = [
        SimpleUploadedFile(f"{n}.txt", b"x")
        for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FILES + 1)
    ]
    client = client_as("member")
    client.raise_request_exception = False
    response = client.post(reverse("library:create"), upload_data(files=files))
    assert response.status_code == 400
    assert not Document.objects.exists()


def test_editing_with_too_many_tags_or_an_endless_description_changes_nothing(client_as, people):
    document = DocumentFactory(uploaded_by=people["member"], description="เดิม")
    data = {
        "title": document.title,
        "doc_type": document.doc_type,
        "access": document.access,
        "tag_names": ",".join(str(n) for n in range(MAX_TAGS + 5)),
        "description": "ก" * (TEXT_MAX_LENGTH + 1),
    }
    response = client_as("member").post(reverse("library:update", args=[document.pk]), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"tag_names", "description"}
    assert errors["description"] == [
        f"ค่านี้ต้องมีไม่เกิน {TEXT_MAX_LENGTH} ตัวอักษร (ปัจจุบันมี {TEXT_MAX_LENGTH + 1} ตัวอักษร)"
    ]
    document.refresh_from_db()
    assert document.description == "เดิม"
    assert not document.tags.exists()


@pytest.mark.parametrize(
    "query, message",
    [
        (" ".join(["คำ"] * (SEARCH_MAX_WORDS + 1)), f"ค้นหาได้ครั้งละไม่เกิน {SEARCH_MAX_WORDS} คำ"),
        ("ก" * 201, "ค่านี้ต้องมีไม่เกิน 200 ตัวอักษร (ปัจจุบันมี 201 ตัวอักษร)"),
    ],
)
def test_the_shelves_filter_box_is_bounded(client_as, query, message):
    DocumentFactory(title="คำ")
    response = client_as("staff").get(reverse("library:list"), {"q": query})
    assert response.status_code == 200
    assert response.context["filter"].form.errors["q"] == [message]
    assert not response.context["object_list"]


@pytest.mark.parametrize("year", ["99999", "-5", "543", "²"])
def test_a_year_outside_the_portals_range_lists_nothing(client_as, year):
    DocumentFactory()
    response = client_as("staff").get(reverse("library:list"), {"year": year})
    assert response.status_code == 200
    assert "year" in response.context["filter"].form.errors
