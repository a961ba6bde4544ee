import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from incidents.filtering.services import unblock_requests_expire


class Command(BaseCommand):
    help = (
        "Expire the unblocks whose end date has passed, each once, so the network manager is told "
        "to block the site again (the beat job 'Expired unblocks' does this every night; run it "
        "from cron in the embedded default). Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="As of this date (YYYY-MM-DD; default today).")

    def handle(self, *args, date=None, **options):
        on = None
        if date:
            try:
                on = dt.date.fromisoformat(date)
            except ValueError:
                raise CommandError("Give the date as YYYY-MM-DD.") from None
        expired = unblock_requests_expire(on)
        self.stdout.write(f"Expired {expired} unblocks.")
