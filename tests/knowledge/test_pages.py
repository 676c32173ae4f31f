"""Reading and writing knowledge sets through their pages."""

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from apps.core.choices import KMStep
from apps.knowledge import services
from apps.knowledge.models import (
    Attachment,
    CommentKind,
    KnowledgeSet,
    ReadingDay,
    SetKind,
    Status,
    Vote,
)
from apps.knowledge.skeletons import SKELETONS
from apps.library.models import AccessLevel
from apps.teams.models import TeamKind
from tests.factories import TeamFactory
from tests.knowledge.conftest import set_for
from tests.knowledge.factories import CommentFactory
from tests.library.factories import CategoryFactory, DocumentFactory, TagFactory

pytestmark = pytest.mark.django_db


def form_data(people, **changes):
    data = {
        "title": "วิธีจัดตั้งกลุ่มเกษตรกร",
        "kind": SetKind.HOW_TO,
        "summary": "สรุปสั้น ๆ",
        "body": "## ขั้นตอน\n\n1. ประชุม\n",
        "km_step": KMStep.CODIFY,
        "tag_names": "กลุ่มเกษตรกร, การจัดตั้ง",
        "authors": [people["member"].pk],
        "review_due": "",
    }
    data.update(changes)
    return data


# --- Writing -------------------------------------------------------------------------------------
def test_a_new_set_starts_from_the_skeleton_of_its_kind(client_as):
    client = client_as("member")
    chooser = client.get(reverse("knowledge:create")).content.decode()
    for kind in SetKind.values:
        assert f'data-kind="{kind}"' in chooser
    page = client.get(reverse("knowledge:create") + "?kind=lessons_learned").content.decode()
    assert "## สิ่งที่คาดหวังไว้\n" in page
    assert "What was expected" not in page  # the office's forms are in Thai only (issue 16)
    assert "[ระบุ: เป้าหมายของงานหรือกิจกรรมนี้]" in page
    assert set(SKELETONS) == set(SetKind.values)


def test_a_member_writes_a_draft_only_the_people_involved_can_see(client_as, people):
    group = TeamFactory(name="กลุ่ม KM ที่ 1", kind=TeamKind.KM_GROUP)
    category = CategoryFactory(name="คู่มือ")
    document = DocumentFactory(title="พระราชบัญญัติสหกรณ์")
    client = client_as("member")
    response = client.post(
        reverse("knowledge:create"),
        form_data(
            people,
            group=group.pk,
            category=category.pk,
            documents=[document.pk],
            holders=[people["staff"].pk],
            review_due="01/10/2570",
        ),
    )
    assert response.status_code == 302
    knowledge_set = KnowledgeSet.objects.get()
    assert knowledge_set.status == Status.DRAFT and knowledge_set.created_by == people["member"]
    assert list(knowledge_set.authors.all()) == [people["member"]]
    assert sorted(t.name for t in knowledge_set.tags.all()) == ["กลุ่มเกษตรกร", "การจัดตั้ง"]
    assert knowledge_set.review_due == dt.date(2027, 10, 1)
    assert knowledge_set.toc == [{"level": 2, "text": "ขั้นตอน", "id": "sec-1"}]
    assert knowledge_set.transitions.get().action == "create"
    assert client_as("staff").get(knowledge_set.get_absolute_url()).status_code == 404
    assert client_as("head").get(knowledge_set.get_absolute_url()).status_code == 200


def test_bad_input_saves_nothing_and_says_why(client_as, people):
    client = client_as("member")
    response = client.post(
        reverse("knowledge:create"),
        form_data(people, title="", body="x" * 200_001, review_due="31/02/2568"),
    )
    assert response.status_code == 200
    assert not KnowledgeSet.objects.exists()
    form = response.context["form"]
    assert {"title", "body", "review_due"} <= set(form.errors)


def test_a_review_date_in_the_past_is_refused(client_as, people):
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    typed = f"{yesterday.day}/{yesterday.month}/{yesterday.year + 543}"
    response = client_as("member").post(
        reverse("knowledge:create"), form_data(people, review_due=typed)
    )
    assert response.status_code == 200 and "review_due" in response.context["form"].errors


