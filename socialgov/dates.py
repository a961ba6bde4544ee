"""Dates as a school writes them on a form."""

import datetime as dt

from django.utils import timezone


def today() -> dt.date:
    """Today's date in Europe/London (the date a school would write on a form)."""
    return timezone.localdate()
