"""The library's background jobs: text extraction of each uploaded file, OCR of its scanned
pages, and the sweep that restarts both where a job was lost (what ``manage.py
extract_pending`` does by hand)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from apps.core.jobs import enqueue_now

from .models import DocumentFile, OcrStatus, OcrText, TextStatus
from .ocr import run_ocr, waiting
from .texts import extract_file_text

#: A file still pending this long after its upload has lost its job (or waits behind a long
#: queue: extracting it twice is harmless, the second job finds it done and stops).
LOST_AFTER = timedelta(minutes=10)
#: Files handed out per sweep; the next sweep, five minutes later, takes the next ones.
SWEEP_LIMIT = 200


@db_task(retries=3, retry_delay=60)
def extract_text(file_id: int) -> None:
    """Extract one file's text and thumbnail (``texts.extract_file_text``: a bad file is marked
    "not extracted" with the reason; only a failure of the database or the disk raises, and
    the job is retried). A file no longer waiting (deleted, or done by another job) is skipped.
    Returns nothing: Huey would keep a returned value in its result store for good."""
    if DocumentFile.objects.filter(pk=file_id, text_status=TextStatus.PENDING).exists():
        stored = extract_file_text(file_id)
        if stored is not None and waiting(stored.ocr_or_none):
            enqueue_now(ocr_file, file_id)


@db_task(retries=2, retry_delay=60)
def ocr_file(file_id: int) -> None:
    """Read the scanned pages of one file by OCR, page by page (``ocr.run_ocr``: progress and
    text saved after each page; a job stopped half-way goes on where it stopped)."""
    run_ocr(file_id)


@db_periodic_task(crontab(minute="*/5"))
def extract_waiting() -> None:
    """Enqueue an extraction for each file that has waited over ``LOST_AFTER`` (a worker was
    killed, the queue was emptied, Redis was down at the upload)."""
    cutoff = timezone.now() - LOST_AFTER
    ids = list(
        DocumentFile.objects.filter(text_status=TextStatus.PENDING, updated_at__lt=cutoff)
        .order_by("pk")
        .values_list("pk", flat=True)[:SWEEP_LIMIT]
    )
    for file_id in ids:
        enqueue_now(extract_text, file_id)
    # OCR runs that waited as long (a lost job, or one stopped half-way by a restart).
    stalled = (
        OcrText.objects.filter(
            status__in=[OcrStatus.WAITING, OcrStatus.RUNNING], updated_at__lt=cutoff
        )
        .order_by("pk")
        .values_list("file_id", flat=True)[:SWEEP_LIMIT]
    )
    for file_id in stalled:
        enqueue_now(ocr_file, file_id)
