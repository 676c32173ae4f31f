"""Writes to the library: documents, their files, and the text extracted from them.

There is one way to shelve a document, :func:`document_create`, whoever asks: the upload page,
``manage.py import_documents`` (the importer) and the demo data all call it with plain data
(:class:`DocumentDetails` and the files). Each service checks its own permission and rules
(``PermissionDenied``, ``ValidationError``) and runs in one transaction; a write that is refused
or fails leaves no file on disk (``atomic_with_files``).

Text extraction runs after the commit, as a background job (``tasks.extract_text``; the text
itself is filled in by ``texts.extract_file_text``).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields, replace
from pathlib import Path

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.validators import MaxLengthValidator
from django.db import IntegrityError, transaction
from django.db.models.signals import post_save
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import User
from apps.core import counters
from apps.core.choices import KMStep
from apps.core.concurrency import lock_for_edit
from apps.core.files import atomic_with_files, delete_after_commit, save_upload, stored_files
from apps.core.filetypes import FileKind, sniff, type_mismatch
from apps.core.jobs import after_commit
from apps.core.permissions import require
from apps.core.races import refused_if_taken
from apps.core.uploads import fingerprint
from apps.teams.models import Team

from . import ocr, selectors, tasks
from .extraction.extractors import extract
from .models import (
    AccessLevel,
    Category,
    Document,
    DocumentFile,
    DocumentType,
    DocumentUse,
    OcrStatus,
    OcrText,
    Tag,
    TextStatus,
)
from .texts import IN_PROCESS_MIMES, RASTER_IMAGES, extract_file_text

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class DocumentDetails:
    """What describes a document, as plain data: the upload form's fields, a row of an import's
    register, or the demo data. ``tags`` are names (or tags already looked up)."""

    title: str
    doc_type: str = DocumentType.OTHER
    number: str = ""
    agency: str = ""
    issued_on: dt.date | None = None
    effective_on: dt.date | None = None
    category: Category | None = None
    tags: Sequence[str | Tag] = ()
    description: str = ""
    km_step: str = ""
    access: str = AccessLevel.ALL_STAFF
    access_team: Team | None = None
    replaced_by: Document | None = None


# The document's own fields among the details (the tags are a relation).
DETAIL_FIELDS = tuple(f.name for f in fields(DocumentDetails) if f.name != "tags")
CHOICES = {"doc_type": DocumentType.values, "access": AccessLevel.values, "km_step": KMStep.values}


# --- Tags ----------------------------------------------------------------------------------------
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
    """The tag with this name, case aside (``None`` if there is none)."""
    return Tag.objects.filter(name__iexact=name).first()


def category_from_path(
    path: str, *, known: dict[tuple[int | None, str], Category] | None = None
) -> Category | None:
    """The category a path names ("หนังสือเวียน > บัญชี": บัญชี under หนังสือเวียน), created
    where missing (``None`` for an empty path). ``known`` caches categories by (parent id, name)
    across calls, for a large import."""
    known = {} if known is None else known
    parent = None
    for name in (part.strip() for part in path.split(">")):
        if not name:
            continue
        key = (parent.pk if parent else None, name)
        if key not in known:
            # get_or_create: the KM office may add the same category meanwhile.
            known[key] = Category.objects.get_or_create(name=name, parent=parent)[0]
        parent = known[key]
    return parent


def _tags(given: Sequence[str | Tag]) -> list[Tag]:
    names = [tag for tag in given if isinstance(tag, str)]
    found = iter(tags_from_names(names))
    return [next(found) if isinstance(tag, str) else tag for tag in given]


# --- Rules ---------------------------------------------------------------------------------------
def _checked_details(
    details: DocumentDetails, *, by: User | None, document: Document | None = None
) -> DocumentDetails:
    """The details if they make a valid document (``access_team`` dropped unless the access is
    "a named team"); otherwise ``ValidationError`` naming the fields."""
    errors: dict[str, list] = {}
    if not details.title.strip():
        errors["title"] = [forms.Field.default_error_messages["required"]]
    for name in ("title", "number", "agency"):
        try:
            MaxLengthValidator(Document._meta.get_field(name).max_length)(getattr(details, name))
        except ValidationError as error:
            errors.setdefault(name, []).extend(error.error_list)
    for name, allowed in CHOICES.items():
        value = getattr(details, name)
        if value not in allowed and not (name == "km_step" and value == ""):
            errors[name] = [
                ValidationError(
                    forms.ChoiceField.default_error_messages["invalid_choice"],
                    params={"value": value},
                )
            ]
    if details.access == AccessLevel.TEAM and details.access_team is None:
        errors["access_team"] = [_("Choose the team that may open this document.")]
    issued, effective = details.issued_on, details.effective_on
    if issued and effective and effective < issued:
        errors["effective_on"] = [_("A document cannot take effect before it is issued.")]
    newer = details.replaced_by
    if newer is not None:
        unchanged = document is not None and document.replaced_by_id == newer.pk
        itself = document is not None and document.pk == newer.pk
        hidden = by is not None and not by.has_perm("library.view_document", newer)
        # A link the editor may not see is kept as it is, never set anew.
        if itself or (hidden and not unchanged):
            invalid = forms.ModelChoiceField.default_error_messages["invalid_choice"]
            errors["replaced_by"] = [invalid]
    if errors:
        raise ValidationError(errors)
    if details.access != AccessLevel.TEAM and details.access_team is not None:
        details = replace(details, access_team=None)
    return details


def duplicate_error(name: str, document: Document, user: User | None) -> ValidationError:
    """A file that is already in ``document``. Someone who may open the document is pointed to
    it; anyone else learns only that the file is in a document they may not open, never its
    title or address."""
    if user is not None and user.has_perm("library.view_document", document):
        return ValidationError(
            _(
                "“%(name)s” is already in the library, in “%(title)s” (%(url)s). "
                "Open that document instead of adding the file again."
            ),
            params={"name": name, "title": document.title, "url": document.get_absolute_url()},
            code="duplicate",
        )
    return ValidationError(
        _(
            "“%(name)s” is already in the library, in a document you may not open. "
            "Ask the KM team for access if you need it."
        ),
        params={"name": name},
        code="duplicate",
    )


def _checked_files(
    files: Sequence[File], *, by: User | None, look_up: bool = True
) -> list[tuple[File, str]]:
    """``(file, SHA-256)`` for each file, unless one is sent twice or is in the library already
    (``ValidationError``): the same circular is not shelved twice under two names. Without
    ``look_up`` (the importer, which checks a whole run against one list of the library's
    digests) the library is not asked here; its unique SHA-256 still refuses a file shelved
    meanwhile, with the same error.
    Two identical uploads at the same moment both pass this check; the database's unique
    SHA-256 then refuses the second (:func:`_store_file`)."""
    if not files:
        raise ValidationError(_("Add at least one file."), code="required")
    checked, errors, seen = [], [], {}
    for content in files:
        name = Path(content.name).name
        digest = fingerprint(content)
        if digest in seen:
            errors.append(
                ValidationError(
                    _("“%(name)s” is the same file as “%(other)s”."),
                    params={"name": name, "other": seen[digest]},
                    code="duplicate",
                )
            )
            continue
        seen[digest] = name
        checked.append((content, digest))
    existing = selectors.existing_files(seen) if look_up else {}
    for content, digest in checked:
        if digest in existing:
            errors.append(duplicate_error(Path(content.name).name, existing[digest].document, by))
    if errors:
        raise ValidationError(errors)
    return checked


# --- Documents -----------------------------------------------------------------------------------
def _store_file(
    document: Document,
    content: File,
    *,
    sha256: str,
    is_main: bool,
    written: list,
    by: User | None,
    bulk: bool,
) -> DocumentFile:
    """Write one file to disk and record it (:func:`_new_file`). An identical file shelved
    meanwhile is refused with the duplicate error."""
    stored = _new_file(
        document, content, sha256=sha256, is_main=is_main, written=written, bulk=bulk
    )

    def duplicate() -> ValidationError:
        other = DocumentFile.objects.select_related("document").get(sha256=sha256)
        return duplicate_error(stored.original_name, other.document, by)

    with refused_if_taken(lambda: DocumentFile.objects.filter(sha256=sha256).exists(), duplicate):
        stored.save()
    return stored


def _new_file(
    document: Document, content: File, *, sha256: str, is_main: bool, written: list, bulk: bool
) -> DocumentFile:
    """One file written to disk, with its real type from the content, not recorded yet. With
    ``bulk``, plain text is decoded here: bounded by ``extract``'s read limit (at most
    ``MAX_TEXT_CHARS``) and linear in it, with no parser a hostile file could drive, so the
    sandbox's child process (which would cost more than the decoding) is not needed; a file
    that cannot be decoded is refused with the error. Nothing else is scheduled."""
    name = Path(content.name).name
    stored = DocumentFile(
        document=document,
        original_name=name[:255],
        size=content.size,
        sha256=sha256,
        is_main=is_main,
    )
    save_upload(stored.file, content, written, name=name)
    path = Path(stored.file.path)
    kind: FileKind = sniff(path)
    stored.mime, stored.kind_label, stored.inline_safe = kind.mime, kind.label, kind.inline_safe
    if bulk and kind.mime in IN_PROCESS_MIMES and not type_mismatch(name, kind):
        result = extract(path, kind)
        stored.text, stored.pages, stored.text_status = result.text, result.pages, TextStatus.DONE
    else:
        needs_work = kind.extractable or kind.mime in RASTER_IMAGES
        stored.text_status = TextStatus.PENDING if needs_work else TextStatus.NONE
    return stored


def document_create(
    *,
    by: User | None,
    details: DocumentDetails,
    files: Sequence[File],
    uploaded_by: User | None = None,
    bulk: bool = False,
) -> Document:
    """Shelve a new document with its files (the first is its main file).

    ``by`` is the person adding it (``library.add_document``), or ``None`` for the operator at
    the command line (the importer, the demo data), who may; ``uploaded_by`` (default: ``by``)
    is who it is recorded as added by. ``bulk`` (the importer) decodes plain text at once and
    leaves the other files' text pending for the caller to extract a batch at a time, and does
    not look the files up in the library first (the caller checked them; the unique SHA-256
    still refuses one shelved meanwhile); otherwise extraction is scheduled (see
    :func:`schedule_extraction`).

    Raises ``ValidationError`` for invalid details and for a file already in the library (also
    one shelved meanwhile by someone else); nothing is then kept, on disk or in the database.
    """
    if by is not None:
        require(by, "library.add_document")
    details = _checked_details(details, by=by)
    with atomic_with_files() as written:
        checked = _checked_files(files, by=by, look_up=not bulk)
        document = Document(
            **{name: getattr(details, name) for name in DETAIL_FIELDS},
            uploaded_by=uploaded_by if uploaded_by is not None else by,
        )
        document.save()
        if details.tags:
            document.tags.set(_tags(details.tags))
        stored = [
            _store_file(
                document,
                content,
                sha256=digest,
                is_main=index == 0,
                written=written,
                by=by,
                bulk=bulk,
            )
            for index, (content, digest) in enumerate(checked)
        ]
        if not bulk:
            schedule_extraction(stored)
    return document


def documents_create_batch(
    *, uploaded_by: User | None, entries: Sequence[tuple[DocumentDetails, File]]
) -> list[Document | Exception]:
    """Shelve many new documents of one file each for the operator at the command line (the
    importer): what ``document_create(by=None, bulk=True)`` does for each entry, with fewer
    round trips. The details are checked and the files looked up in the library in one query;
    the documents and files are then inserted together, in one savepoint, and each row's
    ``post_save`` (``created``) is sent as its save would (the search index, the audit trail).

    Returns, in the entries' order, each document or what refused it: a ``ValidationError``
    (invalid details, a file already in the library) or the ``OSError``/``ValueError`` of a
    file that could not be stored or decoded; the other entries go on. If the batch's insert
    fails in a way one entry explains (a file shelved meanwhile: the unique SHA-256; a file
    that cannot be stored or decoded), the savepoint is rolled back, with the files it wrote,
    and the entries are shelved one by one with ``document_create``, so each gets its own
    outcome and nothing is half-saved. Any other database error is raised as it is.
    """
    results: list[Document | Exception | None] = [None] * len(entries)
    ready: list[tuple[int, DocumentDetails, File, str]] = []
    for number, (details, content) in enumerate(entries):
        try:
            details = _checked_details(details, by=None)
            [(content, digest)] = _checked_files([content], by=None, look_up=False)
        except ValidationError as error:
            results[number] = error
            continue
        ready.append((number, details, content, digest))
    existing = selectors.existing_files(digest for *_rest, digest in ready)
    fresh, seen = [], {}
    for number, details, content, digest in ready:
        name = Path(content.name).name
        if digest in existing:
            results[number] = duplicate_error(name, existing[digest].document, None)
        elif digest in seen:
            results[number] = ValidationError(
                _("“%(name)s” is the same file as “%(other)s”."),
                params={"name": name, "other": seen[digest]},
                code="duplicate",
            )
        else:
            fresh.append((number, details, content, digest))
            seen[digest] = name
    if not fresh:
        return results  # type: ignore[return-value]
    try:
        created = _insert_batch(fresh, uploaded_by=uploaded_by)
    except (IntegrityError, OSError, ValueError):
        for number, details, content, _digest in fresh:
            try:
                results[number] = document_create(
                    by=None, uploaded_by=uploaded_by, details=details, files=[content], bulk=True
                )
            except (ValidationError, OSError, ValueError) as error:
                results[number] = error
    else:
        for (number, *_rest), document in zip(fresh, created, strict=True):
            results[number] = document
    return results  # type: ignore[return-value]


def _insert_batch(
    entries: list[tuple[int, DocumentDetails, File, str]], *, uploaded_by: User | None
) -> list[Document]:
    """``documents_create_batch``'s checked entries, inserted in one savepoint."""
    with atomic_with_files() as written:
        documents = [
            Document(**{name: getattr(d, name) for name in DETAIL_FIELDS}, uploaded_by=uploaded_by)
            for _number, d, _content, _digest in entries
        ]
        Document.objects.bulk_create(documents)
        files = [
            _new_file(document, content, sha256=digest, is_main=True, written=written, bulk=True)
            for document, (_number, _d, content, digest) in zip(documents, entries, strict=True)
        ]
        DocumentFile.objects.bulk_create(files)
        for document, (_number, details, _content, _digest) in zip(documents, entries, strict=True):
            if details.tags:
                document.tags.set(_tags(details.tags))
        _send_saved(Document, documents)
        _send_saved(DocumentFile, files)
    return documents


