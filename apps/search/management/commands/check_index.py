"""Find index entries that are missing, stale or orphaned; --repair fixes them."""

from django.core.management.base import BaseCommand

from apps.search import indexing


class Command(BaseCommand):
    help = "Compare the search index with the database; --repair brings it back in step."

    def add_arguments(self, parser):
        parser.add_argument("--repair", action="store_true", help="fix what is found")

    def handle(self, *args, repair, **options):
        if not indexing.get_engine().is_current():
            self.stdout.write(
                self.style.WARNING(
                    "The index was built with an older analysis or schema: "
                    "run `manage.py rebuild_index --clear`."
                )
            )
        report = indexing.check(repair=repair)
        for label, uids in (
            ("missing", report.missing),
            ("stale", report.stale),
            ("orphaned", report.orphaned),
        ):
            sample = ", ".join(uids[:10]) + (" …" if len(uids) > 10 else "")
            self.stdout.write(f"{label}: {len(uids)}" + (f" ({sample})" if uids else ""))
        self.stdout.write(f"queued updates: {report.pending}")
        if report.healthy:
            self.stdout.write(self.style.SUCCESS("The index is in step with the database."))
        elif repair:
            self.stdout.write(self.style.SUCCESS("Repaired."))
        else:
            self.stdout.write(self.style.WARNING("Run with --repair to fix."))
