"""Index every searchable record again: batched, resumable, memory bounded."""

from django.core.management.base import BaseCommand

from apps.search import indexing


class Command(BaseCommand):
    help = "Rebuild the search index from the database (continues an interrupted rebuild)."

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=indexing.BATCH, help="records per batch")
        parser.add_argument("--restart", action="store_true", help="ignore an earlier checkpoint")
        parser.add_argument("--clear", action="store_true", help="empty the index first")

    def handle(self, *args, batch, restart, clear, **options):
        if clear:
            indexing.get_engine().clear()
        shown = self.stderr.isatty() or options["verbosity"] > 1

        def progress(kind, done, total):
            if shown:
                width = 30
                filled = width * done // max(total, 1)
                self.stderr.write(
                    f"\r{kind:>10} [{'█' * filled}{'·' * (width - filled)}] {done}/{total}",
                    ending="",
                )
                if done >= total:
                    self.stderr.write("")

        written = indexing.rebuild(batch=max(1, batch), resume=not restart, progress=progress)
        self.stdout.write(f"Indexed {written} records.")
