"""Extract the text of files still waiting for it (after a restart, or to retry failures)."""

from django.core.management.base import BaseCommand

from apps.library import services
from apps.library.models import DocumentFile, TextStatus


class Command(BaseCommand):
    help = "Extract text from library files that are still pending (and, with --retry, failed)."

    def add_arguments(self, parser):
        parser.add_argument("--retry", action="store_true", help="also retry failed files")

    def handle(self, *args, retry, **options):
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
