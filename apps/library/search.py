"""Library documents in search: title, number, description and the extracted text of files."""

from collections.abc import Sequence

from django.db.models import Prefetch
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from apps.core.searchables import Searchable, ordered, register
from apps.core.thaidates import be_year

from . import selectors
from .access import can_open_document
from .choices import TYPE_ALIASES
from .models import Category, Document, DocumentFile, DocumentType, OcrText

# Indexed text per document is capped: a 900-page PDF would otherwise dominate the index.
MAX_BODY = 200_000
#: Laws and regulations are also indexed section by section (when their text has at least three
#: "มาตรา N"/"ข้อ N" headings): a whole ประมวลรัษฎากร is longer than ``MAX_BODY``, each of its
#: sections is short. This bounds the text cut into sections.
MAX_SECTIONED = 3_000_000
SECTIONED_TYPES = frozenset({DocumentType.LAW, DocumentType.REGULATION})


def fields(document: Document) -> dict:
    files = files_of(document)
    main = next((f for f in files if f.is_main), files[0] if files else None)
    texts = (f.searchable_text for f in files)
    body = "\n".join([document.description, *(text for text in texts if text)])[:MAX_BODY]
    return {
        "title": document.title,
        "body": body,
        "code": document.number,
        "doc_type": document.doc_type,
        "category": selectors.ancestor_ids(document.category_id),
        "date": document.issued_on or document.created_at,
        "year": be_year(document.issued_on.year) if document.issued_on else None,
        "access": document.access,
        "access_team": [document.access_team_id] if document.access_team_id else [],
        "owner": [document.uploaded_by_id] if document.uploaded_by_id else [],
        "data": {"filename": main.original_name if main else None},
    }


#: Where ``DOCUMENTS.queryset`` puts a document's files (with their OCR text).
FILES = "files_read"


def files_of(document: Document) -> list[DocumentFile]:
    """The main file first, then the others as they were added."""
    files = getattr(document, FILES, None)
    if files is None:  # a document read without them (one query)
        files = document.files.all()
    return ordered(files, lambda f: (not f.is_main, f.created_at))


def law_text(document: Document) -> str:
    """The files' text of a law or regulation, which search also indexes section by section
    (it cuts it); "" for other documents."""
    if document.doc_type not in SECTIONED_TYPES:
        return ""
    texts = (f.searchable_text for f in files_of(document))
    return "\n".join(text for text in texts if text)[:MAX_SECTIONED]


def snippet(document: Document) -> str:
    texts = [text for text in (f.searchable_text for f in files_of(document)) if text]
    return "\n".join([document.description, *texts])


def type_labels(values: Sequence[str]) -> dict[str, str]:
    """Names of the document types among ``values`` (facets and the search form's choices)."""
    names = dict(DocumentType.choices)
    return {value: names[value] for value in values if value in names}


def typed_type(typed: str) -> str | None:
    """A document type as typed after ``type:`` / ``ประเภท:``: its value ("circular"), its name
    in Thai or English ("หนังสือเวียน", "Circular"), or an office's register name ("ระเบียบ")."""
    folded = " ".join(typed.split()).casefold()
    if folded in DocumentType.values:
        return folded
    alias = TYPE_ALIASES.get(typed.strip())
    if alias is not None:
        return str(alias)
    for language in ("th", "en"):
        with translation.override(language):
            for value, label in DocumentType.choices:
                if str(label).casefold() == folded:
                    return value
    return None


def category_labels(values: Sequence[str]) -> dict[str, str]:
    """Names of the categories whose ids are among ``values``."""
    ids = [int(value) for value in values if value.isdigit()]
    return {str(pk): name for pk, name in selectors.category_names(ids).items()}


def _documents_under(category: Category) -> list[int]:
    """The documents on ``category`` and every shelf below it: moving it changes the
    ancestors their index entries are filtered by."""
    selectors.forget_category_parents()
    shelves, level = {category.pk}, [category.pk]
    while level:
        level = list(
            Category.objects.filter(parent_id__in=level)
            .exclude(pk__in=shelves)
            .values_list("pk", flat=True)
        )
        shelves.update(level)
    return list(Document.objects.filter(category_id__in=shelves).values_list("pk", flat=True))


def _document_of_ocr(ocr: OcrText) -> list[int]:
    """The document whose file's OCR text (or its correction) changed."""
    return list(DocumentFile.objects.filter(pk=ocr.file_id).values_list("document_id", flat=True))


def _with_files():
    # Unordered: ``files_of`` puts them in order.
    files = DocumentFile.objects.select_related("ocr").order_by()
    return Document.objects.prefetch_related(Prefetch("files", files, to_attr=FILES))


def attach_files(documents: Sequence[Document]) -> None:
    """Give each of ``documents`` its files with their OCR text (as ``FILES``), in one query:
    what ``_with_files`` prefetches, without Django's prefetch machinery, which cost more than
    the query on a page of hits or a document's page (issue 20)."""
    by_document: dict[int, list[DocumentFile]] = {document.pk: [] for document in documents}
    if by_document:
        files = DocumentFile.objects.select_related("ocr").filter(document_id__in=list(by_document))
        for stored in files.order_by():  # unordered: ``files_of`` puts them in order
            by_document[stored.document_id].append(stored)
    for document in documents:
        for stored in by_document[document.pk]:
            stored.document = document
        setattr(document, FILES, by_document[document.pk])


DOCUMENTS = Searchable(
    kind="document",
    model=Document,
    label=_("Documents"),
    icon="file-earmark-text",
    fields=fields,
    visible=lambda user: Document.objects.visible_to(user),
    may_open=lambda user, document: user.has_perm("library.view_document", document),
    opens=can_open_document,
    # The files with their OCR text joined, as a plain list: one query for a page of hits (or
    # an indexing batch) rather than one for the files and one for their OCR rows, and no
    # related manager's queryset made per document (the prefetch's two thirds, issue 20).
    queryset=_with_files,
    snippet=snippet,
    attach=attach_files,
    sections=law_text,
    depends={
        DocumentFile: lambda stored: [stored.document_id],
        OcrText: _document_of_ocr,
        Category: _documents_under,
    },
    # Before a category goes its documents still point at it (SET_NULL clears them without a
    # save of theirs): they are queued then, in the same transaction.
    before_delete={Category: _documents_under},
    facet_labels={"doc_type": type_labels, "category": category_labels},
    filter_values={"doc_type": typed_type},
)
register(DOCUMENTS)
