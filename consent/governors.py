"""Consent in the governors' report (socialgov.reports): for each purpose in use, how many current
pupils may appear, as counts and percentages, by year group, and the gaps (no decision yet).
Counts only: a restriction is counted within "may not appear" and never on its own (a small
number could identify an adopted child), as on the register's counts page."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Sequence

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from consent.check import CompetenceRule, restriction_active_on
from consent.models import ConsentState, Pupil, Purpose, SchoolConsentSettings
from consent.rules import Status
from consent.selectors import (
    COUNT_GROUP_ORDER,
    COUNT_GROUPS,
    PupilFacts,
    active_purposes,
    cell_for,
    pupils_missing_consent,
    pupils_with_gap,
    status_counts,
    year_group_label,
)
from socialgov.needs_me import Headline, SummaryFigure
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
    """Purposes (1 query), the statuses counted by year group (5, see `status_counts`), the
    pupils with a gap (4) and the school's rule."""
    on = period.as_of(timezone.localdate())
    purposes = list(active_purposes(school))
    counts = status_counts(school, purposes, on, by_year=True)
    years = sorted(counts.pupils)
    pupils = sum(counts.pupils.values())

    purpose_rows, year_rows, bars = [], [], []
    for purpose in purposes:
        groups: Counter[str] = Counter()
        for status, n in counts.of(purpose.pk).items():
            if status != Status.ALLOWED and n:
                groups[COUNT_GROUPS.get(status, "other")] += n
        allowed = counts.of(purpose.pk)[Status.ALLOWED]
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
            in_year = counts.of(purpose.pk, year)
            year_rows.append(
                [
                    purpose.name,
                    year_group_label(year),
                    counts.pupils[year],
                    in_year[Status.ALLOWED],
                    percent(in_year[Status.ALLOWED], counts.pupils[year]),
                    in_year[Status.NO_DECISION] if purpose.needs_consent else 0,
                ]
            )
    gaps = pupils_with_gap(school, purposes, on)
    return SectionContent(
        intro=(
            f"The consent register on {on:%d/%m/%Y}: for each use of photos and videos, how many "
            "pupils on roll may appear, and why the others may not. Counts only."
        ),
        figures=[
            Figure("Pupils on roll", pupils),
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


def consent_gaps_by_school(schools: Sequence, on: dt.date) -> dict[int, int]:
    """How many current pupils of each school have no decision for some purpose in use that
    needs consent (as `consent.selectors.pupils_with_gap` counts them, restricted pupils left
    out), for all the schools in five queries: the pupils whose every state is settled counted
    by the database, by school; the few with a state still changing worked out cell by cell."""
    by_id = {school.pk: school for school in schools}
    ids = list(by_id)
    purposes: dict[int, list[Purpose]] = defaultdict(list)
    for purpose in Purpose.objects.filter(school_id__in=ids, is_active=True).order_by("pk"):
        if purpose.needs_consent:
            purposes[purpose.school_id].append(purpose)
    result: dict[int, int] = dict.fromkeys(ids, 0)
    if not purposes:
        return result
    presumed = set(
        SchoolConsentSettings.objects.filter(
            school_id__in=ids, presume_competence=True
        ).values_list("school_id", flat=True)
    )
    changing = Q(settled_on__gt=on) | Q(school_id__in=presumed, timeline_presumed__isnull=False)
    states = ConsentState.objects.filter(
        school_id__in=list(purposes), purpose_id__in=[p.pk for ps in purposes.values() for p in ps]
    )
    pupils = (
        Pupil.objects.filter(school_id__in=list(purposes))
        .filter(Q(leaving_date__isnull=True) | Q(leaving_date__gt=on))
        .annotate(restricted_now=restriction_active_on(on))
        .filter(restricted_now=False)
    )
    changing_pupils = states.filter(changing).values("pupil")
    # Clear of gaps: a settled status other than "no decision" for each of the school's
    # purposes. Schools are grouped by how many purposes they use (one subquery per number).
    schools_using: dict[int, list[int]] = defaultdict(list)
    for school_id, used in purposes.items():
        schools_using[len(used)].append(school_id)
    settled = pupils.exclude(pk__in=changing_pupils)
    for number, school_ids in schools_using.items():
        clear = (
            states.filter(school_id__in=school_ids)
            .exclude(changing)
            .exclude(settled_status=Status.NO_DECISION)
            .order_by()
            .values("pupil")
            .annotate(n=Count("*"))  # not of the key: the covering index answers alone
            .filter(n=number)
            .values("pupil")
        )
        settled = settled.exclude(pk__in=clear)
    for school_id, count in (
        settled.order_by().values("school_id").annotate(n=Count("pk")).values_list("school_id", "n")
    ):
        result[school_id] += count
    rules = {
        pk: CompetenceRule(presume=pk in presumed, age=school.pupil_competence_age)
        for pk, school in by_id.items()
    }
    few = [
        (school_id, PupilFacts(pk, born, leaving, False))
        for school_id, pk, born, leaving in pupils.filter(pk__in=changing_pupils).values_list(
            "school_id", "pk", "date_of_birth", "leaving_date"
        )
    ]
    if not few:
        return result
    read = {
        (pupil, purpose): (timeline, presumed_timeline)
        for pupil, purpose, timeline, presumed_timeline in states.filter(
            pupil_id__in=[pupil.pk for _school_id, pupil in few]
        ).values_list("pupil_id", "purpose_id", "timeline", "timeline_presumed")
    }
    for school_id, pupil in few:
        for purpose in purposes[school_id]:
            status = cell_for(
                pupil=pupil, purpose=purpose, state=read.get((pupil.pk, purpose.pk)), on=on,
                restricted=False, rule=rules[school_id],
            ).status  # fmt: skip
            if status == Status.NO_DECISION:
                result[school_id] += 1
                break
    return result


def consent_rollup(schools: Sequence, period: Period) -> dict[int, list[Figure]]:
    """Per school: pupils with a consent gap (four queries for all the schools)."""
    gaps = consent_gaps_by_school(schools, period.as_of(timezone.localdate()))
    return {
        school.pk: [
            Figure(
                "Consent gaps (pupils)", gaps[school.pk], tone="alert" if gaps[school.pk] else ""
            )
        ]
        for school in schools
    }


def _headline_missing_consent(membership) -> Headline | None:
    """Leaders' summary strip: pupils whose image consent is missing or has expired, for those
    who read the consent register (consent gateway), linked to the register (three queries)."""
    from consent import access as consent_access

    user, school = membership.user, membership.school
    if not consent_access.can_read_register(user, school):
        return None
    missing = pupils_missing_consent(school, timezone.localdate())
    return Headline(
        "Pupils missing image consent (none given, or expired)",
        str(missing),
        reverse("consent_in_school", args=[school.pk, "register"]),
        tone="alert" if missing else "",
    )


SUMMARY_FIGURE = SummaryFigure("consent.missing", _headline_missing_consent, order=150)


CONSENT_SECTION = ReportSection(
    name="consent",
    title="Consent for photos and videos",
    build=consent_section,
    rollup=consent_rollup,
    order=200,
)
