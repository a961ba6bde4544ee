"""Dates as a school writes them on a form."""

import datetime as dt

from django import forms
from django.utils import timezone

# The one message for a date that cannot be read, on every form (issue 9: one wording everywhere).
DATE_MESSAGE = "Enter a date like 01/09/2026."

ISO_DATE = "%Y-%m-%d"
UK_DATE = "%d/%m/%Y"
# What a field with a browser's date picker reads: the ISO date the picker submits, and
# dd/mm/yyyy typed where a browser has no picker (the input is then a plain text box).
PICKER_INPUT_FORMATS = [ISO_DATE, UK_DATE]


class DatePickerInput(forms.DateInput):
    """`<input type="date">` with its value as yyyy-mm-dd: a browser's date input shows any other
    value (the UK dd/mm/yyyy Django would fill in) as blank. A dd/mm/yyyy value sent back, from a
    browser without a picker, is shown as yyyy-mm-dd too. Dates on pages stay dd/mm/yyyy."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format=ISO_DATE)

    def format_value(self, value):
        if isinstance(value, dt.datetime):
            value = value.date()
        if isinstance(value, dt.date):
            return value.isoformat()  # strftime("%Y") drops a small year's leading zeros
        if isinstance(value, str):
            for date_format in PICKER_INPUT_FORMATS:
                try:
                    return dt.datetime.strptime(value.strip(), date_format).date().isoformat()
                except ValueError:
                    continue
        return super().format_value(value)  # what cannot be read goes back as typed


def today() -> dt.date:
    """Today's date in Europe/London (the date a school would write on a form)."""
    return timezone.localdate()


def end_of_day(day: dt.date) -> dt.datetime:
    """When `day` ends in Europe/London: the local midnight that starts the next day (so a
    figure "as at" a day counts what happened up to 23:59:59 there, in summer time too)."""
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))
