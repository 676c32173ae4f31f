"""Filling in a stored file's text and thumbnail: what an extraction job does.

Text extraction never runs in the worker's own interpreter for formats with real parsers (PDF,
Office, images): ``apps.library.extraction.sandbox`` runs a child process with a time and memory
limit. Plain text, CSV and HTML are decoded in-process, which is bounded by the upload limit and
cheap enough for bulk imports.
"""

from __future__ import annotations

import logging
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile

from apps.core.files import atomic_with_files
from apps.core.filetypes import sniff, type_mismatch

from .extraction.extractors import extract
from .extraction.sandbox import extract_in_child
from .models import DocumentFile, TextStatus
from .ocr import request_ocr

logger = logging.getLogger(__name__)

# Decoded in-process: no parser that a hostile file could drive into a bomb.
IN_PROCESS_MIMES = {"text/plain", "text/csv", "text/html"}
RASTER_IMAGES = {"image/png", "image/jpeg", "image/gif", "image/webp", "image/tiff"}


def extract_file_text(file_id: int) -> DocumentFile | None:
    """Extract one file's text and thumbnail and record the outcome; never raises for bad files.

    Pages without a text layer (scans) and images are recorded for OCR (``ocr.request_ocr``);
    the caller starts the OCR job (``ocr.waiting(stored.ocr_or_none)``).

    A file whose name promises another type than its content (a ``.pdf`` that is HTML) is not
    parsed: it keeps its place in the library, marked "text not extracted" with the reason.
    """
    stored = DocumentFile.objects.filter(pk=file_id).first()
    if stored is None:
        return None
    path = Path(stored.file.path)
    thumbnail = None
    scanned: list[int] = []  # pages to read by OCR (an image is one page)
    try:
        kind = sniff(path)
        mismatch = type_mismatch(stored.original_name, kind)
        if mismatch:
            stored.text, stored.text_status, stored.text_error = "", TextStatus.FAILED, mismatch
        elif kind.mime in IN_PROCESS_MIMES:
            result = extract(path, kind)
            stored.text, stored.pages = result.text, result.pages
            stored.text_status, stored.text_error = TextStatus.DONE, ""
        else:
            outcome = extract_in_child(
                path,
                timeout=settings.LIBRARY_EXTRACTION_TIMEOUT,
                memory_bytes=settings.LIBRARY_EXTRACTION_MEMORY,
                name=stored.original_name,
            )
            thumbnail = outcome.thumbnail
            if kind.mime in RASTER_IMAGES:
                # Images have no text to extract; the child made the thumbnail (or refused a bomb).
                stored.text_status = TextStatus.NONE if outcome.ok else TextStatus.FAILED
                stored.text_error = "" if outcome.ok else outcome.reason[:255]
                scanned = [1] if outcome.ok else []
            elif outcome.ok:
                stored.text, stored.pages = outcome.text, outcome.pages
                stored.text_status, stored.text_error = TextStatus.DONE, ""
                scanned = outcome.blank_pages
            else:
                stored.text, stored.text_status = "", TextStatus.FAILED
                stored.text_error = outcome.reason[:255]
    except Exception as error:  # a bug in an extractor must not lose the document
        logger.exception("text extraction failed for file %s", file_id)
        stored.text, stored.text_status = "", TextStatus.FAILED
        stored.text_error = f"extractor error: {type(error).__name__}"[:255]
    fields = ["text", "pages", "text_status", "text_error", "updated_at"]
    try:
        # The file was removed meanwhile (or the database failed): no thumbnail without a row;
        # once saved, the thumbnail stays whatever fails after the commit.
        with atomic_with_files() as written:
            if thumbnail:
                name = f"{stored.sha256[:32]}.png"
                stored.thumbnail.save(name, ContentFile(thumbnail), save=False)
                written.append((stored.thumbnail.storage, stored.thumbnail.name))
                fields.append("thumbnail")
            stored.save(update_fields=fields)
            if scanned:
                request_ocr(stored, scanned)
    except Exception:
        if not DocumentFile.objects.filter(pk=stored.pk).exists():
            return None
        raise
    return stored
