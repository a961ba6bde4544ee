"""`manage.py send_reminders [--date YYYY-MM-DD] [--dry-run]`: the daily reminder sweep, for cron
(the embedded default) and for tests; Celery beat runs the same service in production."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from socialgov.dates import today
from socialgov.reminders import registry
from socialgov.reminders.services import MAX_ATTEMPTS, ReminderCounts, reminders_send_due


def _plural(number: int, word: str, plural: str | None = None) -> str:
    return f"{number} {word if number == 1 else plural or word + 's'}"


def describe(counts: ReminderCounts, *, dry_run: bool) -> str:
    """One line of plain English for a kind's (or the total) counts."""
    if dry_run:
        parts = [
            f"{counts.due} due",
            f"{counts.sent} would be sent ({counts.retried} of them retries)",
            f"{counts.already_sent} already sent",
        ]
    else:
        parts = [
            f"{counts.due} due",
            f"{counts.sent} sent",
            f"{counts.already_sent} already sent",
            f"{counts.failed} failed",
            f"{counts.retried} retried",
        ]
    if counts.skipped:
        parts.append(f"{counts.skipped} earlier not sent (replaced or no longer due)")
    if counts.given_up:
        parts.append(f"{counts.given_up} given up after {MAX_ATTEMPTS} attempts")
    line = ", ".join(parts)
    if counts.broken:
        line += " — could not work out everything that is due: see the error log"
    return line


class Command(BaseCommand):
    help = (
        "Send the reminders due on a date (default: today in Europe/London) and retry earlier "
        "ones that failed. Safe to run more than once a day: a reminder is sent only once."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="The date to send for, written YYYY-MM-DD.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Only count what is due and would be sent; send and record nothing.",
        )

    def handle(self, *args, **options):
        on = self._date(options["date"])
        dry_run = options["dry_run"]
        results = reminders_send_due(on=on, dry_run=dry_run)

        heading = f"Reminders due on {on:%d/%m/%Y}"
        self.stdout.write(heading + (" (dry run: nothing sent or recorded)" if dry_run else ""))
        if not results:
            self.stdout.write("No kinds of reminder are registered.")
        total = ReminderCounts()
        for name, counts in results.items():
            total += counts
            self.stdout.write(f"{registry.get(name).label}: {describe(counts, dry_run=dry_run)}")
        self.stdout.write(f"Total: {describe(total, dry_run=dry_run)}")

        problems = []
        if total.failed:
            problems.append(
                f"{_plural(total.failed, 'reminder')} could not be sent; the next run retries "
                f"{'it' if total.failed == 1 else 'them'}"
            )
        broken = [registry.get(name).label for name, c in results.items() if c.broken]
        if broken:
            problems.append(f"could not work out what is due for: {', '.join(broken)}")
        if problems:
            # A non-zero exit, so cron (or whoever runs this) hears about it.
            raise CommandError("; ".join(problems) + ". Details are in the error log.")

    @staticmethod
    def _date(value: str | None) -> dt.date:
        if not value:
            return today()
        try:
            return dt.datetime.strptime(value.strip(), "%Y-%m-%d").date()
        except ValueError:
            raise CommandError(
                f"--date must be a real date written YYYY-MM-DD, like 2026-03-14 (not {value!r})."
            ) from None
