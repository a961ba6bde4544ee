"""Writes to term dates: a school's three terms of one academic year, saved together."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from socialgov.people.models import School
from socialgov.terms.access import term_dates_editable_by
from socialgov.terms.models import Term, TermDate, academic_year_label
from socialgov.terms.selectors import term_window

TermDates = dict[str, tuple[dt.date, dt.date]]  # term → (first day, last day)


def field_name(term: str, end: str) -> str:
    """The form field of a term's first ("starts_on") or last ("ends_on") day."""
    return f"{term}_{end}"


def term_dates_problems(
    *, academic_year: int, dates: TermDates, require_all: bool = True
) -> dict[str, list[str]]:
    """What is wrong with one year's term dates, by form field (empty when nothing is).

    `require_all=False` checks only the terms given (a form whose other dates did not parse).
    """
    problems: dict[str, list[str]] = {}

    def problem(term: str, end: str, message: str) -> None:
        problems.setdefault(field_name(term, end), []).append(message)

    first_allowed, last_allowed = term_window(academic_year)
    year = academic_year_label(academic_year)
    sound: list[str] = []
    for term in Term.values:
        if term not in dates:
            if require_all:
                problem(term, "starts_on", f"Enter the dates of the {Term(term).label.lower()}.")
            continue
        starts_on, ends_on = dates[term]
        label = Term(term).label
        if ends_on <= starts_on:
            problem(term, "ends_on", f"The {label.lower()} must end after its first day.")
            continue
        if starts_on < first_allowed or ends_on > last_allowed:
            problem(
                term,
                "starts_on" if starts_on < first_allowed else "ends_on",
                f"The {label.lower()} of {year} must fall between "
                f"{first_allowed:%d/%m/%Y} and {last_allowed:%d/%m/%Y}.",
            )
            continue
        sound.append(term)
    # Autumn, spring and summer, in that order, without overlapping.
    for earlier, later in zip(Term.values, Term.values[1:], strict=False):
        if earlier in sound and later in sound:
            earlier_ends = dates[earlier][1]
            if dates[later][0] <= earlier_ends:
                problem(
                    later,
                    "starts_on",
                    f"The {Term(later).label.lower()} must start after the "
                    f"{Term(earlier).label.lower()} ends ({earlier_ends:%d/%m/%Y}).",
                )
    return problems


@transaction.atomic
def term_year_save(
    *, school: School, academic_year: int, dates: TermDates, actor
) -> list[TermDate]:
    """Record (or correct) a school's three terms of one academic year; headteacher or office.

    Raises ValidationError keyed by form field when the dates are out of order, overlap each
    other or another year's terms, or fall outside the year.
    """
    if not term_dates_editable_by(actor, school):
        raise PermissionDenied
    # Locking the school serialises two people saving its terms at once (no duplicate rows, and
    # the overlap check below sees the other's dates).
    school = School.objects.select_for_update().get(pk=school.pk)
    problems = term_dates_problems(academic_year=academic_year, dates=dates)
    if not problems:
        problems = _overlaps_with_other_years(school, academic_year, dates)
    if problems:
        raise ValidationError(problems)

    existing = {
        t.term: t for t in TermDate.objects.filter(school=school, academic_year=academic_year)
    }
    saved = []
    for term in Term.values:
        starts_on, ends_on = dates[term]
        term_date = existing.get(term) or TermDate(
            school=school, academic_year=academic_year, term=term
        )
        if term_date.pk and (term_date.starts_on, term_date.ends_on) == (starts_on, ends_on):
            saved.append(term_date)  # unchanged: no history row for nothing
            continue
        term_date.starts_on, term_date.ends_on = starts_on, ends_on
        term_date._history_user = actor
        term_date.full_clean()
        term_date.save()
        saved.append(term_date)
    return saved


def _overlaps_with_other_years(
    school: School, academic_year: int, dates: TermDates
) -> dict[str, list[str]]:
    others = list(
        TermDate.objects.filter(
            school=school, academic_year__in=[academic_year - 1, academic_year + 1]
        )
    )
    problems: dict[str, list[str]] = {}
    for term, (starts_on, ends_on) in dates.items():
        for other in others:
            if starts_on <= other.ends_on and other.starts_on <= ends_on:
                other_term = other.get_term_display().lower()
                problems.setdefault(field_name(term, "starts_on"), []).append(
                    f"The {Term(term).label.lower()} overlaps the {other_term} of "
                    f"{other.year_label} ({other.starts_on:%d/%m/%Y} to {other.ends_on:%d/%m/%Y})."
                )
    return problems
