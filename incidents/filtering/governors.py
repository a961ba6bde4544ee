"""Filtering and monitoring in the governors' report and the trust roll-up (socialgov.reports):
blocked-content decisions (counts by outcome, and each web address with the reasons for its
decision), the yearly review's status, out-of-cycle reviews, the checks and the review actions.
Counts and decisions only: no requester, reviewer or owner is named."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence

from django.db.models import Count as DbCount
from django.utils import timezone

from incidents.filtering.models import (
    CheckResult,
    FilteringCheck,
    FilteringReview,
    FilteringRoles,
    RequestStatus,
    ReviewAction,
    ReviewKind,
    UnblockRequest,
)
from incidents.filtering.selectors import check_coverage, review_status
from socialgov.reports.registry import (
    Bar,
    Chart,
    Figure,
    Period,
    ReportSection,
    SectionContent,
    Table,
)
from socialgov.terms.selectors import academic_year_of

DECIDED = (
    RequestStatus.APPROVED,
    RequestStatus.ACTIVE,
    RequestStatus.EXPIRED,
    RequestStatus.REBLOCKED,
    RequestStatus.REFUSED,
    RequestStatus.REFUSED_OUTRIGHT,
)


def _outcome(status: str) -> str:
    if status == RequestStatus.REFUSED_OUTRIGHT:
        return "Refused: on a list nobody can override"
    if status == RequestStatus.REFUSED:
        return "Refused"
    return "Approved"


def _date(value: dt.date | None) -> str:
    return f"{value:%d/%m/%Y}" if value else "–"


def filtering_section(school, period: Period) -> SectionContent:
    """Requests made in the period (1 query), checks (1), coverage (1), the yearly review (1),
    reviews in the period and their actions (2), the named roles (1)."""
    on = period.as_of(timezone.localdate())
    decided = list(
        UnblockRequest.objects.filter(
            school=school,
            requested_at__date__gte=period.starts_on,
            requested_at__date__lte=period.ends_on,
            status__in=DECIDED,
        )
        .order_by("requested_at", "pk")
        .values_list("url", "status", "decision_reasons", "decided_at")
    )
    outcomes = Counter(_outcome(status) for _url, status, _r, _d in decided)
    decision_rows = [
        [url, _outcome(status), reasons or "–", _date(decided_at.date() if decided_at else None)]
        for url, status, reasons, decided_at in decided
    ]
    checks = Counter(
        dict(
            FilteringCheck.objects.filter(
                school=school, checked_on__range=(period.starts_on, period.ends_on)
            )
            .values_list("result")
            .annotate(n=DbCount("pk"))
            .values_list("result", "n")
        )
    )
    coverage = check_coverage(school, academic_year_of(on))
    covered = sum(cell.checked for cell in coverage)
    status = review_status(school, on)
    reviews = list(
        FilteringReview.objects.filter(
            school=school, held_on__range=(period.starts_on, period.ends_on)
        ).order_by("held_on", "pk")
    )
    actions = list(
        ReviewAction.objects.filter(review__in=[r.pk for r in reviews]).order_by("due_on", "pk")
    )
    roles = FilteringRoles.objects.filter(school=school).first()
    if status.this_year is not None:
        review_text = f"Held on {status.this_year.held_on:%d/%m/%Y}"
    elif status.overdue:
        review_text = "Overdue"
    else:
        review_text = f"Due by {status.due_by:%d/%m/%Y}"
    return SectionContent(
        intro=(
            "Requests to unblock web content decided in the period, the checks of the filtering "
            "and monitoring systems, and the yearly review (DfE filtering and monitoring "
            "standards). Nobody is named."
        ),
        figures=[
            Figure("Yearly review", review_text, tone="alert" if status.overdue else ""),
            Figure(
                "Out-of-cycle reviews in the period",
                sum(r.kind == ReviewKind.OUT_OF_CYCLE for r in reviews),
            ),
            Figure("Unblock requests decided", len(decided)),
            Figure("Checks in the period", sum(checks.values())),
            Figure(
                "Checks not blocked as expected",
                checks[CheckResult.NOT_BLOCKED],
                tone="alert" if checks[CheckResult.NOT_BLOCKED] else "",
            ),
            Figure(
                "Device, place and user group combinations checked this school year",
                f"{covered} of {len(coverage)}",
            ),
            Figure(
                "Responsible SLT member and governor named",
                "Yes" if roles and roles.slt_lead_id and roles.governor_id else "Not yet",
                tone="" if roles and roles.slt_lead_id and roles.governor_id else "alert",
            ),
        ],
        charts=[
            Chart(
                "Unblock decisions by outcome",
                [Bar(label, n) for label, n in sorted(outcomes.items())],
                unit="requests",
            )
        ]
        if outcomes
        else [],
        tables=[
            Table(
                "decisions",
                "Unblock decisions: each web address with the reasons",
                ["Web address", "Outcome", "Reasons for the decision", "Decided on"],
                decision_rows,
                empty="No request to unblock web content was decided in the period.",
            ),
            Table(
                "checks",
                "Checks by result",
                ["Result", "Checks"],
                [[label, checks[value]] for value, label in CheckResult.choices],
                numeric=frozenset({1}),
            ),
            Table(
                "actions",
                "Actions from the reviews in the period",
                ["Action", "By"],
                [[a.action, _date(a.due_on)] for a in actions],
                empty="No review in the period set actions.",
            ),
        ],
    )


def filtering_rollup(schools: Sequence, period: Period) -> dict[int, list[Figure]]:
    """Per school: the yearly review's status (one query for all the schools)."""
    on = period.as_of(timezone.localdate())
    year = academic_year_of(on)
    latest: dict[int, tuple[int, dt.date]] = {}
    for school_id, academic_year, held_on in (
        FilteringReview.objects.filter(
            school__in=[s.pk for s in schools], kind=ReviewKind.YEARLY, academic_year__lte=year
        )
        .order_by("school_id", "academic_year", "held_on")
        .values_list("school_id", "academic_year", "held_on")
    ):
        latest[school_id] = (academic_year, held_on)
    result = {}
    for school in schools:
        found = latest.get(school.pk)
        if found and found[0] == year:
            figure = Figure("Filtering review", f"Held {found[1]:%d/%m/%Y}")
        elif found is None or found[0] < year - 1:
            figure = Figure("Filtering review", "Overdue", tone="alert")
        else:
            figure = Figure("Filtering review", "Due this year")
        result[school.pk] = [figure]
    return result


FILTERING_SECTION = ReportSection(
    name="filtering",
    title="Filtering and monitoring",
    build=filtering_section,
    rollup=filtering_rollup,
    order=400,
)
