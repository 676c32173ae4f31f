"""Compile every ``.po`` catalogue of the project to ``.mo`` without GNU gettext.

``compilemessages`` needs ``msgfmt``, which a fresh machine without root may lack; polib (a
development requirement) writes the same binary catalogue in pure Python. The ``.mo`` files are
committed, so running the portal never needs this.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Compile the project's .po catalogues to .mo with polib (no gettext needed)."

    def handle(self, *args, **options):
        import polib

        for locale_dir in settings.LOCALE_PATHS:
            for po_path in sorted(Path(locale_dir).glob("*/LC_MESSAGES/*.po")):
                catalogue = polib.pofile(str(po_path))
                catalogue.save_as_mofile(str(po_path.with_suffix(".mo")))
                self.stdout.write(f"{po_path}: {len(catalogue.translated_entries())} messages")
