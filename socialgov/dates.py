"""Dates as a school writes them on a form."""

import datetime as dt

from django.utils import timezone

# The one message for a date that cannot be read, on every form (issue 9: one wording everywhere).
DATE_MESSAGE = "Enter a date like 01/09/2026."


def today() -> dt.date:
    """Today's date in Europe/London (the date a school would write on a form)."""
    return timezone.localdate()


def end_of_day(day: dt.date) -> dt.datetime:
    """When `day` ends in Europe/London: the local midnight that starts the next day (so a
    figure "as at" a day counts what happened up to 23:59:59 there, in summer time too)."""
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))