def test_editing_keeps_linked_documents_the_editor_may_not_open(client_as, people):
    team_only = DocumentFactory(access=AccessLevel.TEAM, access_team=TeamFactory(name="ลับ"))
    everyone = DocumentFactory()
    knowledge_set = set_for(people, Status.DRAFT)
    knowledge_set.documents.set([team_only, everyone])
    client = client_as("member")
    page = client.get(reverse("knowledge:update", args=[knowledge_set.pk])).content.decode()
    assert team_only.title not in page
    response = client.post(
        reverse("knowledge:update", args=[knowledge_set.pk]),
        form_data(people, title="ชื่อใหม่", documents=[]),
    )
    assert response.status_code == 302
    knowledge_set.refresh_from_db()
    assert knowledge_set.title == "ชื่อใหม่"
    assert list(knowledge_set.documents.all()) == [team_only]
    reader = client.get(knowledge_set.get_absolute_url()).content.decode()
    assert team_only.title not in reader


def test_reviewers_refine_the_text_during_the_review_but_not_before(client_as, people):
    knowledge_set = set_for(people, Status.SUBMITTED)
    url = reverse("knowledge:update", args=[knowledge_set.pk])
    assert client_as("secretary").get(url).status_code == 302
    knowledge_set.status = Status.IN_REVIEW
    knowledge_set.save()
    response = client_as("secretary").post(url, form_data(people, title="ปรับถ้อยคำแล้ว"))
    assert response.status_code == 302
    knowledge_set.refresh_from_db()
    assert knowledge_set.title == "ปรับถ้อยคำแล้ว" and knowledge_set.status == Status.IN_REVIEW
    assert client_as("member").get(url).status_code == 302  # the author waits for the review


def test_an_edit_does_not_overwrite_the_view_count(client_as, people):
    knowledge_set = set_for(people, Status.DRAFT)
    KnowledgeSet.objects.filter(pk=knowledge_set.pk).update(view_count=7)
    client_as("member").post(
        reverse("knowledge:update", args=[knowledge_set.pk]), form_data(people)
    )
    knowledge_set.refresh_from_db()
    assert knowledge_set.view_count == 7


def test_a_draft_that_was_never_published_can_be_deleted_a_published_one_cannot(client_as, people):
    draft = set_for(people, Status.DRAFT)
    client = client_as("member")
    assert client.post(reverse("knowledge:delete", args=[draft.pk])).status_code == 302
    assert not KnowledgeSet.objects.filter(pk=draft.pk).exists()
    revising = set_for(people, Status.DRAFT, published=True)
    client.post(reverse("knowledge:delete", args=[revising.pk]))
    assert KnowledgeSet.objects.filter(pk=revising.pk).exists()


# --- Attachments ---------------------------------------------------------------------------------
def stored_files() -> set[Path]:
    return {p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()}