def _send_saved(model: type, rows: list) -> None:
    """``post_save`` for rows that ``bulk_create`` inserted, as each one's save would send it."""
    for row in rows:
        post_save.send(
            model, instance=row, created=True, update_fields=None, raw=False, using=row._state.db
        )


@transaction.atomic
def document_update(
    *,
    by: User,
    document: Document,
    details: DocumentDetails,
    expected_version: int | None = None,
) -> Document:
    """Change a document's details and tags (``library.change_document``); its files stay. Not
    over a save made after the ``expected_version`` the editor's page showed
    (``StaleEditError``). A "replaced by" link the editor may not open can be kept, not set."""
    current = lock_for_edit(document, expected_version=expected_version)
    require(by, "library.change_document", current)
    details = _checked_details(details, by=by, document=current)
    for name in DETAIL_FIELDS:
        setattr(current, name, getattr(details, name))
    current.save()
    current.tags.set(_tags(details.tags))
    return current


def document_add_files(
    *, by: User, document: Document, files: Sequence[File]
) -> list[DocumentFile]:
    """Add files to a document (``library.change_document``); the first becomes its main file
    if it has none. Raises ``ValidationError`` for a file already in the library (also one
    shelved meanwhile); nothing is then kept."""
    with atomic_with_files() as written:
        # One addition at a time per document, so two cannot both make a main file.
        current = Document.objects.select_for_update().get(pk=document.pk)
        require(by, "library.change_document", current)
        checked = _checked_files(files, by=by)
        has_main = current.files.filter(is_main=True).exists()
        stored = [
            _store_file(
                current,
                content,
                sha256=digest,
                is_main=not has_main and index == 0,
                written=written,
                by=by,
                bulk=False,
            )
            for index, (content, digest) in enumerate(checked)
        ]
        current.save(update_fields=["updated_at"])
        schedule_extraction(stored)
    return stored


