"""Dates as a school writes them on a form."""

import datetime as dt

from django.utils import timezone

# The one message for a date that cannot be read, on every form (issue 9: one wording everywhere).
DATE_MESSAGE = "Enter a date like 01/09/2026."


def today() -> dt.date:
    """Today's date in Europe/London (the date a school would write on a form)."""
    return timezone.localdate()