def test_attachments_are_checked_by_content_and_downloaded_under_their_name(client_as, people):
    knowledge_set = set_for(people, Status.DRAFT)
    client = client_as("member")
    url = reverse("knowledge:attachment_add", args=[knowledge_set.pk])
    response = client.post(
        url, {"files": [SimpleUploadedFile("แบบตรวจสอบ.txt", "รายการเอกสาร".encode())]}
    )
    assert response.status_code == 302
    attachment = knowledge_set.attachments.get()
    assert attachment.mime == "text/plain" and attachment.original_name == "แบบตรวจสอบ.txt"
    download = client.get(attachment.get_absolute_url())
    assert download.status_code == 200
    assert "attachment" in download["Content-Disposition"]
    assert download["X-Content-Type-Options"] == "nosniff"
    assert client_as("staff").get(attachment.get_absolute_url()).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_attachments_stay_when_the_request_dies_after_the_commit(
    client_as, people, cut_short_after_commit
):
    """GIVEN attachments that have committed WHEN the request is cut short afterwards
    (gunicorn's worker timeout in the index update after the commit) THEN their files stay."""
    knowledge_set = set_for(people, Status.DRAFT)
    client = client_as("member")
    with pytest.raises(SystemExit), cut_short_after_commit(Attachment):
        client.post(
            reverse("knowledge:attachment_add", args=[knowledge_set.pk]),
            {"files": [SimpleUploadedFile("แบบตรวจสอบ.txt", "รายการเอกสาร".encode())]},
        )
    attachment = knowledge_set.attachments.get()
    assert attachment.file.storage.exists(attachment.file.name)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("page.html", b"<!doctype html><html><script>alert(1)</script></html>"),
        ("report.pdf", b"<!doctype html><html><body>not a pdf</body></html>"),
        ("picture.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
        ("tool.exe", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64),
        ("empty.txt", b""),
        ("note.pdf", "ข้อความธรรมดา".encode()),
    ],
)
def test_attachments_that_are_not_what_they_should_be_are_refused(client_as, people, name, content):
    knowledge_set = set_for(people, Status.DRAFT)
    before = stored_files()
    response = client_as("member").post(
        reverse("knowledge:attachment_add", args=[knowledge_set.pk]),
        {"files": [SimpleUploadedFile(name, content)]},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["files"]
    assert not Attachment.objects.exists() and stored_files() == before


def test_one_bad_file_refuses_the_whole_batch(client_as, people):
    knowledge_set = set_for(people, Status.DRAFT)
    before = stored_files()
    client_as("member").post(
        reverse("knowledge:attachment_add", args=[knowledge_set.pk]),
        {
            "files": [
                SimpleUploadedFile("ดี.txt", "ข้อความ".encode()),
                SimpleUploadedFile("ไม่ดี.html", b"<html><body>x</body></html>"),
            ]
        },
    )
    assert not Attachment.objects.exists() and stored_files() == before


def test_the_same_file_is_attached_once(client_as, people):
    knowledge_set = set_for(people, Status.DRAFT)
    url = reverse("knowledge:attachment_add", args=[knowledge_set.pk])
    client = client_as("member")
    client.post(url, {"files": [SimpleUploadedFile("a.txt", "เดียวกัน".encode())]})
    response = client.post(url, {"files": [SimpleUploadedFile("b.txt", "เดียวกัน".encode())]})
    assert response.status_code == 200 and knowledge_set.attachments.count() == 1


def test_an_attachment_is_removed_with_its_file(
    client_as, people, django_capture_on_commit_callbacks
):
    knowledge_set = set_for(people, Status.DRAFT)
    client = client_as("member")
    client.post(
        reverse("knowledge:attachment_add", args=[knowledge_set.pk]),
        {"files": [SimpleUploadedFile("a.txt", "ลบได้".encode())]},
    )
    attachment = knowledge_set.attachments.get()
    path = Path(attachment.file.path)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("knowledge:attachment_delete", args=[attachment.pk]))
    assert not knowledge_set.attachments.exists() and not path.exists()


# --- Reading -------------------------------------------------------------------------------------
def test_the_reading_view_has_contents_print_and_history(client_as, people):
    knowledge_set = set_for(people, Status.PUBLISHED)
    page = client_as("staff").get(knowledge_set.get_absolute_url()).content.decode()
    assert 'href="#sec-1"' in page and 'id="sec-1"' in page
    assert reverse("knowledge:print", args=[knowledge_set.pk]) in page
    assert reverse("knowledge:history", args=[knowledge_set.pk]) in page
    printed = client_as("staff").get(reverse("knowledge:print", args=[knowledge_set.pk]))
    assert printed.status_code == 200
    html = printed.content.decode()
    assert 'href="#sec-1"' in html and "knowledge/knowledge.css" in html and "navbar" not in html


def test_views_are_counted_once_per_person_and_day(client_as, people):
    knowledge_set = set_for(people, Status.PUBLISHED)
    for role in ["staff", "staff", "member", "staff"]:
        client_as(role).get(knowledge_set.get_absolute_url())
    knowledge_set.refresh_from_db()
    assert knowledge_set.view_count == 2
    ReadingDay.objects.update(day=timezone.localdate() - dt.timedelta(days=1))
    client_as("staff").get(knowledge_set.get_absolute_url())
    knowledge_set.refresh_from_db()
    assert knowledge_set.view_count == 3


