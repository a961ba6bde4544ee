"""Training in the governors' report and the trust roll-up (socialgov.reports): induction and the
annual refresher by staff group, as counts and percentages (groups of fewer than 3 people show no
figures), and the sessions held in the period. Nobody is named."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from django.db.models import Count as DbCount
from django.utils import timezone

from socialgov.reports.registry import (
    SUPPRESS_BELOW,
    Bar,
    Chart,
    Figure,
    Period,
    ReportSection,
    SectionContent,
    Table,
    percent,
)
from socialgov.training.models import TrainingKind, TrainingSession
from socialgov.training.selectors import State, coverage_figures, training_states_of_schools

IN_DATE = (State.UP_TO_DATE, State.DUE_SOON)


def training_section(school, period: Period) -> SectionContent:
    """Coverage (training.selectors.coverage_figures: 3 queries, nobody's row built) and
    sessions in the period (1)."""
    on = period.as_of(timezone.localdate())
    coverage = coverage_figures(school, on)
    rows, bars = [], []
    for group in [*coverage.groups, coverage.total]:
        in_date = group.up_to_date + group.due_soon
        if 0 < group.people < SUPPRESS_BELOW:
            rows.append([group.label, f"fewer than {SUPPRESS_BELOW}", "–", "–", "–", "–"])
            continue
        rows.append(
            [
                group.label,
                group.people,
                percent(group.inducted, group.people),
                percent(in_date, group.people),
                group.due,
                group.overdue,
            ]
        )
        if group.group:
            bars.append(Bar(group.label, group.percent))
    sessions = dict(
        TrainingSession.objects.filter(
            school=school, held_on__range=(period.starts_on, period.ends_on)
        )
        .values_list("kind")
        .annotate(n=DbCount("pk"))
        .values_list("kind", "n")
    )
    total = coverage.total
    return SectionContent(
        intro=(
            f"Online safety training of staff, volunteers and governors on {on:%d/%m/%Y}: "
            f"induction within {coverage.within} days of starting, then a refresher every year."
        ),
        figures=[
            Figure("Trained people", total.people),
            Figure("Training in date", percent(total.up_to_date + total.due_soon, total.people)),
            Figure("Overdue", total.overdue, tone="alert" if total.overdue else ""),
            Figure("Sessions in the period", sum(sessions.values())),
        ],
        charts=[Chart("Training in date, by staff group", bars, unit="%", maximum=100)]
        if bars
        else [],
        tables=[
            Table(
                "coverage",
                "Training by staff group",
                ["Staff group", "People", "Had induction", "In date", "Due", "Overdue"],
                rows,
                numeric=frozenset({1, 2, 3, 4, 5}),
                empty="Nobody is on the training log yet.",
                note=f"Groups of fewer than {SUPPRESS_BELOW} people are not shown as figures.",
            ),
            Table(
                "sessions",
                "Sessions held in the period",
                ["Kind", "Sessions"],
                [[label, sessions.get(value, 0)] for value, label in TrainingKind.choices],
                numeric=frozenset({1}),
            ),
        ],
    )


def training_rollup(schools: Sequence, period: Period) -> dict[int, list[Figure]]:
    """Per school: the share of trained people in date (two queries for all the schools)."""
    on = period.as_of(timezone.localdate())
    people: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for school_id, state in training_states_of_schools([s.pk for s in schools], on):
        pair = people[school_id]
        pair[0] += state in IN_DATE
        pair[1] += 1
    result = {}
    for school in schools:
        in_date, total = people[school.pk]
        result[school.pk] = [
            Figure(
                "Training in date",
                percent(in_date, total),
                chart_percent=round(100 * in_date / total) if total else None,
            )
        ]
    return result


TRAINING_SECTION = ReportSection(
    name="training",
    title="Training",
    build=training_section,
    rollup=training_rollup,
    order=150,
)
