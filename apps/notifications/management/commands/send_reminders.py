"""Send the reminders that are due today and the daily digests; nothing goes twice."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from apps.notifications import delivery, reminders


class Command(BaseCommand):
    help = "Send the reminders due today (once each) and the daily e-mail digests."

    def add_arguments(self, parser):
        parser.add_argument(
            "--date", help="Act as if today were this date (YYYY-MM-DD, Christian Era)."
        )
        parser.add_argument("--only", action="append", help="Only this kind of reminder.")
        parser.add_argument("--no-digests", action="store_true", help="Reminders only.")

    def handle(self, *args, date=None, only=None, no_digests=False, **options):
        today = None
        if date:
            try:
                today = dt.date.fromisoformat(date)
            except ValueError as error:
                raise CommandError(f"--date: {error}") from error
        known = reminders.producers()
        for name in only or []:
            if name not in known:
                raise CommandError(f"--only: no reminders named {name!r} ({', '.join(known)})")
        report = reminders.run(today=today, only=only)
        self.stdout.write(
            f"Reminders: {report.due} due, {report.sent} sent to {report.people} people, "
            f"{report.already} sent before."
        )
        if report.failed:
            self.stderr.write(f"Could not work out: {', '.join(report.failed)} (see the log)")
        if not no_digests:
            self.stdout.write(f"Digests sent: {delivery.send_digests()}")
