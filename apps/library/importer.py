"""Bulk import of files into the library (``manage.py import_documents``).

The contract scripts and the search benchmark rely on:

- files, and folders recursively; a file already in the library (same SHA-256) is skipped;
- an optional metadata CSV (UTF-8, header row) with a ``file`` column (path relative to the
  imported folder) and optional ``title``, ``type``, ``number``, ``agency``, ``issued`` (B.E. or
  C.E.), ``category`` (``A > B`` for a sub-category), ``tags`` (comma-separated),
  ``description``; without a title, the title comes from the file name;
- a bad row or file is reported with its line or name and reason, and the rest goes on.
"""

from __future__ import annotations

import csv
import hashlib
import logging
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from auditlog.context import disable_auditlog
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import close_old_connections

from apps.core import searchables, thaidates
from apps.core.files import atomic_with_files

from . import services
from .choices import TYPE_ALIASES
from .models import (
    Category,
    Document,
    DocumentFile,
    DocumentType,
    Tag,
    TextStatus,
)

logger = logging.getLogger(__name__)
BATCH = 200
COLUMNS = {"file", "title", "type", "number", "agency", "issued", "category", "tags", "description"}


@dataclass
class ImportReport:
    imported: int = 0
    skipped: int = 0
    failed: int = 0
    seconds: float = 0.0
    problems: list[str] = field(default_factory=list)
    document_ids: list[int] = field(default_factory=list)

    @property
    def per_second(self) -> float:
        return self.imported / self.seconds if self.seconds else 0.0


class ImportProblemError(ValueError):
    """A problem with one row or file; the import goes on with the next."""


def resolve_type(value: str) -> str:
    """A document type given as its code, its English name, or the Thai name offices use."""
    value = " ".join((value or "").split())
    if not value:
        return DocumentType.OTHER
    if value in TYPE_ALIASES:
        return TYPE_ALIASES[value]
    for code, label in DocumentType.choices:
        if value.casefold() in {code, label.casefold()}:
            return code
    raise ImportProblemError(f"unknown document type {value!r}")


class Caches:
    """Categories and tags by name, so a large import does not look each one up again."""

    def __init__(self):
        self.categories: dict[tuple[int | None, str], Category] = {
            (c.parent_id, c.name): c for c in Category.objects.all()
        }
        self.tags: dict[str, Tag] = {t.name.casefold(): t for t in Tag.objects.all()}

    def category(self, path: str) -> Category | None:
        return services.category_from_path(path, known=self.categories)

    def tag_list(self, text: str) -> list[Tag]:
        tags = []
        for name in (" ".join(n.split()) for n in (text or "").split(",")):
            if not name:
                continue
            if name.casefold() not in self.tags:
                self.tags[name.casefold()] = services.tags_from_names([name[:100]])[0]
            tags.append(self.tags[name.casefold()])
        return tags


def read_metadata(csv_path: Path) -> tuple[dict[str, tuple[int, dict]], list[str]]:
    """Rows by file path (as written in the CSV), each with its line number; plus problems."""
    problems: list[str] = []
    rows: dict[str, tuple[int, dict]] = {}
    with csv_path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        header = {name.strip().lower() for name in reader.fieldnames or []}
        if "file" not in header:
            raise ImportProblemError(f"{csv_path.name}: the header has no 'file' column")
        unknown = header - COLUMNS
        if unknown:
            problems.append(f"{csv_path.name}: ignored columns {', '.join(sorted(unknown))}")
        for row in reader:
            line = reader.line_num
            # NUL: a database (PostgreSQL) refuses it in text, and no title needs one.
            row = {
                (k or "").strip().lower(): (v or "").replace("\x00", "").strip()
                for k, v in row.items()
            }
            name = row.get("file", "")
            if not name:
                problems.append(f"{csv_path.name}, line {line}: no file named")
                continue
            rows[Path(name).as_posix()] = (line, row)
    return rows, problems


