import hashlib
import io
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.library.models import AccessLevel, Document, DocumentFile, DocumentType, TextStatus
from tests.library.factories import (
    CategoryFactory,
    DocumentFactory,
    DocumentFileFactory,
    TagFactory,
)

pytestmark = pytest.mark.django_db

THAI_TEXT = "หนังสือเวียนเรื่องการประชุมใหญ่สามัญประจำปีของสหกรณ์"


def upload_data(**changes):
    data = {
        "title": "หนังสือเวียน เรื่อง การประชุมใหญ่",
        "doc_type": DocumentType.CIRCULAR,
        "number": "กษ 1104/ว 210",
        "agency": "กรมส่งเสริมสหกรณ์",
        "issued_on": "02/03/2552",
        "tag_names": "การประชุมใหญ่, สหกรณ์",
        "access": AccessLevel.ALL_STAFF,
        "files": [SimpleUploadedFile("ว210 การประชุมใหญ่.txt", THAI_TEXT.encode("tis-620"))],
    }
    data.update(changes)
    return data


def stored_files() -> set[Path]:
    return {p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()}


def test_upload_a_document_and_download_it_under_its_thai_name(client_as):
    client = client_as("member")
    response = client.post(reverse("library:create"), upload_data())
    assert response.status_code == 302
    document = Document.objects.get()
    assert document.issued_on.isoformat() == "2009-03-02"
    assert sorted(t.name for t in document.tags.all()) == ["การประชุมใหญ่", "สหกรณ์"]
    stored = document.files.get()
    assert stored.original_name == "ว210 การประชุมใหญ่.txt"
    assert "การประชุม" not in stored.file.name  # generated name on disk
    assert stored.mime == "text/plain"
    assert stored.text_status == TextStatus.DONE
    assert stored.text == THAI_TEXT  # TIS-620 decoded
    assert len(stored.sha256) == 64

    download = client_as("staff").get(stored.get_absolute_url())
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert f"filename*=utf-8''{quote('ว210 การประชุมใหญ่.txt')}" in download["Content-Disposition"]
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == THAI_TEXT.encode("tis-620")


def test_a_duplicate_upload_points_to_the_existing_document(client_as):
    client = client_as("member")
    client.post(reverse("library:create"), upload_data())
    first = Document.objects.get()
    before = stored_files()
    response = client.post(reverse("library:create"), upload_data(title="ชื่ออื่น"))
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["files"])
    assert first.get_absolute_url() in errors
    assert Document.objects.count() == 1
    assert stored_files() == before


def test_html_is_never_served_inline(client_as):
    client = client_as("member")
    html = b"<!doctype html><html><body><script>alert(1)</script>hello</body></html>"
    client.post(
        reverse("library:create"),
        upload_data(files=[SimpleUploadedFile("page.pdf", html, "application/pdf")]),
    )
    stored = DocumentFile.objects.get()
    assert stored.mime == "text/html"  # sniffed from the content, not the name
    assert not stored.inline_safe
    response = client.get(stored.get_absolute_url() + "?inline=1")
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Type"] == "application/octet-stream"
    assert "sandbox" in response["Content-Security-Policy"]


