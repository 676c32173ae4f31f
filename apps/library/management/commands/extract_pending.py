"""Extract the text of files still waiting for it (after a restart, or to retry failures), and
with ``--ocr`` read the scanned pages OCR has not read yet."""

from django.core.management.base import BaseCommand
from django.db.models import Q

from apps.library import services
from apps.library.models import DocumentFile, OcrStatus, OcrText, TextStatus


class Command(BaseCommand):
    help = (
        "Extract text from library files that are still pending (and, with --retry, failed); "
        "with --ocr, also read scanned pages by OCR now."
    )

    def add_arguments(self, parser):
        parser.add_argument("--retry", action="store_true", help="also retry failed files")
        parser.add_argument(
            "--ocr",
            action="store_true",
            help="read scanned pages now: those waiting, stopped half-way, failed, or stored "
            "while OCR was not installed (and images and PDFs extracted before OCR existed)",
        )

    def handle(self, *args, retry, ocr: bool, **options):
        statuses = [TextStatus.PENDING, TextStatus.FAILED] if retry else [TextStatus.PENDING]
        ids = list(
            DocumentFile.objects.filter(text_status__in=statuses).values_list("pk", flat=True)
        )
        counts = dict.fromkeys(TextStatus.values, 0)
        for file_id in ids:
            stored = services.extract_file_text(file_id)
            if stored is not None:
                counts[stored.text_status] += 1
        self.stdout.write(
            f"{len(ids)} files: {counts[TextStatus.DONE]} extracted, "
            f"{counts[TextStatus.FAILED]} not extracted."
        )
        if ocr:
            self._ocr()

    def _ocr(self) -> None:
        from apps.library import ocr as engine

        if engine.engine() is None:
            self.stderr.write(
                "OCR is not installed: install tesseract-ocr and tesseract-ocr-tha (README, OCR)."
            )
            return
        # Images, and PDFs with no text at all, stored before OCR existed: extract them again.
        older = DocumentFile.objects.filter(ocr__isnull=True).filter(
            Q(text_status=TextStatus.NONE, mime__in=sorted(services.RASTER_IMAGES))
            | Q(text_status=TextStatus.DONE, mime="application/pdf", text="")
        )
        for file_id in older.values_list("pk", flat=True):
            services.extract_file_text(file_id)
        rerun = OcrText.objects.filter(status__in=[OcrStatus.FAILED, OcrStatus.UNAVAILABLE])
        for row in rerun.select_related("file"):
            engine.request_ocr(row.file, list(row.pages))
        done = failed = 0
        for file_id in engine.files_waiting():
            result = engine.run_ocr(file_id)
            if result is not None and result.status == OcrStatus.DONE:
                done += 1
            else:
                failed += 1
        self.stdout.write(f"OCR: {done} files read, {failed} not read.")
