"""Scanned documents become searchable: OCR through the upload, page by page, its limits, the
portal without Tesseract, the editor's correction and the re-run.

Tests that read real scans need ``tesseract`` with the Thai model (Debian: tesseract-ocr
tesseract-ocr-tha, which ``.ci/run`` installs); elsewhere they are skipped with that reason.
The rest fake the reader or pretend Tesseract is absent, and run everywhere.
"""

import io
import time

import pytest
from auditlog.models import LogEntry
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils.translation import gettext as _

from apps.core.concurrency import StaleEditError
from apps.library import ocr, services
from apps.library.extraction import ocr as ocr_child
from apps.library.extraction.sandbox import OcrOutcome, ocr_in_child
from apps.library.models import AccessLevel, DocumentType, OcrStatus, OcrText, TextStatus
from apps.ops import health
from apps.search import indexing
from apps.search.engine import SearchRequest
from apps.search.searching import viewer_for
from tests.library import scans
from tests.library.factories import DocumentFactory, DocumentFileFactory

pytestmark = pytest.mark.django_db

# KM_TESSERACT=/nonexistent pytest ... runs this file as on a machine without Tesseract.
TESSERACT = settings.LIBRARY_TESSERACT
HAS_TESSERACT = ocr_child.find_engine(TESSERACT) is not None
needs_tesseract = pytest.mark.skipif(
    not HAS_TESSERACT,
    reason="tesseract with the Thai model is not installed "
    "(apt-get install tesseract-ocr tesseract-ocr-tha; README, OCR)",
)

CIRCULAR = "หนังสือเวียนเรื่องการประชุมสหกรณ์ประจำปี นำเสนอผลการดำเนินงาน"
LEDGER = "ทะเบียนลูกหนี้เงินกู้สามัญ สมาชิกสหกรณ์"


@pytest.fixture
def search_index(settings, tmp_path):
    settings.SEARCH_INDEX_DIR = tmp_path / "index"
    yield indexing.flush
    indexing.get_engine().close()


@pytest.fixture
def no_tesseract(settings):
    """Pretend Tesseract is not installed (a plain ``make run`` without root)."""
    settings.LIBRARY_TESSERACT = "/nonexistent/tesseract"


def found(text, user) -> set[str]:
    request = SearchRequest(viewer=viewer_for(user), text=text, page_size=50)
    return {hit.uid for hit in indexing.get_engine().search(request).hits}


def shelve(people, name: str, content: bytes, **details):
    values = {"title": "เอกสารสแกน", "doc_type": DocumentType.CIRCULAR, **details}
    return services.document_create(
        by=people["member"],
        details=services.DocumentDetails(**values),
        files=[SimpleUploadedFile(name, content)],
    )


def png(text=CIRCULAR, **spoilt) -> bytes:
    return scans.as_png(scans.scan(text, dpi=200, **spoilt))


# --- Real scans -------------------------------------------------------------------------------
SCANS = {
    "scan.png": lambda: png(),
    "phone.jpg": lambda: scans.as_jpeg(
        scans.scan(CIRCULAR, dpi=200, rotate=1.0, specks=30), exif_rotated=True
    ),
    "scan.pdf": lambda: scans.image_pdf(scans.scan(CIRCULAR, dpi=200)),
}


@needs_tesseract
@pytest.mark.parametrize("name", SCANS)
def test_a_scan_becomes_findable_by_words_from_its_text(search_index, people, name):
    document = shelve(people, name, SCANS[name]())
    stored = document.files.get()
    assert stored.ocr.status == OcrStatus.DONE
    assert stored.ocr.pages_done == 1 and stored.ocr.confidence > 60
    assert "สหกรณ์" in stored.ocr.machine_text and "นํา" not in stored.ocr.machine_text
    search_index()
    uid = f"document:{document.pk}"
    for word in ("ประชุม", "สหกรณ์", "นำเสนอ"):
        assert uid in found(word, people["staff"]), word


