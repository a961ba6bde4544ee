"""Reads of blocked-content requests and the filtering record, with their related rows loaded
(the one place N+1 queries are prevented). Lists come through the gateway (access.py)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Window
from django.db.models.functions import RowNumber

from incidents.filtering import access as filtering_access
from incidents.filtering.models import (
    REVIEW_POINTS,
    CheckResult,
    Device,
    FilteringCheck,
    FilteringReview,
    FilteringRoles,
    Place,
    RequestStatus,
    ReviewAction,
    ReviewKind,
    UnblockRequest,
    UserGroup,
)
from socialgov.people.models import Membership
from socialgov.terms.selectors import academic_year_bounds, academic_year_of, term_for

DECIDED_STATUSES = frozenset(
    {
        RequestStatus.APPROVED,
        RequestStatus.ACTIVE,
        RequestStatus.EXPIRED,
        RequestStatus.REBLOCKED,
        RequestStatus.REFUSED,
        RequestStatus.REFUSED_OUTRIGHT,
    }
)
REVIEW_DUE_DAYS = (60, 30, 7)
ENDING_DAYS = 7


def school_people(school) -> QuerySet:
    """Current members of the school, for naming a role, a participant or an owner."""
    from socialgov.people.models import User

    return User.objects.filter(
        pk__in=Membership.objects.current().filter(school=school).values("user_id")
    ).order_by("full_name")


_REQUEST_RELATED = ("requester", "reviewed_by", "decided_by", "unblocked_by", "reblocked_by")


def my_requests(user, school) -> QuerySet[UnblockRequest]:
    return (
        filtering_access.unblock_request_visible_to(user)
        .filter(school=school, requester=user)
        .select_related(*_REQUEST_RELATED)
    )


def decision_log(
    user,
    school,
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    outcome: str = "",
) -> QuerySet[UnblockRequest]:
    """Every request of the school the person may see, newest first, by the date it was made
    (from `start` to `end` included) and its outcome (its status)."""
    requests = filtering_access.unblock_request_visible_to(user).filter(school=school)
    if start:
        requests = requests.filter(requested_at__date__gte=start)
    if end:
        requests = requests.filter(requested_at__date__lte=end)
    if outcome:
        requests = requests.filter(status=outcome)
    return requests.select_related(*_REQUEST_RELATED).order_by("-requested_at", "-pk")


def waiting_counts(membership) -> dict[str, int]:
    """What waits at one school for the person of `membership` (one query)."""
    user = membership.user
    visible = filtering_access.unblock_request_visible_to(user).filter(
        school_id=membership.school_id
    )
    return visible.aggregate(
        to_review=Count("pk", filter=Q(status=RequestStatus.AWAITING_REVIEW)),
        to_decide=Count(
            "pk", filter=Q(status=RequestStatus.AWAITING_DECISION) & ~Q(requester=user)
        ),
        to_unblock=Count("pk", filter=Q(status=RequestStatus.APPROVED)),
        to_reblock=Count("pk", filter=Q(status=RequestStatus.EXPIRED)),
    )


NAMED_PEOPLE = ("slt_lead", "governor", "it_provider")


def filtering_roles_of(school, *, with_people: bool = True) -> FilteringRoles:
    """The school's named roles (an unsaved empty row when none are named yet), for reading.

    A named person counts only while they are a current member of the school: someone with a
    future leaving date stays named until that date (the leaver listener keeps them), and from
    that day the role reads as unassigned, so the headteacher is warned (one query: the
    membership checks are subqueries). Never save the returned row: writes go through
    `filtering_roles_save`, which reads its own. Without `with_people`, only who is named (their
    ids) is read, not the people (the dashboard's panel)."""
    current = Membership.objects.current().filter(school_id=OuterRef("school_id"))
    named = FilteringRoles.objects.filter(school=school)
    if with_people:
        named = named.select_related(*NAMED_PEOPLE)
    roles = named.annotate(
        **{
            f"{name}_is_current": Exists(current.filter(user_id=OuterRef(f"{name}_id")))
            for name in NAMED_PEOPLE
        }
    ).first()
    if roles is None:
        return FilteringRoles(school=school)
    for name in NAMED_PEOPLE:
        if getattr(roles, f"{name}_id") is not None and not getattr(roles, f"{name}_is_current"):
            setattr(roles, name, None)  # has left: no longer named (in memory only)
    return roles


def checks_for_list(user, school, *, academic_year: int | None = None) -> QuerySet:
    checks = filtering_access.filtering_check_visible_to(user).filter(school=school)
    if academic_year is not None:
        start, end = academic_year_bounds(academic_year)
        checks = checks.filter(checked_on__range=(start, end))
    return checks.select_related("checked_by").order_by("-checked_on", "-pk")


@dataclass(frozen=True)
class CoverageCell:
    device: str
    place: str
    user_group: str
    checked: bool


def check_coverage(school, academic_year: int) -> list[CoverageCell]:
    """Every device × place × user group, and whether it was checked this academic year (one
    query)."""
    start, end = academic_year_bounds(academic_year)
    done = set(
        FilteringCheck.objects.filter(school=school, checked_on__range=(start, end))
        .exclude(result=CheckResult.NOT_TESTED)
        .values_list("device", "place", "user_group")
        .distinct()
    )
    return [
        CoverageCell(device.label, place.label, group.label, (device, place, group) in done)
        for device in Device
        for place in Place
        for group in UserGroup
    ]


def checks_this_term(school, on: dt.date) -> bool | None:
    """Whether a check is recorded in the term `on` falls in (None out of term)."""
    term = term_for(school, on)
    if term is None:
        return None
    return FilteringCheck.objects.filter(
        school=school, checked_on__range=(term.starts_on, on)
    ).exists()


@dataclass(frozen=True)
class ReviewStatus:
    academic_year: int
    this_year: FilteringReview | None
    last: FilteringReview | None
    due_by: dt.date

    @property
    def overdue(self) -> bool:
        """No yearly review this academic year nor in the whole of the last one."""
        if self.this_year is not None:
            return False
        return self.last is None or self.last.academic_year < self.academic_year - 1


def review_status(school, on: dt.date) -> ReviewStatus:
    """Where the school stands with its yearly review on `on` (one query)."""
    year = academic_year_of(on)
    last = (
        FilteringReview.objects.filter(
            school=school, kind=ReviewKind.YEARLY, academic_year__lte=year
        )
        .order_by("-academic_year", "-held_on")
        .first()
    )
    this_year = last if last is not None and last.academic_year == year else None
    return ReviewStatus(
        academic_year=year, this_year=this_year, last=last, due_by=academic_year_bounds(year)[1]
    )


def reviews_for_list(user, school) -> QuerySet[FilteringReview]:
    return (
        filtering_access.filtering_review_visible_to(user)
        .filter(school=school)
        .select_related("slt_lead", "dsl", "it_provider", "governor")
        .order_by("-held_on", "-pk")
    )


@dataclass
class PointEvidence:
    name: str
    label: str
    stated: str
    evidence: str  # "evidenced" (the record shows it), "stated" (written only) or "missing"
    detail: str = ""


@dataclass
class ReviewEvidence:
    """The record of the review's year: the decisions and checks as querysets (the page shows a
    page of each, the PDF all), their numbers and the check results counted in the database."""

    decisions: QuerySet[UnblockRequest]
    decision_count: int
    checks: QuerySet[FilteringCheck]
    check_count: int
    check_results: dict = field(default_factory=dict)
    filtering_incidents: dict = field(default_factory=dict)
    points: list[PointEvidence] = field(default_factory=list)


def _check_result_counts(checks: QuerySet[FilteringCheck]) -> dict[str, int]:
    """How many of the checks had each result, the results in the order they first occur in the
    log (by date, then as logged): one query."""
    rows = (
        checks.annotate(
            n=Window(Count("pk"), partition_by=[F("result")]),
            nth=Window(
                RowNumber(), partition_by=[F("result")], order_by=[F("checked_on"), F("pk")]
            ),
        )
        .filter(nth=1)  # each result's first check, carrying the result's count
        .order_by("checked_on", "pk")
        .values("result", "n")
    )
    return {CheckResult(r["result"]).label: r["n"] for r in rows}


def _filtering_incident_counts(school, start: dt.date, end: dt.date) -> dict[str, int]:
    """Filtering-related incidents of the year by category: counts only, never names."""
    from incidents.reports.models import TECHNICAL_CATEGORIES, Category, Incident

    rows = (
        Incident.objects.filter(
            school=school,
            category__in=sorted(TECHNICAL_CATEGORIES),
            reported_at__date__range=(start, end),
        )
        .values("category")
        .annotate(n=Count("pk"))
        .order_by("category")
    )
    return {Category(r["category"]).label: r["n"] for r in rows}


def review_evidence(review: FilteringReview) -> ReviewEvidence:
    """What the record shows for the review's academic year (up to the day it was held, for an
    out-of-cycle one the same), and for each point whether it is evidenced or only stated."""
    start, end = academic_year_bounds(review.academic_year)
    school = review.school
    decisions = (
        UnblockRequest.objects.filter(school=school, status__in=sorted(DECIDED_STATUSES))
        .filter(
            Q(decided_at__date__range=(start, end))
            | Q(outcome="", reviewed_at__date__range=(start, end))
        )
        .order_by("requested_at", "pk")
    )
    decision_count = decisions.count()
    checks = FilteringCheck.objects.filter(school=school, checked_on__range=(start, end)).order_by(
        "checked_on", "pk"
    )
    results = _check_result_counts(checks)
    check_count = sum(results.values())
    incidents = _filtering_incident_counts(school, start, end)
    from_record = {
        "blocked_allowed": (
            bool(decision_count),
            f"{decision_count} blocked-content decision{'s' if decision_count != 1 else ''} "
            "this year",
        ),
        "checks": (
            bool(check_count),
            f"{check_count} check{'s' if check_count != 1 else ''} logged this year",
        ),
        "safeguarding_reports": (
            bool(incidents),
            f"{sum(incidents.values())} filtering-related incident report"
            f"{'s' if sum(incidents.values()) != 1 else ''} this year",
        ),
    }
    points = []
    for name, label in REVIEW_POINTS:
        stated = getattr(review, name)
        evidenced, detail = from_record.get(name, (False, ""))
        if evidenced:
            kind = "evidenced"
        elif stated:
            kind = "stated"
        else:
            kind = "missing"
        points.append(PointEvidence(name, label, stated, kind, detail))
    return ReviewEvidence(
        decisions=decisions,
        decision_count=decision_count,
        checks=checks,
        check_count=check_count,
        check_results=results,
        filtering_incidents=incidents,
        points=points,
    )


def open_actions_of(membership, on: dt.date) -> dict:
    """The person's open review actions at one school: how many, how many overdue, and the review
    of the one due first (one query)."""
    actions = list(
        ReviewAction.objects.filter(
            owner_id=membership.user_id,
            review__school_id=membership.school_id,
            done_at__isnull=True,
        )
        .annotate(
            open_count=Window(Count("pk")),
            overdue_count=Window(Count("pk", filter=Q(due_on__lt=on))),
        )
        .order_by("due_on", "pk")
        .values("review_id", "open_count", "overdue_count")[:1]
    )
    if not actions:
        return {"open": 0, "overdue": 0, "review_id": None}
    first = actions[0]
    return {
        "open": first["open_count"],
        "overdue": first["overdue_count"],
        "review_id": first["review_id"],
    }