def iter_files(paths: list[Path]) -> Iterator[tuple[Path, Path]]:
    """(file, the folder it was found under) for every file under the given paths, sorted."""
    for path in paths:
        if path.is_dir():
            for found in sorted(p for p in path.rglob("*") if p.is_file()):
                if not any(part.startswith(".") for part in found.relative_to(path).parts):
                    yield found, path
        elif path.is_file():
            yield path, path.parent


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def import_paths(
    paths: list[Path],
    *,
    metadata: Path | None = None,
    category: str | None = None,
    doc_type: str | None = None,
    user=None,
    progress: Callable[[int, int], None] | None = None,
    index_alongside: bool = False,
) -> ImportReport:
    """Import files and folders; see the module docstring for the contract.

    ``index_alongside`` (the command): the search index is written by a second process while
    the files are shelved, batch by batch, instead of after all of them (``bulk_changes``)."""
    started = time.perf_counter()
    run = _ImportRun(user=user, progress=progress)
    if metadata:
        run.rows, problems = read_metadata(metadata)
        run.report.problems += problems
    run.default_type = resolve_type(doc_type) if doc_type else DocumentType.OTHER
    run.default_category = run.caches.category(category) if category else None
    skip = metadata.resolve() if metadata else None
    files = [(path, root) for path, root in iter_files(paths) if path.resolve() != skip]
    # The search index is written in large commits (by a second process as the batches commit,
    # or after them) rather than after every batch, and the audit trail gets one line for the
    # whole import instead of one entry per document and file (which took two fifths of the
    # time); each document keeps who added it and when.
    with searchables.bulk_changes(alongside=index_alongside), disable_auditlog():
        run.import_files(files)
    logger.info(
        "import_documents by %s: %d imported, %d skipped, %d failed (%s)",
        getattr(user, "username", "command line"),
        run.report.imported,
        run.report.skipped,
        run.report.failed,
        ", ".join(str(p) for p in paths),
    )
    for relative, (line, _row) in run.rows.items():
        if relative not in run.used_rows:
            run.report.problems.append(f"{metadata.name}, line {line}: no such file {relative!r}")
    run.report.seconds = time.perf_counter() - started
    return run.report


