"""Load the demo organisation. Running it again changes nothing."""

from django.core.management.base import BaseCommand
from django.db import transaction

from apps.core.seeding import demo_modules


class Command(BaseCommand):
    help = "Load the demo organisation (units, staff, teams, documents ...). Idempotent."

    def handle(self, *args, **options):
        with transaction.atomic():
            for module in demo_modules():
                module.seed(self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data is in place."))
