"""Work out the related items the worker keeps (``apps/search/related.py``): after an import or
a rebuild, to have them all at once rather than a few hundred a minute."""

import time

from django.core.management.base import BaseCommand

from apps.search import related


class Command(BaseCommand):
    help = "Work out the kept related items that are missing or out of date (the worker's sweep)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--seconds", type=float, default=None, help="stop after this long (default: all)"
        )

    def handle(self, *args, seconds, **options):
        started = time.monotonic()

        def progress(made: int, wanted: int) -> None:
            self.stdout.write(f"  {made:,} of {wanted:,} ({time.monotonic() - started:.0f} s)")

        made = related.sweep(seconds=seconds, progress=progress)
        took = time.monotonic() - started
        self.stdout.write(f"Made {made:,} related items lists in {took:.1f} s.")