@transaction.atomic
def document_delete(*, by: User, document: Document, expected_version: int | None = None) -> None:
    """Remove a document (``library.delete_document``) and, once that is committed, its files
    and thumbnails on disk; not one changed after the ``expected_version`` the page showed."""
    current = lock_for_edit(document, expected_version=expected_version)
    require(by, "library.delete_document", current)
    stored = list(current.files.all())
    names = stored_files(f.file for f in stored) + stored_files(f.thumbnail for f in stored)
    current.delete()
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
    """Extract the files' text once the upload commits: as a background job each
    (``KM_EXTRACTION=queue``, the default: the page answers at once and the worker fills the
    text in), or in the caller (``"inline"``: the tests). A job that is lost (a worker killed, a
    queue emptied) is made good by the periodic sweep (``tasks.extract_waiting``).
    """
    ids = [f.pk for f in files if f.text_status == TextStatus.PENDING]
    if not ids:
        return
    if settings.LIBRARY_EXTRACTION == "inline":
        for file_id in ids:
            extract_file_text(file_id)
        schedule_ocr(ids)
    else:
        for file_id in ids:
            after_commit(tasks.extract_text, file_id)


# --- OCR -----------------------------------------------------------------------------------------
def schedule_ocr(file_ids: list[int]) -> None:
    """Start the OCR of those of the files whose scanned pages wait for it (after their
    extraction): a job each (``KM_EXTRACTION=queue``), or here and now (``"inline"``)."""
    waiting = list(
        OcrText.objects.filter(file_id__in=file_ids, status=OcrStatus.WAITING).values_list(
            "file_id", flat=True
        )
    )
    for file_id in waiting:
        if settings.LIBRARY_EXTRACTION == "inline":
            ocr.run_ocr(file_id)
        else:
            after_commit(tasks.ocr_file, file_id)


