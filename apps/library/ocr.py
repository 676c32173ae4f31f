"""OCR of scanned files: which pages need it, and the job that reads them one page at a time.

Text extraction (``texts.extract_file_text``) finds the pages without a text layer (an image
file is one such page) and calls :func:`request_ocr`, which records them on the file's
``OcrText`` ("waiting", or "not installed" where Tesseract is missing). The worker's job
(``tasks.ocr_file``) then calls :func:`run_ocr`: each page is read in a sandboxed child process
(``extraction.sandbox.ocr_in_child``: time and memory limits), kept as an ``OcrPage``, and the
file's machine-read text, confidence and progress ("OCR 3/12 pages") are saved after every page,
so the document is searchable as the pages come in. A job that is stopped goes on where it
stopped; a re-run (``services.ocr_rerun``) starts a new run and the old job stops.
"""

from __future__ import annotations

import logging
from pathlib import Path

from django.conf import settings
from django.db import transaction

from .extraction.ocr import Engine, find_engine
from .extraction.ocrtext import clean_ocr_text
from .extraction.sandbox import ocr_in_child
from .models import DocumentFile, OcrPage, OcrStatus, OcrText

logger = logging.getLogger(__name__)

#: Pages read per file at most (a 900-page scan is read as far as this).
MAX_OCR_PAGES = 300


def engine() -> Engine | None:
    """The configured Tesseract with its Thai model, or None (not installed, or turned off)."""
    return find_engine(settings.LIBRARY_TESSERACT or "")


@transaction.atomic
def request_ocr(stored: DocumentFile, pages: list[int]) -> OcrText:
    """Record that ``pages`` of ``stored`` need OCR (a new run: earlier pages read are dropped,
    an editor's correction stays). Called inside the transaction that saves the extraction."""
    pages = sorted(set(pages))[:MAX_OCR_PAGES]
    status = OcrStatus.WAITING if engine() is not None else OcrStatus.UNAVAILABLE
    ocr, created = OcrText.objects.select_for_update().get_or_create(
        file=stored, defaults={"status": status, "pages": pages}
    )
    if not created:
        ocr.read_pages.all().delete()
        ocr.status, ocr.pages, ocr.pages_done, ocr.run = status, pages, 0, ocr.run + 1
        ocr.machine_text, ocr.confidence, ocr.error = "", None, ""
        ocr.save()
    return ocr


def waiting(ocr: OcrText | None) -> bool:
    return ocr is not None and ocr.status in (OcrStatus.WAITING, OcrStatus.RUNNING)


def run_ocr(file_id: int) -> OcrText | None:
    """Read the pages of the file's OCR run not read yet, saving after each one. Returns the
    ``OcrText`` as it was left (None if there is none). Never raises for a bad file."""
    ocr = OcrText.objects.select_related("file").filter(file_id=file_id).first()
    if not waiting(ocr):
        return ocr
    found = engine()
    if found is None:
        ocr.status = OcrStatus.UNAVAILABLE
        ocr.save(update_fields=["status", "updated_at"])
        return ocr
    run = ocr.run
    path = Path(ocr.file.file.path)
    pages = list(ocr.pages)
    done = set(ocr.read_pages.values_list("page", flat=True))
    if not pages:
        return _finish(ocr.pk, run)
    if ocr.status != OcrStatus.RUNNING:
        ocr.status = OcrStatus.RUNNING
        ocr.save(update_fields=["status", "updated_at"])
    for page in pages:
        if page in done:
            continue
        try:
            outcome = ocr_in_child(
                path,
                page,
                command=found.command,
                timeout=settings.LIBRARY_OCR_PAGE_TIMEOUT,
                memory_bytes=settings.LIBRARY_EXTRACTION_MEMORY,
                psm=settings.LIBRARY_OCR_PSM,
            )
        except Exception as error:  # a bug here must not lose the other pages
            logger.exception("OCR of file %s page %s failed", file_id, page)
            outcome = None
            reason = f"OCR error: {type(error).__name__}"
        else:
            reason = outcome.reason
        text = clean_ocr_text(outcome.text) if outcome is not None and outcome.ok else ""
        saved = _save_page(
            ocr.pk,
            run,
            row={
                "page": page,
                "text": text,
                "raw_text": outcome.text if outcome is not None and outcome.ok else "",
                "confidence": outcome.confidence if outcome and outcome.ok else None,
                "words": outcome.words if outcome and outcome.ok else 0,
                "seconds": outcome.seconds if outcome else 0,
                "error": "" if outcome is not None and outcome.ok else reason[:255],
            },
        )
        if saved is None:
            return OcrText.objects.filter(pk=ocr.pk).first()  # re-run or removed meanwhile
    return _finish(ocr.pk, run)


def _same_run(current: OcrText | None, run: int) -> bool:
    """Whether ``current`` is still the run this job started: not removed, not re-run (an
    editor's correction meanwhile is no matter: it leaves the run as it is)."""
    return current is not None and waiting(current) and current.run == run


@transaction.atomic
def _save_page(pk: int, run: int, *, row: dict) -> OcrText | None:
    current = OcrText.objects.select_for_update().filter(pk=pk).first()
    if not _same_run(current, run):
        return None
    OcrPage.objects.update_or_create(ocr=current, page=row["page"], defaults=row)
    _sum_up(current)
    current.save(
        update_fields=["machine_text", "confidence", "pages_done", "status", "error", "updated_at"]
    )
    return current


@transaction.atomic
def _finish(pk: int, run: int) -> OcrText | None:
    current = OcrText.objects.select_for_update().filter(pk=pk).first()
    if not _same_run(current, run):
        return current
    _sum_up(current, final=True)
    current.save(
        update_fields=["machine_text", "confidence", "pages_done", "status", "error", "updated_at"]
    )
    return current


def _sum_up(ocr: OcrText, *, final: bool = False) -> None:
    """The run's text, confidence, progress and status from the pages read so far."""
    rows = list(ocr.read_pages.order_by("page"))
    ocr.pages_done = len(rows)
    ocr.machine_text = "\n\n".join(row.text for row in rows if row.text)
    weighted = [(row.confidence, row.words) for row in rows if row.confidence is not None]
    total_words = sum(words for _conf, words in weighted)
    ocr.confidence = (
        round(sum(conf * words for conf, words in weighted) / total_words, 1)
        if total_words
        else None
    )
    failed = [row for row in rows if row.error]
    ocr.error = ", ".join(f"{row.page}: {row.error}" for row in failed[:3])[:255] if failed else ""
    if not final and ocr.pages_done < len(ocr.pages):
        ocr.status = OcrStatus.RUNNING
    elif rows and len(failed) == len(rows):
        ocr.status = OcrStatus.FAILED
    else:
        ocr.status = OcrStatus.DONE


def files_waiting() -> list[int]:
    """Files whose OCR waits or was stopped half-way."""
    return list(
        OcrText.objects.filter(status__in=[OcrStatus.WAITING, OcrStatus.RUNNING])
        .order_by("pk")
        .values_list("file_id", flat=True)
    )