@needs_tesseract
def test_a_page_without_thai_is_read_too(search_index, people):
    document = shelve(people, "audit.png", png("Annual cooperative audit report 2024"))
    search_index()
    assert "audit" in document.files.get().ocr.machine_text.lower()
    assert f"document:{document.pk}" in found("audit", people["staff"])


@needs_tesseract
def test_a_mixed_pdf_reads_only_its_scanned_page(search_index, people):
    content = scans.mixed_pdf("ระเบียบว่าด้วยการบัญชีของสหกรณ์", scans.scan(LEDGER, dpi=200))
    document = shelve(people, "mixed.pdf", content)
    stored = document.files.get()
    assert stored.pages == 2 and "การบัญชี" in stored.text
    assert stored.ocr.pages == [2] and stored.ocr.status == OcrStatus.DONE
    assert "ทะเบียน" not in stored.text and "ทะเบียน" in stored.ocr.machine_text
    search_index()
    uid = f"document:{document.pk}"
    assert uid in found("การบัญชี", people["staff"]) and uid in found("ทะเบียน", people["staff"])


@needs_tesseract
def test_the_page_shows_the_text_as_machine_read_with_its_confidence(client_as, people):
    document = shelve(people, "scan.png", png())
    page = client_as("staff").get(document.get_absolute_url()).content.decode()
    assert 'data-ocr-status="done"' in page and "ประชุม" in page
    assert _("machine-read (OCR)") in page
    confidence = document.files.get().ocr.confidence
    shown = _("confidence %(value)s%%") % {"value": f"{confidence:.0f}"}
    assert shown in page
    assert reverse("library:ocr_correct", args=[document.files.get().pk]) not in page


@needs_tesseract
def test_extract_pending_ocr_reads_what_was_stored_while_ocr_was_missing(
    settings, search_index, people
):
    settings.LIBRARY_TESSERACT = "/nonexistent/tesseract"
    document = shelve(people, "scan.png", png())
    assert document.files.get().ocr.status == OcrStatus.UNAVAILABLE
    settings.LIBRARY_TESSERACT = TESSERACT
    out = io.StringIO()
    call_command("extract_pending", "--ocr", stdout=out)
    assert "OCR: 1 files read, 0 not read." in out.getvalue()
    assert document.files.get().ocr.status == OcrStatus.DONE
    search_index()
    assert f"document:{document.pk}" in found("สหกรณ์", people["staff"])


# --- Limits -----------------------------------------------------------------------------------
def test_a_decompression_bomb_image_is_refused_before_ocr(people, tmp_path):
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("1", (12_000, 12_000), 1).save(buffer, format="PNG")  # 144 MP, a few kB
    document = shelve(people, "bomb.png", buffer.getvalue())
    stored = document.files.get()
    assert stored.text_status == TextStatus.FAILED
    assert stored.text_error.startswith("decompression bomb")
    assert not OcrText.objects.filter(file=stored).exists()


@needs_tesseract
def test_ocr_of_a_huge_page_keeps_to_its_memory_and_time_limits(tmp_path):
    from PIL import Image

    path = tmp_path / "huge.png"
    Image.new("L", (9_000, 9_000), 255).save(path)  # 81 MP: under the bomb check
    started = time.monotonic()
    outcome = ocr_in_child(path, 1, command=TESSERACT, timeout=20, memory_bytes=160 * 1024 * 1024)
    assert not outcome.ok
    assert outcome.reason in {"memory limit exceeded", "timed out after 20 s"}
    assert time.monotonic() - started < 30


