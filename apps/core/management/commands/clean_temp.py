"""Remove temp files that a killed worker left in ``KM_DATA_DIR/tmp`` (older than a day)."""

from django.core.management.base import BaseCommand

from apps.core import tempfiles


class Command(BaseCommand):
    help = "Remove upload temp files older than a day from the data folder's tmp/ (safe any time)."

    def handle(self, *args, **options):
        removed = tempfiles.remove_stale()
        self.stdout.write(f"Removed {len(removed)} stale temp file(s) from {tempfiles.folder()}.")
