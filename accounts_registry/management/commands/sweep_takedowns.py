"""manage.py sweep_takedowns [--date dd/mm/yyyy]

The daily sweep (also the Celery beat job "Takedown sweep"): re-checks every published post on
an official account against current image consent and creates a takedown task for each post and
pupil that may no longer appear and has none yet. Safe to run again: nothing is created twice.
"""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from accounts_registry import services


class Command(BaseCommand):
    help = "Re-check published posts against current image consent; create takedown tasks."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Check as of this date (dd/mm/yyyy); default today.")

    def handle(self, *args, date=None, **options):
        on = None
        if date:
            try:
                on = dt.datetime.strptime(date, "%d/%m/%Y").date()
            except ValueError:
                raise CommandError("Give the date like 01/09/2026.") from None
        result = services.takedowns_sweep(on=on)
        self.stdout.write(
            f"{result.posts_checked} published posts checked, "
            f"{result.created} takedown tasks created."
        )
