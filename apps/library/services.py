"""Writes to the library: documents, their files, and the text extracted from them.

Text extraction never runs in the web process's own interpreter for formats with real parsers
(PDF, Office, images): ``apps.library.extraction.sandbox`` runs a child process with a time and
memory limit. Plain text, CSV and HTML are decoded in-process, which is bounded by the upload
limit and cheap enough for bulk imports.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, close_old_connections, transaction
from django.utils import timezone

from apps.core import counters
from apps.core.concurrency import lock_for_edit
from apps.core.files import atomic_with_files, delete_after_commit
from apps.core.filetypes import FileKind, sniff, type_mismatch
from apps.core.races import refused_if_taken

from .extraction.extractors import extract
from .extraction.sandbox import extract_in_child
from .forms import (
    AddFilesForm,
    DocumentForm,
    DocumentUploadForm,
    duplicate_error,
    existing_files,
)
from .models import Document, DocumentFile, DocumentUse, Tag, TextStatus

logger = logging.getLogger(__name__)

# Decoded in-process: no parser that a hostile file could drive into a bomb.
IN_PROCESS_MIMES = {"text/plain", "text/csv", "text/html"}


def tags_from_names(names: Iterable[str]) -> list[Tag]:
    """The tags with these names (case aside), created where missing. Two people adding the
    same new tag at the same moment both find none; the second ``create`` is refused by the
    unique name and then finds the first one's tag."""
    tags = []
    for name in names:
        tag = find_tag(name)
        if tag is None:
            try:
                with transaction.atomic():
                    tag = Tag.objects.create(name=name)
            except IntegrityError:
                tag = Tag.objects.filter(name__iexact=name).first()
                if tag is None:
                    raise
        tags.append(tag)
    return tags


def find_tag(name: str) -> Tag | None:
    return Tag.objects.filter(name__iexact=name).first()


def store_file(
    *, document: Document, upload, sha256: str, is_main: bool, written: list, user=None
) -> DocumentFile:
    """Write one upload to disk and record it. The form has checked the library for the same
    file, but an identical upload at the same moment passes that check too: the database's
    unique SHA-256 then refuses the second, which gets the same duplicate error (the caller's
    ``atomic_with_files`` takes the file off the disk again)."""
    stored = DocumentFile(
        document=document,
        original_name=Path(upload.name).name[:255],
        size=upload.size,
        sha256=sha256,
        is_main=is_main,
    )
    stored.file.save(upload.name, upload, save=False)
    written.append((stored.file.storage, stored.file.name))
    kind: FileKind = sniff(Path(stored.file.path))
    stored.mime, stored.kind_label, stored.inline_safe = kind.mime, kind.label, kind.inline_safe
    needs_work = kind.extractable or kind.mime in RASTER_IMAGES
    stored.text_status = TextStatus.PENDING if needs_work else TextStatus.NONE

    def duplicate():
        other = existing_files([sha256])[sha256]
        return duplicate_error(Path(upload.name).name, other.document, user)

    with refused_if_taken(lambda: DocumentFile.objects.filter(sha256=sha256).exists(), duplicate):
        stored.save()
    return stored


def document_create(*, form: DocumentUploadForm, user) -> Document:
    """Shelve a new document with its files (already checked by the form). Raises
    ``ValidationError`` for a file another upload shelved meanwhile; nothing is then kept."""
    with atomic_with_files() as written:
        document: Document = form.save(commit=False)
        document.uploaded_by = user
        document.save()
        form.save_m2m()
        document.tags.set(tags_from_names(form.cleaned_data["tag_names"]))
        stored = [
            store_file(
                document=document,
                upload=upload,
                sha256=digest,
                is_main=index == 0,
                written=written,
                user=user,
            )
            for index, (upload, digest) in enumerate(form.checked_files)
        ]
        schedule_extraction(stored)
    return document


@transaction.atomic
def document_update(*, form: DocumentForm, expected_version: int | None = None) -> Document:
    """Save a document's details; not over a save made after the ``expected_version`` the
    editor's page showed (``StaleEditError``)."""
    lock_for_edit(form.instance, expected_version=expected_version)
    document = form.save()
    document.tags.set(tags_from_names(form.cleaned_data["tag_names"]))
    return document


def document_add_files(*, document: Document, form: AddFilesForm, user=None) -> list[DocumentFile]:
    """Add files (already checked by the form) to a document; the first becomes its main file
    if it has none. Raises ``ValidationError`` for a file another upload shelved meanwhile."""
    with atomic_with_files() as written:
        # One addition at a time per document, so two cannot both make a main file.
        document = Document.objects.select_for_update().get(pk=document.pk)
        has_main = document.files.filter(is_main=True).exists()
        stored = [
            store_file(
                document=document,
                upload=upload,
                sha256=digest,
                is_main=not has_main and index == 0,
                written=written,
                user=user,
            )
            for index, (upload, digest) in enumerate(form.checked_files)
        ]
        document.save(update_fields=["updated_at"])
        schedule_extraction(stored)
    return stored


@transaction.atomic
def document_delete(*, document: Document, expected_version: int | None = None) -> None:
    """Remove a document and, once that is committed, its files on disk (not one changed after
    the ``expected_version`` the page showed)."""
    lock_for_edit(document, expected_version=expected_version)
    names = [(f.file.storage, f.file.name) for f in document.files.all()]
    names += [(f.thumbnail.storage, f.thumbnail.name) for f in document.files.all() if f.thumbnail]
    document.delete()
    delete_after_commit(names)


# --- Text extraction -----------------------------------------------------------------------------
def record_use(document_id: int, *, view: bool = False, download: bool = False) -> None:
    """Count a reading of the document's page or a download of one of its files, for today."""
    counters.bump(
        DocumentUse,
        {"document_id": document_id, "day": timezone.localdate()},
        views=int(view),
        downloads=int(download),
    )


def schedule_extraction(files: list[DocumentFile]) -> None:
    """Extract text now (``LIBRARY_EXTRACTION = "inline"``: tests), or in a background thread
    once the upload is committed (``"thread"``: the web answers at once and the text is filled
    in when the child process is done). A file left pending by a restart is picked up by
    ``manage.py extract_pending``.
    """
    ids = [f.pk for f in files if f.text_status == TextStatus.PENDING]
    if not ids:
        return
    if settings.LIBRARY_EXTRACTION == "inline":
        for file_id in ids:
            extract_file_text(file_id)
    else:
        transaction.on_commit(lambda: _start_thread(ids))


def _start_thread(ids: list[int]) -> None:
    def run():
        try:
            for file_id in ids:
                extract_file_text(file_id)
        finally:
            close_old_connections()

    threading.Thread(target=run, name="km-extract", daemon=True).start()


RASTER_IMAGES = {"image/png", "image/jpeg", "image/gif", "image/webp", "image/tiff"}


def extract_file_text(file_id: int) -> DocumentFile | None:
    """Extract one file's text and thumbnail and record the outcome; never raises for bad files.

    A file whose name promises another type than its content (a ``.pdf`` that is HTML) is not
    parsed: it keeps its place in the library, marked "text not extracted" with the reason.
    """
    stored = DocumentFile.objects.filter(pk=file_id).first()
    if stored is None:
        return None
    path = Path(stored.file.path)
    thumbnail = None
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
            elif outcome.ok:
                stored.text, stored.pages = outcome.text, outcome.pages
                stored.text_status, stored.text_error = TextStatus.DONE, ""
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
    except Exception:
        if not DocumentFile.objects.filter(pk=stored.pk).exists():
            return None
        raise
    return stored
