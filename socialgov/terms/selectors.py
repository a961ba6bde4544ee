"""Reads of term dates. An academic year is named by the year it starts in (2026 is 2026/27)."""

import datetime as dt

from django.db.models import QuerySet

from socialgov.terms.models import TermDate

# Schools outside England sometimes start in August, so a year's terms may begin from 1 August;
# which academic year a date belongs to still turns on 1 September.
YEAR_STARTS = (9, 1)


def academic_year_of(on: dt.date) -> int:
    """The academic year a date falls in: 31/08/2026 is in 2025 (2025/26), 01/09/2026 in 2026."""
    return on.year if (on.month, on.day) >= YEAR_STARTS else on.year - 1


def academic_year_bounds(academic_year: int) -> tuple[dt.date, dt.date]:
    """First and last day of an academic year: 01/09/2026 and 31/08/2027 for 2026."""
    return dt.date(academic_year, *YEAR_STARTS), dt.date(academic_year + 1, 8, 31)


def term_window(academic_year: int) -> tuple[dt.date, dt.date]:
    """Where a year's terms may fall: from 1 August (schools starting in August) to 31 August."""
    return dt.date(academic_year, 8, 1), dt.date(academic_year + 1, 8, 31)


def term_for(school, on: dt.date) -> TermDate | None:
    """The school's term that `on` falls in (first and last day included); None in holidays."""
    return (
        TermDate.objects.filter(school=school, starts_on__lte=on, ends_on__gte=on)
        .order_by("starts_on")
        .first()
    )


def terms_of_year(school, academic_year: int) -> QuerySet[TermDate]:
    """The school's terms of one academic year, in date order (autumn, spring, summer)."""
    return TermDate.objects.filter(school=school, academic_year=academic_year).order_by("starts_on")


def terms_by_year(school) -> list[tuple[int, list[TermDate]]]:
    """Every recorded term of the school grouped by academic year, newest year first (1 query)."""
    years: dict[int, list[TermDate]] = {}
    for term in TermDate.objects.filter(school=school).order_by("-academic_year", "starts_on"):
        years.setdefault(term.academic_year, []).append(term)
    return list(years.items())