def test_was_it_useful_is_one_answer_per_person_that_may_change(client_as, people):
    knowledge_set = set_for(people, Status.PUBLISHED)
    url = reverse("knowledge:vote", args=[knowledge_set.pk])
    client = client_as("staff")
    client.post(url, {"useful": "yes"})
    client.post(url, {"useful": "yes"})
    client.post(url, {"useful": "no"})
    client_as("head").post(url, {"useful": "yes"})
    client_as("head").post(url, {"useful": "maybe"})
    assert sorted(Vote.objects.values_list("person__username", "useful")) == [
        ("r_head", True),
        ("r_staff", False),
    ]
    page = client_as("staff").get(knowledge_set.get_absolute_url())
    assert page.context["votes"] == {"yes": 1, "no": 1, "mine": False}


def test_readers_comment_ask_and_get_answers(client_as, people):
    knowledge_set = set_for(people, Status.PUBLISHED)
    url = reverse("knowledge:comment", args=[knowledge_set.pk])
    client_as("staff").post(url, {"kind": "question", "body": "ต้องใช้เอกสารกี่ชุด", "section": ""})
    question = knowledge_set.comments.get()
    assert question.kind == CommentKind.QUESTION
    client_as("member").post(url, {"kind": "question", "body": "สี่ชุดครับ", "parent": question.pk})
    answer = question.replies.get()
    assert answer.kind == CommentKind.COMMENT and answer.author == people["member"]
    page = client_as("staff").get(knowledge_set.get_absolute_url()).content.decode()
    assert "ต้องใช้เอกสารกี่ชุด" in page and "สี่ชุดครับ" in page
    # The author hears of the question, the asker of the answer.
    assert people["member"].notifications.filter(kind="knowledge.question").exists()
    assert people["staff"].notifications.filter(kind="knowledge.commented").exists()


def test_review_comments_stay_with_the_people_involved(client_as, people):
    knowledge_set = set_for(people, Status.IN_REVIEW, published=True)
    client_as("secretary").post(
        reverse("knowledge:comment", args=[knowledge_set.pk]),
        {"kind": "review", "body": "ควรเพิ่มตัวอย่างแบบฟอร์ม", "section": "ขั้นตอน"},
    )
    comment = knowledge_set.comments.get()
    assert (comment.kind, comment.section) == (CommentKind.REVIEW, "ขั้นตอน")
    working = client_as("member").get(reverse("knowledge:working", args=[knowledge_set.pk]))
    assert "ควรเพิ่มตัวอย่างแบบฟอร์ม" in working.content.decode()
    reader = client_as("staff").get(knowledge_set.get_absolute_url())
    assert "ควรเพิ่มตัวอย่างแบบฟอร์ม" not in reader.content.decode()
    delete = reverse("knowledge:comment_delete", args=[comment.pk])
    assert client_as("staff").post(delete).status_code == 404


def test_an_empty_or_too_long_comment_is_refused(client_as, people):
    knowledge_set = set_for(people, Status.PUBLISHED)
    url = reverse("knowledge:comment", args=[knowledge_set.pk])
    client_as("staff").post(url, {"kind": "comment", "body": "   "})
    client_as("staff").post(url, {"kind": "comment", "body": "ก" * 4001})
    client_as("staff").post(url, {"kind": "review", "body": "ไม่ใช่ผู้ตรวจ"})
    assert not knowledge_set.comments.exists()


def test_related_sets_and_documents(client_as, people):
    tag = TagFactory(name="การจัดตั้งสหกรณ์")
    knowledge_set = set_for(people, Status.PUBLISHED)
    knowledge_set.tags.add(tag)
    other = set_for(people, Status.PUBLISHED)
    other.tags.add(tag)
    hidden = set_for(people, Status.DRAFT)
    hidden.tags.add(tag)
    document = DocumentFactory(title="คู่มือการจัดตั้งสหกรณ์")
    document.tags.add(tag)
    page = client_as("staff").get(knowledge_set.get_absolute_url())
    assert page.context["related_sets"] == [other]
    assert page.context["related_documents"] == [document]


