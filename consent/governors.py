"""Consent in the governors' report (socialgov.reports): for each purpose in use, how many current
pupils may appear, as counts and percentages, by year group, and the gaps (no decision yet).
Counts only: a restriction is counted within "may not appear" and never on its own (a small
number could identify an adopted child), as on the register's counts page."""

from __future__ import annotations

from collections import Counter

from django.utils import timezone

from consent.rules import Status
from consent.selectors import (
    COUNT_GROUP_ORDER,
    COUNT_GROUPS,
    active_purposes,
    current_pupils,
    pupil_facts,
    school_cells,
    year_group_label,
)
from socialgov.reports.registry import (
    Bar,
    Chart,
    Figure,
    Period,
    ReportSection,
    SectionContent,
    Table,
    percent,
)


def consent_section(school, period: Period) -> SectionContent:
    """Purposes (1 query), pupils (1), their year groups (1), states (2) and the school's rule."""
    on = period.as_of(timezone.localdate())
    purposes = list(active_purposes(school))
    facts = pupil_facts(school, on)
    cells = school_cells(school, purposes, on, facts)
    year_of = dict(current_pupils(school, on).values_list("pk", "year_group"))
    years = sorted({year_of[p.pk] for p in facts if p.pk in year_of})

    purpose_rows, year_rows, bars = [], [], []
    pupils_with_gap: set[int] = set()
    for purpose in purposes:
        groups: Counter[str] = Counter()
        allowed = 0
        by_year_allowed: Counter[int] = Counter()
        by_year_pupils: Counter[int] = Counter()
        by_year_gap: Counter[int] = Counter()
        for pupil in facts:
            status = cells[(pupil.pk, purpose.pk)].status
            year = year_of.get(pupil.pk)
            by_year_pupils[year] += 1
            if status == Status.ALLOWED:
                allowed += 1
                by_year_allowed[year] += 1
            else:
                groups[COUNT_GROUPS.get(status, "other")] += 1
            if status == Status.NO_DECISION and purpose.needs_consent:
                pupils_with_gap.add(pupil.pk)
                by_year_gap[year] += 1
        pupils = len(facts)
        purpose_rows.append(
            [
                purpose.name,
                pupils,
                allowed,
                percent(allowed, pupils),
                *[groups.get(name, 0) for name in COUNT_GROUP_ORDER],
            ]
        )
        bars.append(Bar(purpose.name, round(100 * allowed / pupils) if pupils else 0))
        for year in years:
            year_rows.append(
                [
                    purpose.name,
                    year_group_label(year),
                    by_year_pupils[year],
                    by_year_allowed[year],
                    percent(by_year_allowed[year], by_year_pupils[year]),
                    by_year_gap[year],
                ]
            )
    gaps = len(pupils_with_gap)
    return SectionContent(
        intro=(
            f"The consent register on {on:%d/%m/%Y}: for each use of photos and videos, how many "
            "pupils on roll may appear, and why the others may not. Counts only."
        ),
        figures=[
            Figure("Pupils on roll", len(facts)),
            Figure("Purposes in use", len(purposes)),
            Figure(
                "Pupils with a consent gap",
                gaps,
                tone="alert" if gaps else "",
                detail="No decision yet for at least one purpose that needs consent.",
            ),
        ],
        charts=[Chart("Pupils who may appear, by purpose", bars, unit="%", maximum=100)]
        if bars
        else [],
        tables=[
            Table(
                "purposes",
                "Consent by purpose",
                ["Purpose", "Pupils", "May appear", "May appear (%)"]
                + [name.capitalize() for name in COUNT_GROUP_ORDER],
                purpose_rows,
                numeric=frozenset(range(1, 4 + len(COUNT_GROUP_ORDER))),
                empty="No purposes are in use yet.",
            ),
            Table(
                "year-groups",
                "Consent by year group and purpose",
                ["Purpose", "Year group", "Pupils", "May appear", "May appear (%)", "No decision"],
                year_rows,
                numeric=frozenset({2, 3, 4, 5}),
                empty="No pupils on roll yet.",
            ),
        ],
    )


CONSENT_SECTION = ReportSection(
    name="consent",
    title="Consent for photos and videos",
    build=consent_section,
    order=200,
)