#: An OCR correction longer than this is refused (a 300-page scan is about 600,000 characters).
MAX_CORRECTION_CHARS = 1_000_000


def ocr_rerun(*, by: User | None, stored: DocumentFile) -> OcrText:
    """Read the file's scanned pages again (``library.change_document``; ``None``: the operator
    at the command line), e.g. after Tesseract was installed or the file was rotated. The
    pages read before are dropped; a correction stays. Runs as a job after the commit (inline
    in the tests). Refused (``ValidationError``) for a file that has no scanned pages."""
    with transaction.atomic():
        current = DocumentFile.objects.select_for_update().get(pk=stored.pk)
        if by is not None:
            require(by, "library.change_document", current.document)
        existing = OcrText.objects.filter(file=current).first()
        if existing is None:
            raise ValidationError(
                _("This file has no scanned pages to read."), code="no_scanned_pages"
            )
        result = ocr.request_ocr(current, list(existing.pages))
        if result.status == OcrStatus.WAITING and settings.LIBRARY_EXTRACTION != "inline":
            after_commit(tasks.ocr_file, current.pk)
    if result.status == OcrStatus.WAITING and settings.LIBRARY_EXTRACTION == "inline":
        result = ocr.run_ocr(current.pk)
    return result


@transaction.atomic
def ocr_correct(
    *, by: User, ocr_text: OcrText, text: str, expected_version: int | None = None
) -> OcrText:
    """Save an editor's correction of a file's OCR text (``library.change_document``): from
    then on the correction is what search indexes and the page shows. The audit trail keeps
    every correction (who, when, from what to what). An empty text, or the machine's own text,
    removes the correction. Not over a save made after ``expected_version``
    (``StaleEditError``)."""
    current = lock_for_edit(ocr_text, expected_version=expected_version)
    require(by, "library.change_document", current.file.document)
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if len(text) > MAX_CORRECTION_CHARS:
        raise ValidationError(
            {
                "correction": [
                    _("The text is too long: at most %(limit)s characters.")
                    % {"limit": f"{MAX_CORRECTION_CHARS:,}"}
                ]
            }
        )
    if text == current.machine_text.strip():
        text = ""
    current.correction = text
    current.corrected_by = by if text else None
    current.corrected_at = timezone.now() if text else None
    current.save()
    return current
