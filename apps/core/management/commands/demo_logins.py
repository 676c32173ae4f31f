"""Print the demo accounts, one line each, for ``make run``."""

from django.core.management.base import BaseCommand

from apps.core.seeding import demo_modules


class Command(BaseCommand):
    help = "List the demo accounts and their password."

    def handle(self, *args, **options):
        rows, password = [], None
        for module in demo_modules():
            rows.extend(getattr(module, "LOGINS", []))
            password = getattr(module, "DEMO_PASSWORD", password)
        if not rows:
            return
        width = max(len(username) for username, _role in rows)
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Demo accounts (password for all: {password})"))
        for username, role in rows:
            self.stdout.write(f"  {username.ljust(width)}  {role}")
        self.stdout.write("")