def test_the_ocr_job_saves_its_progress_page_by_page(monkeypatch, search_index, people):
    """GIVEN a two-page scan WHEN the job reads it THEN after page 1 the document shows
    "1/2" and search already finds page 1's words; a re-run mid-way stops the old run."""
    monkeypatch.setattr(ocr, "engine", lambda: ocr_child.Engine("fake", "5", ("tha",)))
    seen = []

    def fake_reader(path, page, **kwargs):
        state = OcrText.objects.get()
        seen.append((state.status, state.pages_done))
        if page == 2:
            search_index()
            assert f"document:{state.file.document_id}" in found("ลูกหนี้", people["staff"])
        words = {1: "ลูกหนี้เงินกู้สามัญ", 2: "ทุนเรือนหุ้น"}
        return OcrOutcome(ok=True, text=words[page], confidence=90.0 + page, words=3)

    monkeypatch.setattr(ocr, "ocr_in_child", fake_reader)
    page = scans.scan("ก", dpi=50)
    document = shelve(people, "two.pdf", scans.image_pdf(page, page))
    result = document.files.get().ocr
    assert seen == [(OcrStatus.RUNNING, 0), (OcrStatus.RUNNING, 1)]
    assert result.status == OcrStatus.DONE and result.pages_done == 2
    assert result.machine_text == "ลูกหนี้เงินกู้สามัญ\n\nทุนเรือนหุ้น"
    assert result.confidence == 91.5


def test_a_rerun_while_the_job_reads_stops_the_old_job(monkeypatch, people):
    monkeypatch.setattr(ocr, "engine", lambda: ocr_child.Engine("fake", "5", ("tha",)))
    calls = []

    def reader(path, page, **kwargs):
        calls.append(page)
        if len(calls) == 1:  # someone presses "read again" while page 1 is being read
            stored = OcrText.objects.get().file
            ocr.request_ocr(stored, [1, 2])
        return OcrOutcome(ok=True, text=f"หน้า {page}", confidence=90.0, words=2)

    monkeypatch.setattr(ocr, "ocr_in_child", reader)
    page = scans.scan("ก", dpi=50)
    result = shelve(people, "two.pdf", scans.image_pdf(page, page)).files.get().ocr
    assert calls == [1]  # the old job stopped at once, nothing of it was kept
    assert result.status == OcrStatus.WAITING and result.pages_done == 0 and result.run == 2
    assert ocr.run_ocr(result.file_id).machine_text == "หน้า 1\n\nหน้า 2"
    assert calls == [1, 1, 2]


def test_a_page_that_fails_leaves_the_others_read(monkeypatch, people):
    monkeypatch.setattr(ocr, "engine", lambda: ocr_child.Engine("fake", "5", ("tha",)))

    def reader(path, page, **kwargs):
        if page == 1:
            return OcrOutcome(ok=False, reason="timed out after 120 s")
        return OcrOutcome(ok=True, text="ทุนเรือนหุ้น", confidence=80.0, words=1)

    monkeypatch.setattr(ocr, "ocr_in_child", reader)
    page = scans.scan("ก", dpi=50)
    result = shelve(people, "two.pdf", scans.image_pdf(page, page)).files.get().ocr
    assert result.status == OcrStatus.DONE and result.machine_text == "ทุนเรือนหุ้น"
    assert result.error == "1: timed out after 120 s"


def test_through_the_queue_the_worker_extracts_then_reads_and_the_sweep_restarts_it(
    settings, monkeypatch, people, django_capture_on_commit_callbacks
):
    """GIVEN the queue (jobs run at once in the tests) WHEN a scan is uploaded THEN its
    extraction job starts the OCR job; an OCR run left waiting is restarted by the sweep."""
    from datetime import timedelta

    from django.utils import timezone

    from apps.library import tasks

    settings.LIBRARY_EXTRACTION = "queue"
    monkeypatch.setattr(ocr, "engine", lambda: ocr_child.Engine("fake", "5", ("tha",)))
    reads = []

    def reader(path, page, **kwargs):
        reads.append(page)
        return OcrOutcome(ok=True, text="ทุนเรือนหุ้น", confidence=90.0, words=1)

    monkeypatch.setattr(ocr, "ocr_in_child", reader)
    with django_capture_on_commit_callbacks(execute=True):
        document = shelve(people, "scan.png", png("ก"))
    result = OcrText.objects.get(file__document=document)
    assert reads == [1] and result.status == OcrStatus.DONE
    ocr.request_ocr(result.file, [1])  # waiting again, its job lost
    tasks.extract_waiting.call_local()  # too recent: left to its own job
    assert OcrText.objects.get().status == OcrStatus.WAITING
    OcrText.objects.update(updated_at=timezone.now() - timedelta(hours=1))
    tasks.extract_waiting.call_local()
    assert reads == [1, 1] and OcrText.objects.get().status == OcrStatus.DONE