class _ImportRun:
    """The state of one import: what is known already, caches, the report."""

    def __init__(self, *, user, progress):
        self.user, self.progress = user, progress
        self.report = ImportReport()
        self.rows: dict[str, tuple[int, dict]] = {}
        self.used_rows: set[str] = set()
        self.caches = Caches()
        self.default_type = DocumentType.OTHER
        self.default_category = None
        self.known = set(DocumentFile.objects.values_list("sha256", flat=True))
        self.types: dict[str, str] = {}

    def import_files(self, files: list[tuple[Path, Path]]) -> None:
        """Shelve the files ``BATCH`` at a time, each batch in one transaction. A file already in
        the library is skipped without opening a transaction; the same file twice in the run is
        shelved once (its second copy waits for the next batch, and is then skipped)."""
        total = len(files)
        batch: list[_Entry] = []
        for done, (path, root) in enumerate(files, 1):
            entry = self.prepare(path, root)
            if entry is not None and any(e.digest == entry.digest for e in batch):
                self.shelve(batch)
                batch = []
                entry = self.prepare(path, root)
            if entry is not None:
                batch.append(entry)
            if len(batch) >= BATCH:
                self.shelve(batch)
                batch = []
            if self.progress:
                self.progress(done, total)
        if batch:
            self.shelve(batch)

    def prepare(self, path: Path, root: Path) -> _Entry | None:
        """The file's entry for the batch, or None when it is skipped or reported as failed."""
        relative = path.relative_to(root).as_posix() if path != root else path.name
        line, row = self.rows.get(relative, (None, {}))
        self.used_rows.add(relative)
        where = relative + (f" (line {line})" if line else "")
        try:
            digest = sha256_of(path)
            if digest in self.known:
                self.report.skipped += 1
                return None
            details = self.details(path, row)
        except (ImportProblemError, OSError, ValueError) as error:
            self.report.failed += 1
            self.report.problems.append(f"{where}: {error}")
            return None
        return _Entry(path, where, digest, details)

    def shelve(self, batch: list[_Entry]) -> None:
        """One batch through the library's batch service, in one transaction, and the text of
        its PDFs and Office files extracted after it has committed."""
        created: list[int] = []
        # A batch that is rolled back takes its files with it (the service's atomic_with_files
        # hands them to the batch's); once it has committed, its files stay whatever happens.
        with atomic_with_files(), ExitStack() as handles:
            entries = []
            for entry in batch:
                handle = handles.enter_context(entry.path.open("rb"))
                entries.append((entry.details, File(handle, name=entry.path.name)))
            outcomes = services.documents_create_batch(uploaded_by=self.user, entries=entries)
            for entry, outcome in zip(batch, outcomes, strict=True):
                document = self.record(entry, outcome)
                if document is not None:
                    created.append(document.pk)
            searchables.persist_bulk_changes()
        pending = DocumentFile.objects.filter(
            document_id__in=created, text_status=TextStatus.PENDING
        )
        _extract(list(pending.values_list("pk", flat=True)))

    def record(self, entry: _Entry, outcome: Document | Exception) -> Document | None:
        """Count one file's outcome in the report."""
        if isinstance(outcome, ValidationError):
            if _already_in_library(outcome):
                # Shelved by someone else while the import ran: skipped like any other.
                self.known.add(entry.digest)
                self.report.skipped += 1
            else:
                self.report.failed += 1
                self.report.problems.append(f"{entry.where}: {' '.join(outcome.messages)}")
            return None
        if isinstance(outcome, Exception):
            self.report.failed += 1
            self.report.problems.append(f"{entry.where}: {outcome}")
            return None
        self.known.add(entry.digest)
        self.report.imported += 1
        self.report.document_ids.append(outcome.pk)
        return outcome

    def details(self, path: Path, row: dict) -> services.DocumentDetails:
        """The document's details from its register row (or its file name)."""
        issued = None
        if row.get("issued"):
            issued = thaidates.parse_date(row["issued"])
            if issued is None:
                raise ImportProblemError(f"cannot read the date {row['issued']!r}")
        title = row.get("title") or path.stem.replace("_", " ").strip() or path.name
        return services.DocumentDetails(
            title=title[:500],
            doc_type=self.doc_type(row["type"]) if row.get("type") else self.default_type,
            number=row.get("number", "")[:100],
            agency=row.get("agency", "")[:255],
            issued_on=issued,
            category=(
                self.caches.category(row["category"])
                if row.get("category")
                else self.default_category
            ),
            tags=self.caches.tag_list(row.get("tags", "")),
            description=row.get("description", ""),
        )

    def doc_type(self, value: str) -> str:
        """``resolve_type``, once per value written in the register."""
        if value not in self.types:
            self.types[value] = resolve_type(value)
        return self.types[value]


@dataclass(frozen=True)
class _Entry:
    """A file the batch will shelve: where it is reported under, its digest and details."""

    path: Path
    where: str
    digest: str
    details: services.DocumentDetails


def _already_in_library(error: ValidationError) -> bool:
    return not hasattr(error, "error_dict") and any(e.code == "duplicate" for e in error.error_list)


def _extract(file_ids: list[int]) -> None:
    """Extract the batch's PDFs and Office files, two child processes at a time."""
    if not file_ids:
        return
    if settings.LIBRARY_EXTRACTION == "inline":
        for file_id in file_ids:
            services.extract_file_text(file_id)
        services.schedule_ocr(file_ids)
        return

    def extract_one(file_id: int) -> None:
        try:
            services.extract_file_text(file_id)
        finally:
            close_old_connections()

    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(extract_one, file_ids))
    services.schedule_ocr(file_ids)  # scans: a job each, for the worker