# --- Lists ---------------------------------------------------------------------------------------
def test_the_list_shows_published_sets_and_filters_them(client_as, people):
    group = TeamFactory(name="กลุ่ม KM ที่ 2", kind=TeamKind.KM_GROUP)
    tag = TagFactory(name="AAR")
    parent = CategoryFactory(name="การจัดการความรู้")
    child = CategoryFactory(name="บทเรียน", parent=parent)
    aar = set_for(people, Status.PUBLISHED, kind=SetKind.LESSONS_LEARNED, group=group,
                  km_step=KMStep.LEARN, category=child)  # fmt: skip
    aar.tags.add(tag)
    how_to = set_for(people, Status.PUBLISHED)
    draft = set_for(people, Status.DRAFT)
    retired = set_for(people, Status.ARCHIVED)
    client = client_as("staff")

    def shown(**query):
        response = client.get(reverse("knowledge:list"), query)
        assert response.status_code == 200
        return {item.pk for item in response.context["object_list"]}

    assert shown() == {aar.pk, how_to.pk}
    assert draft.pk not in shown() and retired.pk not in shown()
    assert shown(kind="lessons_learned") == {aar.pk}
    assert shown(km_step="learn") == {aar.pk}
    assert shown(group=group.pk) == {aar.pk}
    assert shown(tag=tag.pk) == {aar.pk}
    assert shown(category=parent.pk) == {aar.pk}  # a category includes those below it
    assert shown(q="AAR") == {aar.pk}
    assert shown(sort="-views") == {aar.pk, how_to.pk}
    facets = client.get(reverse("knowledge:list")).context["facets"]
    assert ("lessons_learned", SetKind.LESSONS_LEARNED.label, 1) in facets["kinds"]
    assert (group, 1) in facets["groups"]


def test_the_list_runs_a_bounded_number_of_queries(
    client_as, people, django_assert_max_num_queries
):
    group = TeamFactory(name="กลุ่ม KM ที่ 3", kind=TeamKind.KM_GROUP)
    tags = [TagFactory(name=f"ป้าย {n}") for n in range(3)]
    for n in range(30):
        knowledge_set = set_for(people, Status.PUBLISHED, group=group, title=f"ชุดความรู้ {n}")
        knowledge_set.tags.set(tags)
        CommentFactory(knowledge_set=knowledge_set)
    client = client_as("staff")
    client.get(reverse("knowledge:list"))  # warm the session and role caches
    with django_assert_max_num_queries(16):  # 15, and the bell's unread count since issue 14
        response = client.get(reverse("knowledge:list"))
    assert len(response.context["object_list"]) == 20


def test_the_workbench_runs_a_bounded_number_of_queries(
    client_as, people, django_assert_max_num_queries
):
    for n in range(25):
        set_for(people, [Status.DRAFT, Status.SUBMITTED, Status.PUBLISHED][n % 3])
    client = client_as("head")
    client.get(reverse("knowledge:workbench"))
    with django_assert_max_num_queries(16):
        response = client.get(reverse("knowledge:workbench"))
    assert len(response.context["waiting"]) == 8  # those submitted, waiting for the head


def test_the_workbench_lists_what_waits_for_each_person(client_as, people):
    draft = set_for(people, Status.DRAFT)
    submitted = set_for(people, Status.SUBMITTED)
    approved = set_for(people, Status.APPROVED)
    member = client_as("member").get(reverse("knowledge:workbench")).context
    assert [s.pk for s in member["waiting"]] == [draft.pk]
    reviewer = client_as("secretary").get(reverse("knowledge:workbench")).context
    assert [s.pk for s in reviewer["waiting"]] == [submitted.pk]
    head = client_as("head").get(reverse("knowledge:workbench")).context
    assert {s.pk for s in head["waiting"]} == {submitted.pk, approved.pk}
    assert client_as("staff").get(reverse("knowledge:workbench")).context["waiting"] == []


