"""`manage.py governors_report --school URN --from YYYY-MM-DD --to YYYY-MM-DD --out FILE`: the same
governors' report PDF as the page, for the people who run the deployment."""

import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from socialgov.people.models import School
from socialgov.reports.pdf import report_pdf
from socialgov.reports.period import LONGEST_DAYS, range_period
from socialgov.reports.selectors import report_for


def _date(value: str, name: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--{name} must be a date written YYYY-MM-DD, not {value!r}.") from None


class Command(BaseCommand):
    help = "Write a school's governors' review report for a period as a PDF."

    def add_arguments(self, parser):
        parser.add_argument("--school", required=True, help="The school's URN.")
        parser.add_argument("--from", dest="starts_on", required=True, help="YYYY-MM-DD")
        parser.add_argument("--to", dest="ends_on", required=True, help="YYYY-MM-DD")
        parser.add_argument("--out", required=True, help="The PDF file to write.")

    def handle(self, *args, school, starts_on, ends_on, out, **options):
        found = School.objects.filter(urn=school).first()
        if found is None:
            raise CommandError(f"No school has the URN {school!r}.")
        first, last = _date(starts_on, "from"), _date(ends_on, "to")
        if last < first:
            raise CommandError("The period must end on or after the day it starts.")
        if (last - first).days > LONGEST_DAYS:
            raise CommandError("A report covers at most three years.")
        content = report_pdf(report_for(found, range_period(first, last)))
        Path(out).write_bytes(content)
        self.stdout.write(f"Wrote {out} ({len(content):,} bytes) for {found.name}.")
