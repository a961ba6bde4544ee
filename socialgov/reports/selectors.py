"""Reads for reports: a school's report from every registered section, and the trust roll-up."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils import timezone

from socialgov.people.models import School, Trust
from socialgov.reports.registry import (
    REPORT_SECTIONS,
    Bar,
    Chart,
    Figure,
    Period,
    ReportSection,
    SectionContent,
    Table,
)
from socialgov.terms.models import TermDate


@dataclass
class BuiltSection:
    section: ReportSection
    content: SectionContent

    @property
    def name(self) -> str:
        return self.section.name

    @property
    def title(self) -> str:
        return self.section.title


@dataclass
class Report:
    school: School
    period: Period
    sections: list[BuiltSection]
    drawn_at: dt.datetime = field(default_factory=timezone.localtime)

    def table(self, section_name: str, slug: str) -> Table | None:
        for built in self.sections:
            if built.name == section_name:
                for table in built.content.tables:
                    if table.slug == slug:
                        return table
        return None


def generated_reports_of(school: School):
    """The school's kept reports, newest first, with who generated each (one query)."""
    from socialgov.reports.models import GeneratedReport

    return GeneratedReport.objects.filter(school=school).select_related("generated_by")[:200]


def school_terms(school: School) -> list[TermDate]:
    """The school's recorded terms in date order (one query)."""
    return list(TermDate.objects.filter(school=school).order_by("starts_on"))


def report_for(school: School, period: Period) -> Report:
    """Every registered section's content for `school` over `period`, in order."""
    return Report(
        school=school,
        period=period,
        sections=[
            BuiltSection(section, section.build(school, period))
            for section in REPORT_SECTIONS.entries()
        ],
    )


@dataclass
class RollupColumn:
    section: ReportSection
    label: str


@dataclass
class RollupRow:
    school: School
    figures: list[Figure]


@dataclass
class SchoolChart:
    school: School
    chart: Chart


@dataclass
class Rollup:
    trust: Trust
    period: Period
    columns: list[RollupColumn]
    rows: list[RollupRow]
    drawn_at: dt.datetime = field(default_factory=timezone.localtime)

    @property
    def as_of(self) -> dt.date:
        """The day the open figures are counted on: the period's last day, or today if sooner."""
        return self.period.as_of(self.drawn_at.date())

    @property
    def charts(self) -> list[SchoolChart]:
        """Per school, a chart of its percentage figures (the PDF's small multiples)."""
        charts = []
        for row in self.rows:
            bars = [
                Bar(f.label, f.chart_percent) for f in row.figures if f.chart_percent is not None
            ]
            if bars:
                chart = Chart(row.school.name, bars, "%", 100, compact=True)
                charts.append(SchoolChart(row.school, chart))
        return charts

    def as_table(self) -> Table:
        return Table(
            slug="rollup",
            caption=f"Schools of {self.trust.name}",
            columns=["School", *[c.label for c in self.columns]],
            rows=[[row.school.name, *[f.value for f in row.figures]] for row in self.rows],
            numeric=frozenset(range(1, len(self.columns) + 1)),
        )


def trust_schools(trust: Trust) -> list[School]:
    return list(School.objects.filter(trust=trust).select_related("trust").order_by("name"))


def rollup_for(trust: Trust, period: Period, schools: Sequence[School] | None = None) -> Rollup:
    """One row per school of the trust, one column per roll-up figure of every section: each
    section answers for all the schools at once (its queries do not grow with the schools)."""
    schools = list(schools) if schools is not None else trust_schools(trust)
    columns: list[RollupColumn] = []
    per_school: dict[int, list[Figure]] = {school.pk: [] for school in schools}
    for section in REPORT_SECTIONS.entries():
        if section.rollup is None:
            continue
        figures = section.rollup(schools, period)
        labels: list[str] = []
        for school_figures in figures.values():
            labels = [f.label for f in school_figures]
            break
        columns.extend(RollupColumn(section, label) for label in labels)
        for school in schools:
            school_figures = figures.get(school.pk) or [Figure(label, "–") for label in labels]
            per_school[school.pk].extend(school_figures)
    return Rollup(
        trust=trust,
        period=period,
        columns=columns,
        rows=[RollupRow(school, per_school[school.pk]) for school in schools],
    )
