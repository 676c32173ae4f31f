"""Is this instance healthy? Exit code 0 ok, 1 warning, 2 error (for monitoring)."""

import json
import sys

from django.core.management.base import BaseCommand, no_translations

from apps.ops import health

MARKS = {health.OK: "[ OK ]", health.WARNING: "[WARN]", health.ERROR: "[FAIL]"}


class Command(BaseCommand):
    help = (
        "Check the database, migrations, search index, text extraction, stored files, free "
        "disk, backups, e-mail and time zone. Exit code: 0 ok, 1 warning, 2 error."
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="print one JSON object")

    @no_translations
    def handle(self, *args, **options):
        findings = health.run_checks()
        status = health.overall(findings)
        if options["json"]:
            body = {"status": status, "checks": [f.__dict__ for f in findings]}
            self.stdout.write(json.dumps(body, ensure_ascii=False, indent=1))
        else:
            style = {health.OK: self.style.SUCCESS, health.WARNING: self.style.WARNING}
            for finding in findings:
                paint = style.get(finding.status, self.style.ERROR)
                self.stdout.write(
                    f"{paint(MARKS[finding.status])} {finding.label}: {finding.detail}"
                )
            self.stdout.write(f"overall: {status}")
        self.stdout.flush()
        sys.exit(health.EXIT_CODES[status])
