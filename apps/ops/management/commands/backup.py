"""Write one archive of the whole instance while the portal runs."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import filesizeformat

from apps.ops import archive
from apps.ops.backup import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Back up the database rows, every stored file and a manifest into one .tar.gz "
        "(safe while people use the portal). Restore it with `manage.py restore FILE`."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            type=Path,
            help=f"the archive to write (default: a dated name in {archive.backup_dir()})",
        )
        parser.add_argument(
            "--keep",
            type=int,
            help="afterwards, delete all but this many newest archives in the backups folder",
        )

    def handle(self, *args, output, keep, **options):
        if keep is not None and keep < 1:
            raise CommandError("--keep must be 1 or more.")
        try:
            result = backup_create(output=output, keep=keep)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(str(result.path))
        self.stdout.write(
            f"{result.rows} rows in {len(result.counts)} tables, "
            f"{result.files} files ({filesizeformat(result.file_bytes)}); "
            f"archive {filesizeformat(result.size)}; {result.seconds:.1f} s"
        )
        if options["verbosity"] > 1:
            for label, count in result.counts.items():
                self.stdout.write(f"  {label}: {count}")
        for name in result.pruned:
            self.stdout.write(f"deleted old backup {name}")
        if result.missing_files:
            self.stderr.write(
                self.style.WARNING(
                    f"{len(result.missing_files)} stored files that rows point to were already "
                    f"missing: {', '.join(result.missing_files[:5])}"
                )
            )