# --- Home page and people's pages ----------------------------------------------------------------
def test_sets_past_their_review_date_show_on_the_owners_and_the_heads_home_page(client_as, people):
    overdue = set_for(people, Status.PUBLISHED, title="ชุดความรู้ที่ถึงกำหนดทบทวน")
    KnowledgeSet.objects.filter(pk=overdue.pk).update(
        review_due=timezone.localdate() - dt.timedelta(days=3)
    )
    for role, shown in [("member", True), ("head", True), ("staff", False), ("secretary", False)]:
        home = client_as(role).get("/").content.decode()
        box = home.split("km-for-you", 1)[1].split("</section>", 1)[0]
        assert ("ชุดความรู้ที่ถึงกำหนดทบทวน" in box) is shown, role


def test_owners_confirm_a_set_is_still_current(client_as, people):
    knowledge_set = set_for(people, Status.PUBLISHED)
    KnowledgeSet.objects.filter(pk=knowledge_set.pk).update(
        review_due=timezone.localdate() - dt.timedelta(days=3)
    )
    next_year = timezone.localdate() + dt.timedelta(days=365)
    typed = f"{next_year.day}/{next_year.month}/{next_year.year + 543}"
    response = client_as("member").post(
        reverse("knowledge:confirm", args=[knowledge_set.pk]), {"review_due": typed}
    )
    knowledge_set.refresh_from_db()
    assert response.status_code == 302 and knowledge_set.review_due == next_year
    assert knowledge_set.transitions.get().action == "confirm"
    client_as("member").post(
        reverse("knowledge:confirm", args=[knowledge_set.pk]), {"review_due": "01/01/2500"}
    )
    knowledge_set.refresh_from_db()
    assert knowledge_set.review_due == next_year


def test_a_persons_page_lists_the_sets_they_wrote_that_the_viewer_may_open(client_as, people):
    published = set_for(people, Status.PUBLISHED, title="ชุดที่เผยแพร่แล้ว")
    set_for(people, Status.DRAFT, title="ชุดที่ยังเป็นร่าง")
    url = reverse("accounts:person", args=[people["member"].username])
    staff_view = client_as("staff").get(url).content.decode()
    assert "ชุดที่เผยแพร่แล้ว" in staff_view and "ชุดที่ยังเป็นร่าง" not in staff_view
    head_view = client_as("head").get(url).content.decode()
    assert "ชุดที่ยังเป็นร่าง" in head_view
    assert published.get_absolute_url() in head_view


def test_new_sets_show_on_the_home_page(client_as, people):
    set_for(people, Status.PUBLISHED, title="ชุดความรู้ใหม่ล่าสุด")
    set_for(people, Status.DRAFT, title="ร่างที่ไม่ควรเห็น")
    home = client_as("staff").get("/").content.decode()
    assert "ชุดความรู้ใหม่ล่าสุด" in home and "ร่างที่ไม่ควรเห็น" not in home


def test_services_refuse_comments_and_votes_on_unpublished_sets(people):
    draft = set_for(people, Status.DRAFT)
    with pytest.raises(services.WorkflowError):
        services.vote_cast(by=people["admin"], knowledge_set=draft, useful=True)
    with pytest.raises(services.WorkflowError):
        services.comment_add(
            by=people["admin"], knowledge_set=draft, kind=CommentKind.COMMENT, body="x"
        )


def test_a_reviewer_cannot_be_made_an_author(client_as, people):
    knowledge_set = set_for(people, Status.DRAFT)
    response = client_as("member").post(
        reverse("knowledge:update", args=[knowledge_set.pk]),
        form_data(people, authors=[people["member"].pk, people["secretary"].pk]),
    )
    assert response.status_code == 200 and "authors" in response.context["form"].errors
    assert list(knowledge_set.authors.all()) == [people["member"]]


def test_a_retired_set_says_why_to_the_people_involved(client_as, people):
    knowledge_set = set_for(people, Status.PUBLISHED)
    services.set_transition(
        by=people["cko"], knowledge_set=knowledge_set, action="archive", note="ใช้ระเบียบใหม่แทน"
    )
    page = client_as("member").get(knowledge_set.get_absolute_url()).content.decode()
    assert "ใช้ระเบียบใหม่แทน" in page and 'data-step="reinstate"' not in page
    head = client_as("head").get(knowledge_set.get_absolute_url()).content.decode()
    assert 'data-step="reinstate"' in head
    assert client_as("staff").get(knowledge_set.get_absolute_url()).status_code == 404
