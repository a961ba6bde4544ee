"""Delete upload files that no record refers to (run daily from cron or Celery beat)."""

import datetime as dt

from django.core.management.base import BaseCommand

from socialgov.uploads.services import stored_file_orphans_delete


class Command(BaseCommand):
    help = "Delete files under uploads/ in private storage that no stored-file record refers to."

    def add_arguments(self, parser):
        parser.add_argument(
            "--hours",
            type=int,
            default=24,
            help="Only delete files older than this many hours (default 24).",
        )

    def handle(self, *args, hours: int, **options):
        deleted = stored_file_orphans_delete(older_than=dt.timedelta(hours=hours))
        self.stdout.write(f"Deleted {len(deleted)} file(s) with no record.")
