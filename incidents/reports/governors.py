"""Incidents in the governors' report and the trust roll-up (socialgov.reports): counts only.

By category (incidents.reports.selectors.incident_counts_for_governors: a staff-conduct concern
counts as staff conduct whatever it was reported as), grouped under the four areas of online
risk; by status and by month; and the handlers' governor-safe summaries of what was learnt.
Counts under 3 in the sensitive categories read "fewer than 3", and every total that includes
one reads "at least". The status and month tables leave those hidden categories out entirely:
otherwise their totals would give the hidden counts away.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Sequence

from django.db.models import Count as DbCount
from django.db.models import Q
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils import timezone

from incidents.reports.models import (
    CASE_MANAGER_ROUTES,
    OPEN_STATUSES,
    Category,
    Debrief,
    Incident,
    Route,
    Status,
)
from incidents.reports.selectors import SUPPRESSED_CATEGORIES, incident_counts_for_governors
from socialgov.dates import end_of_day
from socialgov.needs_me import Headline, SummaryFigure
from socialgov.people.roles import DSL_TEAM, LEADERSHIP
from socialgov.reports.registry import (
    Bar,
    Chart,
    Count,
    Figure,
    Period,
    ReportSection,
    SectionContent,
    Table,
    total_of,
)

# The four areas of online risk (KCSIE), and where each category sits.
AREAS: list[tuple[str, frozenset[str]]] = [
    (
        "Content",
        frozenset(
            {Category.INAPPROPRIATE_CONTENT, Category.FILTER_BYPASS, Category.MISINFORMATION}
        ),
    ),
    ("Contact", frozenset({Category.SAFEGUARDING, Category.PERSONAL_CONTACT})),
    (
        "Conduct",
        frozenset(
            {
                Category.CYBERBULLYING,
                Category.PUPIL_BEHAVIOUR,
                Category.STAFF_CONDUCT,
                Category.PARENT_CONDUCT,
                Category.ABUSIVE_POST,
                Category.ACCOUNT_COMMENT,
                Category.IMAGE_WITHOUT_CONSENT,
            }
        ),
    ),
    ("Commerce", frozenset()),
    ("Not classified", frozenset({Category.OTHER})),
]

# The roll-up's routing groups (who handles them); the DSL team's and the case manager's are
# safeguarding and staff conduct, so small counts there are hidden.
ROUTE_GROUPS: list[tuple[str, frozenset[str], bool]] = [
    ("Open: DSL team", frozenset({Route.DSL, Route.DSL_AND_HEAD, Route.ICT_AND_DSL}), True),
    ("Open: staff conduct", frozenset(CASE_MANAGER_ROUTES), True),
    ("Open: leadership", frozenset({Route.HEAD_AND_SLT, Route.HEAD_AND_DPO}), False),
    ("Open: network manager", frozenset({Route.ICT}), False),
]


def _bounds(period: Period) -> tuple[dt.datetime, dt.datetime]:
    start = timezone.make_aware(dt.datetime.combine(period.starts_on, dt.time.min))
    end = timezone.make_aware(
        dt.datetime.combine(period.ends_on + dt.timedelta(days=1), dt.time.min)
    )
    return start, end


def _months(period: Period) -> list[dt.date]:
    months, month = [], period.starts_on.replace(day=1)
    while month <= period.ends_on:
        months.append(month)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return months


# Concerns about members of staff are left out of the school's report altogether, not even as
# "fewer than 3": its readers include the headteacher, a concern's subject must find no trace of
# it, and allegations against staff reach governors through the chair (KCSIE part four).
LEFT_OUT = frozenset({Category.STAFF_CONDUCT})


def incidents_section(school, period: Period) -> SectionContent:
    """Three queries: counts by category, counts by category, status and month, summaries."""
    counts = {
        c.category: Count(c.count, sensitive=c.category in SUPPRESSED_CATEGORIES)
        for c in incident_counts_for_governors(school, since=period.starts_on, until=period.ends_on)
        if c.category not in LEFT_OUT
    }
    labels = dict(Category.choices)
    hidden = {category for category, count in counts.items() if count.suppressed}
    start, end = _bounds(period)
    by_status: Counter[str] = Counter()
    by_month: Counter[dt.date] = Counter()
    open_counts: Counter[str] = Counter()
    rows = (
        Incident.objects.filter(school=school, reported_at__gte=start, reported_at__lt=end)
        .annotate(month=TruncMonth("reported_at", tzinfo=timezone.get_current_timezone()))
        .values("category", "route", "status", "month")
        .annotate(n=DbCount("pk"))
    )
    for row in rows:
        category = (
            Category.STAFF_CONDUCT if row["route"] in CASE_MANAGER_ROUTES else row["category"]
        )
        if category in LEFT_OUT:
            continue
        if row["status"] in OPEN_STATUSES:
            open_counts[category] += row["n"]
        if category in hidden:
            continue
        by_status[row["status"]] += row["n"]
        by_month[row["month"].date()] += row["n"]

    area_rows, area_bars, category_rows = [], [], []
    for area, categories in AREAS:
        in_area = [c for c in Category.values if c in categories and c not in LEFT_OUT]
        area_total = total_of(counts[c] for c in in_area)
        area_rows.append([area, area_total])
        area_bars.append(Bar(area, area_total))
        for category in in_area:
            category_rows.append([labels[category], area, counts[category]])
    total = total_of(counts.values())
    category_rows.append(["All incidents", "", total])
    open_total = total_of(
        Count(open_counts[c], sensitive=c in SUPPRESSED_CATEGORIES)
        for c in Category.values
        if c not in LEFT_OUT
    )
    closed = total_of([total]).value - open_total.value
    shown_closed: Count | str = (
        Count(closed) if not (total.suppressed or open_total.suppressed) else "–"
    )

    status_rows = [[label, by_status[value]] for value, label in Status.choices]
    month_rows = [[f"{month:%B %Y}", by_month[month]] for month in _months(period)]
    note = (
        "Categories shown as “fewer than 3” are left out of this table, so that its total "
        "cannot give them away."
        if hidden
        else ""
    )
    # Not the summaries of staff-conduct concerns: the report is read by the headteacher and the
    # DSL team too, and a concern's subject must find no trace of it (issue 13).
    summaries = list(
        Debrief.objects.filter(
            incident__school=school, incident__closed_at__gte=start, incident__closed_at__lt=end
        )
        .exclude(incident__route__in=CASE_MANAGER_ROUTES)
        .order_by("incident__closed_at", "pk")
        .values_list("governor_summary", flat=True)
    )
    return SectionContent(
        intro=(
            "Concerns reported in the period, by category, grouped under the four areas of "
            "online risk (content, contact, conduct, commerce). Counts only: no names, "
            "descriptions or references. Concerns about members of staff are not in this "
            "report: the chair of governors reports on them separately."
        ),
        figures=[
            Figure("Reported in the period", total),
            Figure("Still open", open_total, tone="alert" if open_total.value else ""),
            Figure("Closed", shown_closed),
        ],
        charts=[
            Chart("Incidents by area of online risk", area_bars, unit="incidents"),
            Chart(
                "Incidents by month" + (" (categories under 3 left out)" if hidden else ""),
                [Bar(row[0], row[1]) for row in month_rows],
                unit="incidents",
            ),
        ],
        tables=[
            Table(
                "areas",
                "Incidents by area of online risk",
                ["Area", "Incidents"],
                area_rows,
                numeric=frozenset({1}),
            ),
            Table(
                "categories",
                "Incidents by category",
                ["Category", "Area", "Incidents"],
                category_rows,
                numeric=frozenset({2}),
            ),
            Table(
                "status",
                "Incidents by status now",
                ["Status", "Incidents"],
                status_rows,
                numeric=frozenset({1}),
                note=note,
            ),
            Table(
                "months",
                "Incidents by month reported",
                ["Month", "Incidents"],
                month_rows,
                numeric=frozenset({1}),
                note=note,
            ),
        ],
        paragraphs=summaries,
        paragraphs_heading="What was learnt (summaries written by the handlers for governors)",
    )


def incidents_rollup(schools: Sequence, period: Period) -> dict[int, list[Figure]]:
    """Incidents open at the end of the period's last day (or of today, if sooner), by routing
    group per school (one query for all the schools): reported by then and not yet closed.
    An incident is never reopened, so `closed_at` says when it stopped being open."""
    ends = end_of_day(period.as_of(timezone.localdate()))
    open_by: dict[int, Counter[str]] = defaultdict(Counter)
    rows = (
        Incident.objects.filter(school__in=[s.pk for s in schools], reported_at__lt=ends)
        .filter(Q(closed_at=None) | Q(closed_at__gte=ends))
        .values("school_id", "route")
        .annotate(n=DbCount("pk"))
    )
    for row in rows:
        open_by[row["school_id"]][row["route"]] += row["n"]
    result = {}
    for school in schools:
        routes = open_by[school.pk]
        groups = [
            (label, Count(sum(routes[r] for r in members), sensitive=sensitive))
            for label, members, sensitive in ROUTE_GROUPS
        ]
        total = total_of(count for _label, count in groups)
        result[school.pk] = [
            Figure("Open incidents", total, tone="alert" if total.value else ""),
            *[Figure(label, count) for label, count in groups],
        ]
    return result


INCIDENTS_SECTION = ReportSection(
    name="incidents",
    title="Incidents and lessons learnt",
    build=incidents_section,
    rollup=incidents_rollup,
    order=500,
)


def _headline_open(membership) -> Headline | None:
    """Leaders' summary strip: the open incidents the person handles or may handle, through the
    handling gateway (a concern about the person is never counted for them): read with the
    waiting panel's counts, one query for both per drawing."""
    from incidents.reports.needs_me import waiting_counts_now

    if not membership.role_names & (LEADERSHIP | DSL_TEAM):
        return None
    count = waiting_counts_now(membership)["open"]
    return Headline("Open incidents", str(count), f"{reverse('incident_list')}?show=open")


SUMMARY_FIGURE = SummaryFigure("incidents.open", _headline_open, order=200)
