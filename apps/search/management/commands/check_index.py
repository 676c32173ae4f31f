"""Find index entries that are missing, stale or orphaned, and an index that is damaged,
incomplete or half-rebuilt; --repair fixes all of it (a damaged index is rebuilt)."""

from django.core.management.base import BaseCommand, CommandError

from apps.search import indexing, upkeep


class Command(BaseCommand):
    help = "Compare the search index with the database; --repair brings it back in step."

    def add_arguments(self, parser):
        parser.add_argument("--repair", action="store_true", help="fix what is found")

    def handle(self, *args, repair, **options):
        try:
            report = upkeep.check(repair=repair)
        except upkeep.RebuildRunningError as error:
            raise CommandError(f"{error}; run check_index again once it has finished") from None
        write, warn = self.stdout.write, self.style.WARNING
        if report.damaged:
            write(warn(f"damaged: the index cannot be read ({report.damaged})"))
            write(f"entries to write again: {len(report.missing)}")
            if report.repaired:
                write(self.style.SUCCESS("Rebuilt from the database."))
            else:
                write(warn("Run with --repair (or `manage.py rebuild_index`) to rebuild it."))
            return
        if not indexing.get_engine().is_current():
            write(
                warn(
                    "The index was built with an older analysis or schema: "
                    "run `manage.py rebuild_index --clear`."
                )
            )
        if report.incomplete:
            write(
                warn(
                    "incomplete: the index was made again (or replaced) since the database last "
                    "filled it; search tells people that results may be missing"
                )
            )
        if report.rebuild == upkeep.RUNNING:
            write("a rebuild is running (searches use the live index until it finishes)")
        elif report.rebuild == upkeep.INTERRUPTED:
            action = "discarded" if report.repaired else "run rebuild_index to finish it"
            write(warn(f"interrupted rebuild: a rebuild stopped before it finished ({action})"))
        write(f"leftover files: {len(report.leftovers)}" + _sample(report.leftovers))
        for label, uids in (
            ("missing", report.missing),
            ("stale", report.stale),
            ("orphaned", report.orphaned),
        ):
            write(f"{label}: {len(uids)}" + _sample(uids))
        write(f"queued updates: {report.pending}")
        if report.healthy:
            write(self.style.SUCCESS("The index is in step with the database."))
        elif repair:
            write(self.style.SUCCESS("Repaired."))
        else:
            write(warn("Run with --repair to fix."))


def _sample(items: list[str]) -> str:
    if not items:
        return ""
    return " (" + ", ".join(items[:10]) + (" …" if len(items) > 10 else "") + ")"
