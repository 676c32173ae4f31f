"""The knowledge corner's shelves: documents, their files and extracted text, categories, tags."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.core import files
from apps.core.choices import KMStep
from apps.core.links import record_url
from apps.core.models import TimeStampedModel, VersionedModel

from .access import visibility_filter
from .choices import AccessLevel, DocumentType

__all__ = [
    "AccessLevel",
    "Category",
    "Document",
    "DocumentFile",
    "DocumentType",
    "DocumentUse",
    "OcrPage",
    "OcrStatus",
    "OcrText",
    "Tag",
    "TextStatus",
]


class Category(VersionedModel):
    """A shelf in the category tree, e.g. กฎหมาย › พระราชบัญญัติ."""

    name = models.CharField(_("name"), max_length=200)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent category"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    order = models.PositiveSmallIntegerField(_("display order"), default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        constraints = [
            models.UniqueConstraint(
                fields=["parent", "name"], name="category_name_unique_in_parent"
            ),
            models.UniqueConstraint(
                fields=["name"], condition=Q(parent__isnull=True), name="root_category_name_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return f"{reverse('library:list')}?category={self.pk}"


class Tag(VersionedModel):
    name = models.CharField(_("name"), max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return f"{reverse('library:list')}?tag={self.pk}"


class DocumentQuerySet(models.QuerySet):
    def visible_to(self, user) -> DocumentQuerySet:
        """What a person may open: the same rule as ``library.view_document``, as a query."""
        return self.filter(visibility_filter(user))


class Document(VersionedModel, TimeStampedModel):
    title = models.CharField(_("title"), max_length=500)
    doc_type = models.CharField(
        _("document type"), max_length=20, choices=DocumentType.choices, default=DocumentType.OTHER
    )
    number = models.CharField(
        _("document number"), max_length=100, blank=True, help_text=_("e.g. กษ 1108/ว 123")
    )
    agency = models.CharField(_("issuing agency"), max_length=255, blank=True)
    issued_on = models.DateField(_("date of issue"), null=True, blank=True)
    effective_on = models.DateField(_("effective date"), null=True, blank=True)
    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="documents",
    )
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), blank=True, related_name="documents")
    description = models.TextField(_("description"), blank=True)
    km_step = models.CharField(
        _("KM step it serves"), max_length=20, choices=KMStep.choices, blank=True
    )
    access = models.CharField(
        _("who may open it"),
        max_length=10,
        choices=AccessLevel.choices,
        default=AccessLevel.ALL_STAFF,
    )
    access_team = models.ForeignKey(
        "teams.Team",
        verbose_name=_("team"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="restricted_documents",
        help_text=_("Only for documents restricted to a named team."),
    )
    replaced_by = models.ForeignKey(
        "self",
        verbose_name=_("replaced by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replaces",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="uploaded_documents",
    )

    objects = DocumentQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_on", "-created_at"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        indexes = [
            models.Index(fields=["doc_type", "issued_on"]),
            models.Index(fields=["issued_on"]),
            models.Index(fields=["agency"]),
            # The library's fingerprint (selectors.library_fingerprint) reads the latest change.
            models.Index(fields=["updated_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(access="team", access_team__isnull=False)
                | (~Q(access="team") & Q(access_team__isnull=True)),
                name="document_team_access_names_a_team",
            ),
            models.CheckConstraint(
                condition=~Q(replaced_by=models.F("pk")), name="document_not_replaced_by_itself"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return record_url("library:detail", self.pk)

    def get_doc_type_display(self) -> str:
        """Django's ``get_FOO_display``, without making the choices hashable again on every
        call: 40 µs each, and a page of hits or of the library asks ten to twenty times (issue
        20). The tests compare the two for every type and an unknown value."""
        try:
            return str(DocumentType(self.doc_type).label)
        except ValueError:
            return str(self.doc_type)


def document_upload_to(instance: DocumentFile, filename: str) -> str:
    # Generated names: the original (Thai) name is kept in ``original_name`` and offered on
    # download; on disk nothing depends on what the uploader called the file.
    return files.generated_name("library", filename, spread=True)


class TextStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for text extraction")
    DONE = "done", _("Text extracted")
    FAILED = "failed", _("Text not extracted")
    NONE = "none", _("No text in this kind of file")


class DocumentFile(TimeStampedModel):
    document = models.ForeignKey(
        Document, verbose_name=_("document"), on_delete=models.CASCADE, related_name="files"
    )
    file = models.FileField(_("file"), upload_to=document_upload_to, max_length=255)
    original_name = models.CharField(_("original file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, unique=True)
    mime = models.CharField(_("type"), max_length=120)
    kind_label = models.CharField(_("kind"), max_length=40)
    inline_safe = models.BooleanField(default=False)
    is_main = models.BooleanField(_("main file"), default=False)
    text = models.TextField(_("extracted text"), blank=True)
    text_status = models.CharField(
        _("text"), max_length=10, choices=TextStatus.choices, default=TextStatus.PENDING
    )
    text_error = models.CharField(_("why the text was not extracted"), max_length=255, blank=True)
    pages = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    thumbnail = models.ImageField(_("thumbnail"), upload_to="thumbnails/", blank=True)

    class Meta:
        ordering = ["-is_main", "created_at", "pk"]
        verbose_name = _("file")
        verbose_name_plural = _("files")
        constraints = [
            models.UniqueConstraint(
                fields=["document"], condition=Q(is_main=True), name="one_main_file_per_document"
            ),
        ]

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return record_url("library:download", self.pk)

    @property
    def ocr_or_none(self) -> OcrText | None:
        try:
            return self.ocr
        except OcrText.DoesNotExist:
            return None

    @property
    def searchable_text(self) -> str:
        """What search indexes: the text layer, and the OCR text of the pages without one (an
        editor's correction where there is one)."""
        ocr = self.ocr_or_none
        read = ocr.current_text if ocr is not None else ""
        return "\n\n".join(part for part in (self.text, read) if part)


class OcrStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting for OCR")
    RUNNING = "running", _("OCR under way")
    DONE = "done", _("Read by OCR")
    FAILED = "failed", _("OCR failed")
    UNAVAILABLE = "unavailable", _("OCR is not installed")


class OcrText(VersionedModel, TimeStampedModel):
    """The machine-read text of a file's scanned pages (an image, or the pages of a PDF with no
    text layer), read page by page by the worker, and an editor's correction of it."""

    file = models.OneToOneField(
        DocumentFile, verbose_name=_("file"), on_delete=models.CASCADE, related_name="ocr"
    )
    status = models.CharField(
        _("OCR"), max_length=12, choices=OcrStatus.choices, default=OcrStatus.WAITING
    )
    pages = models.JSONField(_("pages to read"), default=list)  # 1-based page numbers
    pages_done = models.PositiveIntegerField(_("pages read"), default=0)
    run = models.PositiveIntegerField(default=1)  # counts re-runs: an older job stops
    machine_text = models.TextField(_("machine-read text"), blank=True)
    confidence = models.FloatField(_("confidence"), null=True, blank=True)  # 0-100
    error = models.CharField(_("why OCR failed"), max_length=255, blank=True)
    correction = models.TextField(_("corrected text"), blank=True)
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("corrected by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    corrected_at = models.DateTimeField(_("corrected at"), null=True, blank=True)

    class Meta:
        verbose_name = _("OCR text")
        verbose_name_plural = _("OCR texts")
        indexes = [models.Index(fields=["status"])]

    def __str__(self) -> str:
        return f"OCR {self.file_id} {self.status} {self.pages_done}/{len(self.pages)}"

    @property
    def current_text(self) -> str:
        return self.correction or self.machine_text

    @property
    def total_pages(self) -> int:
        return len(self.pages)

    @property
    def in_progress(self) -> bool:
        return self.status in (OcrStatus.WAITING, OcrStatus.RUNNING)


class OcrPage(models.Model):
    """One page as the OCR read it (kept so an interrupted job goes on where it stopped)."""

    ocr = models.ForeignKey(OcrText, on_delete=models.CASCADE, related_name="read_pages")
    page = models.PositiveIntegerField(_("page"))
    text = models.TextField(blank=True)  # cleaned (extraction.ocrtext)
    raw_text = models.TextField(blank=True)  # as Tesseract wrote it: to clean again, to measure
    confidence = models.FloatField(null=True, blank=True)
    words = models.PositiveIntegerField(default=0)
    seconds = models.FloatField(default=0)
    error = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["ocr", "page"]
        constraints = [
            models.UniqueConstraint(fields=["ocr", "page"], name="one_ocr_row_per_page"),
        ]

    def __str__(self) -> str:
        return f"{self.ocr_id} p.{self.page}"


class DocumentUse(models.Model):
    """How often a document's page was opened and its files downloaded on a day.

    Counters only, no identity: the dashboard lists the most read and downloaded documents.
    """

    document = models.ForeignKey(
        Document, verbose_name=_("document"), on_delete=models.CASCADE, related_name="uses"
    )
    day = models.DateField(_("day"))
    views = models.PositiveIntegerField(_("views"), default=0)
    downloads = models.PositiveIntegerField(_("downloads"), default=0)

    class Meta:
        ordering = ["-day", "document"]
        verbose_name = _("document use")
        verbose_name_plural = _("document use")
        constraints = [
            models.UniqueConstraint(fields=["document", "day"], name="one_use_row_per_document_day")
        ]
        indexes = [models.Index(fields=["day"])]

    def __str__(self) -> str:
        return f"{self.document_id} {self.day}: {self.views}/{self.downloads}"


class Removals(models.Model):
    """How many records of a kind (``"document"``) have been removed so far: with the newest id
    and the latest change it makes the library's fingerprint (``selectors.library_fingerprint``).
    Counting the documents instead read every row of an index on each page that keeps
    something by the fingerprint (home, the library list): 1.4 ms on PostgreSQL at 20,000
    documents, and growing with them (issue 20). Counted by the ``post_delete`` signal, in the
    transaction that removes the document, whichever way it is removed."""

    kind = models.CharField(_("kind"), max_length=40, unique=True)
    count = models.PositiveBigIntegerField(_("how many removed"), default=0)

    class Meta:
        verbose_name = _("removals")
        verbose_name_plural = _("removals")

    def __str__(self) -> str:
        return f"{self.kind}: {self.count}"
