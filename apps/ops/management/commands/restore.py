"""Restore an archive made by `manage.py backup` into an empty instance."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from apps.ops.archive import ArchiveError
from apps.ops.restore import RestoreRefusedError, restore_archive


class Command(BaseCommand):
    help = (
        "Restore a backup archive into an empty data folder and database (SQLite or "
        "PostgreSQL, whichever DATABASE_URL names); checks every checksum first."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)
        parser.add_argument(
            "--force",
            action="store_true",
            help="replace the rows and files already in the target",
        )

    def handle(self, *args, archive, force, **options):
        quiet = options["verbosity"] == 0
        try:
            result = restore_archive(
                path=archive, force=force, say=(lambda _m: None) if quiet else self.stdout.write
            )
        except (ArchiveError, RestoreRefusedError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Restored {sum(result.counts.values())} rows in {len(result.counts)} tables "
            f"and {result.files} files."
        )
        for note in result.notes:
            self.stdout.write(self.style.WARNING(note))
        if not result.index_clean:
            raise CommandError(
                f"check_index is not clean after the rebuild ({result.index_summary}); "
                "run `manage.py check_index --repair`."
            )
        self.stdout.write(self.style.SUCCESS(f"check_index: clean ({result.index_summary})."))
