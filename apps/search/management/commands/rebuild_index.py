"""Index every searchable record again: batched, resumable, memory bounded, into a new index
that replaces the live one at the end (searches keep working meanwhile, and a damaged index is
no obstacle)."""

from django.core.management.base import BaseCommand, CommandError

from apps.search import indexing, upkeep
from apps.search.engine import IndexLockedError


class Command(BaseCommand):
    help = "Rebuild the search index from the database (continues an interrupted rebuild)."

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=indexing.BATCH, help="records per batch")
        parser.add_argument("--restart", action="store_true", help="ignore an earlier checkpoint")
        parser.add_argument(
            "--clear",
            action="store_true",
            help="start from an empty index (the live index answers searches until it is done)",
        )

    def handle(self, *args, batch, restart, clear, **options):
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

        try:
            written = upkeep.rebuild(
                batch=max(1, batch), resume=not (restart or clear), progress=progress
            )
        except upkeep.RebuildRunningError as error:
            raise CommandError(str(error)) from None
        except (OSError, IndexLockedError) as error:  # a full disk, a live index kept locked
            raise CommandError(
                f"the new index could not be written ({error}); searches still use the index "
                "as it was; run rebuild_index again to go on from where it stopped"
            ) from None
        self.stdout.write(f"Indexed {written} records.")
