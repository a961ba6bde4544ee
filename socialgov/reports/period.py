"""The period a report covers: a term from the school's term dates, a school year, or dates."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone

from socialgov.dates import DATE_MESSAGE, PICKER_INPUT_FORMATS, DatePickerInput
from socialgov.reports.registry import Period
from socialgov.terms.models import TermDate, academic_year_label
from socialgov.terms.selectors import academic_year_bounds, academic_year_of

# A report covers at most this long: longer periods are almost always a typo in a year.
LONGEST_DAYS = 366 * 3
RANGE = "range"
# Besides the years of a school's terms, this school year and the three before it are offered
# (older ones: dates of one's choice).
RECENT_YEARS_BACK = 3


def term_period(term: TermDate) -> Period:
    return Period(term.starts_on, term.ends_on, str(term), key=f"term-{term.pk}")


def year_period(academic_year: int) -> Period:
    starts_on, ends_on = academic_year_bounds(academic_year)
    label = f"School year {academic_year_label(academic_year)}"
    return Period(starts_on, ends_on, label, key=f"year-{academic_year}")


def range_period(starts_on: dt.date, ends_on: dt.date) -> Period:
    label = f"{starts_on:%d/%m/%Y} to {ends_on:%d/%m/%Y}"
    return Period(starts_on, ends_on, label, key=RANGE)


def default_period(school, terms: list[TermDate], today: dt.date | None = None) -> Period:
    """The term today falls in (or the last one that has ended), else the current school year."""
    today = today or timezone.localdate()
    current = [t for t in terms if t.starts_on <= today <= t.ends_on]
    if current:
        return term_period(current[0])
    ended = [t for t in terms if t.ends_on < today]
    if ended:
        return term_period(max(ended, key=lambda t: t.ends_on))
    return year_period(academic_year_of(today))


class PeriodForm(forms.Form):
    """Read from the query string (a report is a read): `period` is term-<id>, year-<year> or
    range (then `starts_on` and `ends_on`)."""

    period = forms.ChoiceField(label="Period")
    starts_on = forms.DateField(
        label="From",
        required=False,
        input_formats=PICKER_INPUT_FORMATS,
        widget=DatePickerInput,
        error_messages={"invalid": DATE_MESSAGE},
    )
    ends_on = forms.DateField(
        label="To",
        required=False,
        input_formats=PICKER_INPUT_FORMATS,
        widget=DatePickerInput,
        error_messages={"invalid": DATE_MESSAGE},
    )

    def __init__(self, *args, school, terms: list[TermDate], today: dt.date | None = None, **kw):
        super().__init__(*args, **kw)
        self.school = school
        self.terms = {f"term-{t.pk}": t for t in terms}
        today = today or timezone.localdate()
        # The years of the school's terms, and this year and those before it that the trust
        # roll-up offers (its links open each school's report for the same year).
        this_year = academic_year_of(today)
        recent = range(this_year - RECENT_YEARS_BACK, this_year + 1)
        years = sorted({t.academic_year for t in terms} | set(recent), reverse=True)
        self.years = {f"year-{y}": y for y in years}
        self.fields["period"].choices = [
            *(
                [("Terms", [(key, str(t)) for key, t in reversed(list(self.terms.items()))])]
                if self.terms
                else []
            ),
            (
                "School years",
                [(key, f"School year {academic_year_label(y)}") for key, y in self.years.items()],
            ),
            (RANGE, "Dates of your choice"),
        ]

    def clean(self):
        data = super().clean()
        key = data.get("period")
        if key == RANGE:
            starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
            if starts_on is None and "starts_on" not in self.errors:
                self.add_error("starts_on", "Enter the first day of the period.")
            if ends_on is None and "ends_on" not in self.errors:
                self.add_error("ends_on", "Enter the last day of the period.")
            if starts_on and ends_on:
                if ends_on < starts_on:
                    self.add_error("ends_on", "The period must end on or after the day it starts.")
                elif (ends_on - starts_on).days > LONGEST_DAYS:
                    self.add_error("ends_on", "A report covers at most three years.")
        return data

    def chosen_period(self) -> Period:
        """The period asked for (call after `is_valid()`)."""
        key = self.cleaned_data["period"]
        if key in self.terms:
            return term_period(self.terms[key])
        if key in self.years:
            return year_period(self.years[key])
        return range_period(self.cleaned_data["starts_on"], self.cleaned_data["ends_on"])


class RollupPeriodForm(PeriodForm):
    """The trust roll-up's period: a school year (its schools' terms differ) or dates of one's
    choice, with the same fields, date formats and rules as a school's report."""

    def __init__(self, *args, today: dt.date | None = None, **kw):
        super().__init__(*args, school=None, terms=[], today=today, **kw)
        self.fields["period"].error_messages["invalid_choice"] = (
            "Choose a school year from the list, or dates of your choice."
        )