# --- Without Tesseract ------------------------------------------------------------------------
def test_without_tesseract_the_portal_says_so_plainly(no_tesseract, client_as, people):
    document = shelve(people, "scan.png", png("ก"))
    stored = document.files.get()
    assert stored.ocr.status == OcrStatus.UNAVAILABLE
    page = client_as("staff").get(document.get_absolute_url())
    assert page.status_code == 200
    assert _("Text not read: OCR is not installed — see README") in page.content.decode()
    findings = {finding.key: finding for finding in health.run_checks()}
    assert findings["ocr"].status == health.WARNING
    assert "tesseract-ocr-tha" in findings["ocr"].detail
    out, err = io.StringIO(), io.StringIO()
    call_command("extract_pending", "--ocr", stdout=out, stderr=err)
    assert "OCR is not installed" in err.getvalue()


def test_a_rerun_without_tesseract_warns_and_changes_nothing_else(no_tesseract, client_as, people):
    document = shelve(people, "scan.png", png("ก"))
    stored = document.files.get()
    response = client_as("member").post(reverse("library:ocr_rerun", args=[stored.pk]))
    assert response.status_code == 302
    assert OcrText.objects.get().status == OcrStatus.UNAVAILABLE


@needs_tesseract
def test_doctor_names_the_installed_tesseract(people):
    findings = {finding.key: finding for finding in health.run_checks()}
    assert findings["ocr"].status == health.OK and "tha" in findings["ocr"].detail


# --- Correction -------------------------------------------------------------------------------
def read_document(people, machine_text="รายงานการประชุมใหญ่สามัญประจำปี", **details):
    """A document the member added whose scan was read (without Tesseract: the OCR row as the
    job leaves it)."""
    details.setdefault("uploaded_by", people["member"])
    stored = DocumentFileFactory(
        document=DocumentFactory(**details),
        text="",
        text_status=TextStatus.NONE,
        mime="image/png",
    )
    return OcrText.objects.create(
        file=stored,
        status=OcrStatus.DONE,
        pages=[1],
        pages_done=1,
        machine_text=machine_text,
        confidence=88.0,
    )


def test_the_correction_is_what_search_finds(search_index, people):
    read = read_document(people)
    search_index()
    uid = f"document:{read.file.document_id}"
    assert uid in found("ประชุมใหญ่", people["staff"])
    services.ocr_correct(by=people["member"], ocr_text=read, text="รายงานการสัมมนาวิชาการประจำปี")
    search_index()
    assert uid in found("สัมมนา", people["staff"])
    assert uid not in found("ประชุมใหญ่", people["staff"])
    read.refresh_from_db()
    assert read.machine_text.startswith("รายงานการประชุม")  # the machine's text is kept
    assert read.corrected_by == people["member"]


def test_corrections_are_kept_with_history_and_refused_when_stale(people):
    read = read_document(people)
    shown = read.lock_version
    first = services.ocr_correct(
        by=people["member"], ocr_text=read, text="ฉบับแก้ครั้งแรก", expected_version=shown
    )
    with pytest.raises(StaleEditError):
        services.ocr_correct(
            by=people["member"], ocr_text=read, text="ฉบับที่สอง", expected_version=shown
        )
    services.ocr_correct(
        by=people["member"], ocr_text=first, text="ฉบับที่สอง", expected_version=first.lock_version
    )
    history = LogEntry.objects.get_for_object(read).order_by("timestamp")
    corrections = [entry.changes_dict.get("correction") for entry in history]
    assert ["", "ฉบับแก้ครั้งแรก"] in corrections
    assert ["ฉบับแก้ครั้งแรก", "ฉบับที่สอง"] in corrections