def upload_pdf(client) -> DocumentFile:
    """Upload a one-page PDF (made by Pillow) through the form; return its stored file."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (100, 140), "white").save(buffer, format="PDF")
    client.post(
        reverse("library:create"),
        upload_data(files=[SimpleUploadedFile("คู่มือ.pdf", buffer.getvalue())]),
    )
    return DocumentFile.objects.get()


def test_a_pdf_may_be_previewed_inline(client_as):
    client = client_as("member")
    stored = upload_pdf(client)
    assert stored.mime == "application/pdf" and stored.inline_safe
    response = client.get(stored.get_absolute_url() + "?inline=1")
    assert response["Content-Disposition"].startswith("inline")
    assert response["Content-Type"] == "application/pdf"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": ""}, "title"),
        ({"issued_on": "31/02/2552"}, "issued_on"),
        ({"access": AccessLevel.TEAM}, "access_team"),
        ({"files": []}, "files"),
        ({"effective_on": "01/01/2550"}, "effective_on"),
    ],
)
def test_bad_input_saves_nothing(client_as, changes, field):
    before = stored_files()
    response = client_as("member").post(reverse("library:create"), upload_data(**changes))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Document.objects.exists()
    assert stored_files() == before


def test_an_oversized_file_is_refused(client_as, settings):
    settings.LIBRARY_MAX_UPLOAD_BYTES = 10
    response = client_as("member").post(reverse("library:create"), upload_data())
    assert "files" in response.context["form"].errors
    assert not Document.objects.exists()


def test_a_replaced_document_points_to_the_newer_one(client_as):
    newer = DocumentFactory(title="ฉบับปรับปรุง")
    older = DocumentFactory(title="ฉบับเดิม", replaced_by=newer)
    response = client_as("staff").get(older.get_absolute_url())
    assert response.context["replaced_by"] == newer
    html = response.content.decode()
    assert "replaced-banner" in html and newer.get_absolute_url() in html
    assert older in client_as("staff").get(newer.get_absolute_url()).context["replaces"]


def test_the_banner_does_not_reveal_a_newer_document_one_may_not_open(client_as, people):
    from apps.teams.models import Team

    group = Team.objects.get(name="กลุ่ม KM ที่ 1")
    newer = DocumentFactory(title="ฉบับลับ", access=AccessLevel.TEAM, access_team=group)
    older = DocumentFactory(title="ฉบับเดิม", replaced_by=newer)
    response = client_as("staff").get(older.get_absolute_url())
    assert "ฉบับลับ" not in response.content.decode()


def test_shelves_filter_by_type_category_tree_tag_year_and_agency(client_as):
    law = CategoryFactory(name="กฎหมาย")
    acts = CategoryFactory(name="พระราชบัญญัติ", parent=law)
    tag = TagFactory(name="บัญชีสหกรณ์")
    act = DocumentFactory(
        doc_type=DocumentType.LAW, category=acts, agency="กฤษฎีกา", number="นร 0505/ว 77"
    )
    act.issued_on = __import__("datetime").date(1999, 4, 13)
    act.save()
    circular = DocumentFactory(doc_type=DocumentType.CIRCULAR)
    circular.tags.add(tag)
    client = client_as("staff")

    def titles(**params):
        return {d.pk for d in client.get(reverse("library:list"), params).context["object_list"]}

    assert titles(doc_type="law") == {act.pk}
    assert titles(category=law.pk) == {act.pk}  # everything below the category too
    assert titles(tag=tag.pk) == {circular.pk}
    assert titles(year=2542) == {act.pk}
    assert titles(year=1999) == {act.pk}
    assert titles(agency="กฤษฎีกา") == {act.pk}
    assert titles(q=act.number) == {act.pk}
    tree = client.get(reverse("library:list")).context["tree"]
    assert tree[0].category == law and tree[0].count == 1 and tree[0].children[0].count == 1


def test_shelves_run_a_bounded_number_of_queries(client_as, django_assert_max_num_queries):
    client = client_as("member")
    categories = [CategoryFactory() for _ in range(5)]
    tags = [TagFactory() for _ in range(5)]
    for index in range(45):
        stored = DocumentFileFactory(document__category=categories[index % 5])
        stored.document.tags.add(tags[index % 5], tags[(index + 1) % 5])
    with django_assert_max_num_queries(17):
        response = client.get(reverse("library:list"))
    assert len(response.context["object_list"]) == 20
    # The page's body is kept while the library is unchanged: only what its key is made of
    # is read (issue 20).
    with django_assert_max_num_queries(7):
        client.get(reverse("library:list"))
    # The shelf counts are kept too, for another page of the same list.
    with django_assert_max_num_queries(13):
        client.get(reverse("library:list"), {"page": 2})
    # A filter set's first page counts its facets within the filters (five grouped counts,
    # issue 16); they are kept for the next page with the same filters.
    filtered = {"category": categories[0].pk, "sort": "title"}
    with django_assert_max_num_queries(22):
        client.get(reverse("library:list"), filtered)
    with django_assert_max_num_queries(17):
        client.get(reverse("library:list"), {**filtered, "page": 2})


def test_document_page_runs_a_bounded_number_of_queries(client_as, django_assert_max_num_queries):
    client = client_as("member")
    document = DocumentFileFactory().document
    for _ in range(10):
        DocumentFileFactory(document=document, is_main=False)
    with django_assert_max_num_queries(16):
        assert client.get(document.get_absolute_url()).status_code == 200


def test_editing_keeps_files_and_updates_tags(client_as, people):
    stored = DocumentFileFactory(document__uploaded_by=people["member"])
    document = stored.document
    response = client_as("member").post(
        reverse("library:update", args=[document.pk]),
        {
            "title": "ชื่อใหม่",
            "doc_type": DocumentType.MANUAL,
            "access": AccessLevel.KM_TEAM,
            "tag_names": "คู่มือ",
        },
    )
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.title == "ชื่อใหม่" and document.access == AccessLevel.KM_TEAM
    assert [t.name for t in document.tags.all()] == ["คู่มือ"]
    assert document.files.count() == 1


def test_deleting_removes_the_files_from_disk(client_as, django_capture_on_commit_callbacks):
    stored = DocumentFileFactory()
    path = Path(stored.file.path)
    assert path.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as("secretary").post(reverse("library:delete", args=[stored.document.pk]))
    assert response.status_code == 302
    assert not Document.objects.exists()
    assert not path.exists()


def test_an_image_gets_a_thumbnail(client_as):
    from tests.library.samples import png_bytes

    client = client_as("member")
    client.post(
        reverse("library:create"),
        upload_data(files=[SimpleUploadedFile("แผนผัง.png", png_bytes((1200, 800)))]),
    )
    stored = DocumentFile.objects.get()
    assert stored.text_status == TextStatus.NONE
    assert stored.thumbnail
    response = client.get(reverse("library:thumbnail", args=[stored.pk]))
    assert response["Content-Type"] == "image/png"


@pytest.mark.parametrize(
    ("name", "make", "reason"),
    [
        ("คู่มือ.docx", "docx_zip_bomb", "zip bomb"),
        ("หนังสือเวียน.pdf", "pdf_bomb", "decompression bomb"),
        ("ภาพ.png", "png_bomb", "decompression bomb"),
        ("หนังสือเวียน.pdf", "html", "type mismatch"),
    ],
)
def test_a_hostile_file_keeps_its_document_marked_text_not_extracted(client_as, name, make, reason):
    from tests.library import samples

    data = b"<html><body>x</body></html>" if make == "html" else getattr(samples, make)()
    response = client_as("member").post(
        reverse("library:create"), upload_data(files=[SimpleUploadedFile(name, data)])
    )
    assert response.status_code == 302
    document = Document.objects.get()
    assert document.title == "หนังสือเวียน เรื่อง การประชุมใหญ่"  # the metadata is kept
    stored = document.files.get()
    assert stored.text_status == TextStatus.FAILED
    assert reason in stored.text_error
    page = client_as("staff").get(document.get_absolute_url()).content.decode()
    assert stored.text_error in page


def test_editing_keeps_a_replacement_the_editor_may_not_open_and_does_not_show_it(
    client_as, people
):
    """GIVEN a document the member uploaded, marked as replaced by a newer one restricted to a
    team the member is not in, WHEN the member edits it, THEN the form neither names the newer
    document nor drops the link on save."""
    from tests.factories import TeamFactory

    hidden = DocumentFactory(
        title="ฉบับใหม่ลับเฉพาะกลุ่ม", access=AccessLevel.TEAM, access_team=TeamFactory()
    )
    document = DocumentFactory(uploaded_by=people["member"], replaced_by=hidden)
    client = client_as("member")
    page = client.get(reverse("library:update", args=[document.pk]))
    assert page.status_code == 200
    assert "ฉบับใหม่ลับเฉพาะกลุ่ม" not in page.content.decode()
    assert "replaced_by" not in page.context["form"].fields
    response = client.post(
        reverse("library:update", args=[document.pk]),
        {
            "title": "ชื่อใหม่",
            "doc_type": DocumentType.MANUAL,
            "access": AccessLevel.ALL_STAFF,
            "tag_names": "",
        },
    )
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.title == "ชื่อใหม่"
    assert document.replaced_by_id == hidden.pk


@pytest.mark.django_db(transaction=True)
def test_an_upload_keeps_its_file_when_the_request_dies_after_the_commit(
    client_as, cut_short_after_commit
):
    """GIVEN an upload that has committed WHEN the request is cut short afterwards (gunicorn's
    worker timeout in the index update after the commit) THEN the document keeps its file."""
    client = client_as("member")
    with pytest.raises(SystemExit), cut_short_after_commit(DocumentFile):
        client.post(reverse("library:create"), upload_data())
    stored = DocumentFile.objects.get()
    assert Path(stored.file.path).read_bytes() == THAI_TEXT.encode("tis-620")


@pytest.mark.django_db(transaction=True)
def test_added_files_stay_when_the_request_dies_after_the_commit(client_as, cut_short_after_commit):
    client = client_as("secretary")
    client.post(reverse("library:create"), upload_data())
    document = Document.objects.get()
    with pytest.raises(SystemExit), cut_short_after_commit(DocumentFile):
        client.post(
            reverse("library:add_files", args=[document.pk]),
            {"files": [SimpleUploadedFile("ภาคผนวก.txt", "ภาคผนวกของหนังสือเวียน".encode())]},
        )
    assert document.files.count() == 2
    assert all(Path(stored.file.path).exists() for stored in document.files.all())


@pytest.mark.django_db(transaction=True)
def test_a_thumbnail_stays_when_something_fails_after_its_commit(cut_short_after_commit):
    """GIVEN an image whose thumbnail and text status were saved WHEN a hook after that
    commit fails THEN the thumbnail the row points to is still on disk."""
    from django.core.files.base import ContentFile

    from apps.library import services
    from tests.library.samples import png_bytes

    data = png_bytes((1200, 800))
    stored = DocumentFileFactory(
        file=ContentFile(data, name="plan.png"),
        original_name="แผนผัง.png",
        sha256=hashlib.sha256(data).hexdigest(),
        mime="image/png",
        text="",
        text_status=TextStatus.PENDING,
    )
    with (
        pytest.raises(RuntimeError),
        cut_short_after_commit(DocumentFile, error=RuntimeError("after the commit")),
    ):
        services.extract_file_text(stored.pk)
    stored.refresh_from_db()
    assert stored.thumbnail and stored.thumbnail.storage.exists(stored.thumbnail.name)


def test_shelf_counts_follow_every_change_and_count_only_what_the_reader_may_open(
    client_as, people
):
    """GIVEN shelf counts already shown (and kept, issue 20) WHEN documents are added, edited
    (type, tags, access) and removed THEN the next page counts the library as it is now, and a
    document restricted to a team is counted for its members only."""
    from apps.teams.models import Team

    group = Team.objects.get(name="กลุ่ม KM ที่ 1")
    law = CategoryFactory(name="กฎหมาย")
    tag = TagFactory(name="บัญชีสหกรณ์")
    first = DocumentFactory(doc_type=DocumentType.LAW, category=law, agency="กฤษฎีกา")

    def panel(role):
        context = client_as(role).get(reverse("library:list")).context
        facets = context["facets"]
        return (
            {value: n for value, _label, n in facets["types"]},
            {t.name: t.n for t in facets["tags"]},
            dict(facets["agencies"]),
            context["tree"][0].count,
        )

    assert panel("staff") == ({"law": 1}, {}, {"กฤษฎีกา": 1}, 1)
    second = DocumentFactory(doc_type=DocumentType.LAW, category=law, agency="กฤษฎีกา")
    assert panel("staff") == ({"law": 2}, {}, {"กฤษฎีกา": 2}, 2)
    second.doc_type = DocumentType.ORDER
    second.save()
    second.tags.add(tag)
    assert panel("staff")[0] == {"law": 1, "order": 1}
    tag.name = "บัญชี"
    tag.save()
    assert panel("staff")[1] == {"บัญชี": 1}
    second.access, second.access_team = AccessLevel.TEAM, group
    second.save()
    assert panel("staff") == ({"law": 1}, {}, {"กฤษฎีกา": 1}, 1)
    assert panel("member") == ({"law": 1, "order": 1}, {"บัญชี": 1}, {"กฤษฎีกา": 2}, 2)
    first.delete()
    assert panel("staff") == ({}, {}, {}, 0)
    assert panel("member") == ({"order": 1}, {"บัญชี": 1}, {"กฤษฎีกา": 1}, 1)


@pytest.mark.parametrize("count_links_up_to", [250, 0], ids=["counted", "walked"])
def test_related_documents_most_shared_tags_first_then_the_shelf_only_what_one_may_open(
    people, monkeypatch, count_links_up_to
):
    """GIVEN documents sharing tags and a category with one, some restricted to a team WHEN its
    related documents are listed THEN the same list as the one "shares a tag or the category"
    query gave, ranked by shared tags then date, for each reader (issue 20 split it in two),
    whether the sharing documents are counted or walked newest first (a common tag)."""
    import datetime as dt
    import random

    from django.db.models import Count, Q

    from apps.library import selectors
    from apps.teams.models import Team

    monkeypatch.setattr(selectors, "COUNT_LINKS_UP_TO", count_links_up_to)
    group = Team.objects.get(name="กลุ่ม KM ที่ 1")
    rng = random.Random(20)
    shelves = [CategoryFactory(), CategoryFactory()]
    tags = [TagFactory() for _ in range(4)]
    documents = []
    for index in range(40):
        restricted = rng.random() < 0.3
        document = DocumentFactory(
            category=rng.choice([*shelves, None]),
            issued_on=dt.date(2000 + index % 7, 1, 1) if rng.random() < 0.8 else None,
            access=AccessLevel.TEAM if restricted else AccessLevel.ALL_STAFF,
            access_team=group if restricted else None,
        )
        document.tags.set(rng.sample(tags, rng.randint(0, 3)))
        documents.append(document)

    def before(document, user, limit=6):  # the query this replaced, with a tie-breaker
        tag_ids = list(document.tags.values_list("pk", flat=True))
        if not tag_ids and not document.category_id:
            return []
        condition = Q(tags__in=tag_ids) if tag_ids else Q(pk__in=[])
        if document.category_id:
            condition |= Q(category_id=document.category_id)
        return list(
            Document.objects.visible_to(user)
            .filter(condition)
            .exclude(pk=document.pk)
            .annotate(shared=Count("tags", filter=Q(tags__in=tag_ids), distinct=True))
            .order_by("-shared", "-issued_on", "-pk")[:limit]
        )

    for role in ("staff", "member"):
        for document in documents:
            related = selectors.related_documents(document, user=people[role])
            assert [d.pk for d in related] == [d.pk for d in before(document, people[role])]
            if role == "staff":
                assert all(d.access == AccessLevel.ALL_STAFF for d in related)


def test_related_documents_follow_the_library_and_never_show_what_is_closed(people):
    """GIVEN a document whose related list was read once WHEN another document gets its tag
    THEN the list has it; and WHEN a related document is closed to a team behind the services'
    back (no save) THEN the list no longer shows it."""
    from apps.library import selectors
    from apps.teams.models import Team

    tag = TagFactory()
    first, second, third = (DocumentFactory(access=AccessLevel.ALL_STAFF) for _ in range(3))
    first.tags.add(tag)
    second.tags.add(tag)
    second.save()
    staff = people["staff"]
    assert [d.pk for d in selectors.related_documents(first, user=staff)] == [second.pk]

    third.tags.add(tag)
    third.save()
    assert {d.pk for d in selectors.related_documents(first, user=staff)} == {second.pk, third.pk}

    group = Team.objects.get(name="กลุ่ม KM ที่ 1")
    Document.objects.filter(pk=second.pk).update(access=AccessLevel.TEAM, access_team=group)
    assert [d.pk for d in selectors.related_documents(first, user=staff)] == [third.pk]


def test_document_tags_say_how_many_documents_carry_each(people):
    """The document page's tags come with their use counts in one query: the related list
    chooses by them how to find the documents sharing them."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from apps.library import selectors

    common, rare, unused = TagFactory(name="ก-common"), TagFactory(name="ข-rare"), TagFactory()
    first, *others = (DocumentFactory() for _ in range(4))
    first.tags.add(common, rare)
    for other in others:
        other.tags.add(common)
    with CaptureQueriesContext(connection) as queries:
        tags = selectors.document_tags(first)
    assert len(queries) == 1
    assert [(tag.pk, tag.uses) for tag in tags] == [(common.pk, 4), (rare.pk, 1)]
    assert unused.pk not in {tag.pk for tag in tags}


