"""python manage.py import_documents PATH... [--metadata FILE.csv] [--category NAME] [--type TYPE]
[--as USERNAME]"""

import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from apps.library.importer import ImportProblemError, import_paths


class Command(BaseCommand):
    help = "Import files and folders (recursively) into the document library."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path, help="files or folders to import")
        parser.add_argument("--metadata", type=Path, help="CSV (UTF-8) with a 'file' column")
        parser.add_argument("--category", help="category for files without one ('A > B')")
        parser.add_argument("--type", dest="doc_type", help="document type for files without one")
        parser.add_argument("--as", dest="username", help="the person recorded as adding them")

    def handle(self, *args, paths, metadata, category, doc_type, username, **options):
        for path in paths:
            if not path.exists():
                raise CommandError(f"{path}: no such file or folder")
        if metadata and not metadata.is_file():
            raise CommandError(f"{metadata}: no such metadata file")
        user = None
        if username:
            user = get_user_model().objects.filter(username=username).first()
            if user is None:
                raise CommandError(f"no user {username!r}")
        try:
            report = import_paths(
                paths,
                metadata=metadata,
                category=category,
                doc_type=doc_type,
                user=user,
                index_alongside=True,
                progress=self._progress
                if sys.stderr.isatty() or options["verbosity"] > 1
                else None,
            )
        except ImportProblemError as error:
            raise CommandError(str(error)) from None
        if self._shown:
            self.stderr.write("")
        for problem in report.problems:
            self.stderr.write(f"  ! {problem}")
        self.stdout.write(
            f"Imported {report.imported}, skipped {report.skipped} already in the library, "
            f"failed {report.failed}, in {report.seconds:.1f} s "
            f"({report.per_second:.0f} documents/s)."
        )

    _shown = False

    def _progress(self, done: int, total: int) -> None:
        self._shown = True
        width = 30
        filled = width * done // max(total, 1)
        bar = "█" * filled + "·" * (width - filled)
        self.stderr.write(f"\r[{bar}] {done}/{total}", ending="")
        self.stderr.flush()