def test_a_correction_from_a_reader_or_too_long_changes_nothing(people):
    read = read_document(people)
    with pytest.raises(PermissionDenied):
        services.ocr_correct(by=people["staff"], ocr_text=read, text="แก้")
    with pytest.raises(ValidationError):
        services.ocr_correct(
            by=people["member"], ocr_text=read, text="ก" * (services.MAX_CORRECTION_CHARS + 1)
        )
    read.refresh_from_db()
    assert read.correction == "" and read.corrected_by is None


def test_correcting_through_the_page(client_as, people):
    read = read_document(people)
    url = reverse("library:ocr_correct", args=[read.file_id])
    client = client_as("member")
    form = client.get(url)
    assert form.status_code == 200 and "รายงานการประชุมใหญ่" in form.content.decode()
    version = form.context["form"]["lock_version"].value()
    response = client.post(url, {"correction": "ข้อความที่แก้แล้ว", "lock_version": version})
    assert response.status_code == 302
    read.refresh_from_db()
    assert read.correction == "ข้อความที่แก้แล้ว"
    page = client.get(read.file.document.get_absolute_url()).content.decode()
    assert "ข้อความที่แก้แล้ว" in page and _("corrected by an editor") in page
    # A stale save is shown again with an error, and nothing changes.
    stale = client.post(url, {"correction": "ทับของคนอื่น", "lock_version": version})
    assert stale.status_code == 200 and "alert-danger" in stale.content.decode()
    read.refresh_from_db()
    assert read.correction == "ข้อความที่แก้แล้ว"


# --- Permissions: role × page × action ----------------------------------------------------------
# The person who added it (a member), the KM office (secretary, head) and administrators.
EDITORS = {"member", "secretary", "head", "admin"}


@pytest.mark.parametrize("role", ["staff", "member", "secretary", "head", "cko", "admin"])
def test_who_may_see_correct_and_rerun(client_as, people, role, monkeypatch):
    monkeypatch.setattr(ocr, "engine", lambda: None)  # a re-run only marks it
    read = read_document(people)
    client = client_as(role)
    page = client.get(read.file.document.get_absolute_url())
    assert page.status_code == 200 and "รายงานการประชุมใหญ่" in page.content.decode()
    can = role in EDITORS
    assert (reverse("library:ocr_correct", args=[read.file_id]) in page.content.decode()) == can
    correct = reverse("library:ocr_correct", args=[read.file_id])
    rerun = reverse("library:ocr_rerun", args=[read.file_id])
    expected = 200 if can else 403
    assert client.get(correct).status_code == expected
    response = client.post(correct, {"correction": "แก้โดย " + role})
    assert response.status_code == (302 if can else 403)
    assert client.post(rerun).status_code == (302 if can else 403)
    assert client.get(rerun).status_code == 405
    read.refresh_from_db()
    assert (read.correction == "แก้โดย " + role) == can


@pytest.mark.parametrize("role", ["anonymous", "staff", "member"])
def test_the_ocr_of_a_document_one_may_not_open_is_not_found(client_as, people, km_team, role):
    read = read_document(people, access=AccessLevel.TEAM, access_team=km_team, uploaded_by=None)
    client = client_as(role)
    correct = reverse("library:ocr_correct", args=[read.file_id])
    rerun = reverse("library:ocr_rerun", args=[read.file_id])
    if role == "anonymous":
        assert client.get(correct).status_code == 302  # to sign in
        return
    for response in (client.get(correct), client.post(correct, {"correction": "x"})):
        assert response.status_code == 404
    assert client.post(rerun).status_code == 404
    read.refresh_from_db()
    assert read.correction == ""


def test_a_file_without_scanned_pages_has_no_ocr_pages(client_as, people):
    stored = DocumentFileFactory(document=DocumentFactory(uploaded_by=people["member"]))
    client = client_as("member")
    assert client.get(reverse("library:ocr_correct", args=[stored.pk])).status_code == 404
    response = client.post(reverse("library:ocr_rerun", args=[stored.pk]), follow=True)
    assert _("This file has no scanned pages to read.") in response.content.decode()