def test_related_documents_from_the_pages_tags_are_those_read_by_the_selector(people):
    """The document page hands over the tags it shows; the list is the one the selector finds
    reading them itself, and it reads only what the list shows."""
    from apps.library import selectors

    tags = [TagFactory() for _ in range(3)]
    first, *others = (DocumentFactory(access=AccessLevel.ALL_STAFF) for _ in range(5))
    first.tags.add(*tags)
    for index, other in enumerate(others):
        other.tags.add(*tags[: index % 3 + 1])
    staff = people["staff"]
    read = selectors.related_documents(first, user=staff)
    handed = selectors.related_documents(first, user=staff, tags=selectors.document_tags(first))
    assert [(d.pk, d.shared) for d in handed] == [(d.pk, d.shared) for d in read]
    assert read and set(read[0].get_deferred_fields()) >= {"description", "agency"}


def test_the_document_page_shows_its_shelf_from_the_top_and_follows_a_move(client_as):
    """GIVEN a document on a shelf two levels down WHEN its page is opened THEN the path reads
    from the top shelf down (breadcrumbs and details); and after the middle shelf moves under
    another one, the page shows the new path."""
    top, other = CategoryFactory(name="กฎหมาย"), CategoryFactory(name="ระเบียบ")
    middle = CategoryFactory(name="พระราชบัญญัติ", parent=top)
    shelf = CategoryFactory(name="สหกรณ์", parent=middle)
    document = DocumentFactory(category=shelf, access=AccessLevel.ALL_STAFF)
    client = client_as("staff")
    path = [c.name for c in client.get(document.get_absolute_url()).context["category_path"]]
    assert path == ["กฎหมาย", "พระราชบัญญัติ", "สหกรณ์"]
    middle.parent = other
    middle.save()
    page = client.get(document.get_absolute_url())
    assert [c.name for c in page.context["category_path"]] == ["ระเบียบ", "พระราชบัญญัติ", "สหกรณ์"]
    assert "ระเบียบ</a> › <a" in page.content.decode()
