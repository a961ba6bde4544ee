"""The benchmark's blocked-content requests and filtering record (socialgov.benchmark.registry):
one request per 5 members of staff across the trust (1,000 at trust scale, shared between schools
by weight) in every state, 6 checks per member of staff in ten (300 at trust scale), and a yearly
review per school with its actions; the decision log, the check log, the review list and page,
and the review PDF."""

from __future__ import annotations

import datetime as dt
import uuid

from django.urls import reverse
from django.utils import timezone

from incidents.filtering.models import (
    CheckResult,
    Device,
    FilteringCheck,
    FilteringReview,
    Outcome,
    Place,
    RequestStatus,
    ReviewAction,
    ReviewKind,
    Scope,
    UnblockRequest,
    UserGroup,
)
from socialgov.benchmark.registry import (
    GENERATORS,
    PAGES,
    PDFS,
    Bench,
    Generator,
    Page,
    PageKind,
    PdfCase,
    Scale,
)
from socialgov.dates import today
from socialgov.people.roles import Role
from socialgov.terms.selectors import academic_year_bounds, academic_year_of

STAFF_PER_REQUEST = 5
CHECKS_PER_TEN_STAFF = 6
STATUSES = list(RequestStatus)
TEXT = "Written for the benchmark: what the site holds, why it is needed and how risk is kept low."


def _requests(scale: Scale) -> list[int]:
    return scale.per_school(scale.staff / STAFF_PER_REQUEST)


def _checks(scale: Scale) -> list[int]:
    return scale.per_school(scale.staff * CHECKS_PER_TEN_STAFF / 10)


def _promised(scale: Scale) -> dict[str, int]:
    return {
        "unblock requests": sum(_requests(scale)),
        "filtering checks": sum(_checks(scale)),
        "filtering reviews": scale.schools,
    }


def _counted(bench: Bench) -> dict[str, int]:
    trust = bench.trust
    return {
        "unblock requests": UnblockRequest.objects.filter(school__trust=trust).count(),
        "filtering checks": FilteringCheck.objects.filter(school__trust=trust).count(),
        "filtering reviews": FilteringReview.objects.filter(school__trust=trust).count(),
    }


# Every school's request of this number is made two days ago: each school, the smallest too,
# has a decision in the current year, so its review page shows both tables (the same queries).
RECENT_NUMBER = 2


def _request(school, number, requester, network, head, status, now, rng) -> UnblockRequest:
    requested = now - dt.timedelta(days=rng.randint(0, 300), minutes=rng.randint(0, 600))
    if number == RECENT_NUMBER:
        requested = now - dt.timedelta(days=2)
    reviewed = status != RequestStatus.AWAITING_REVIEW
    decided = status not in (
        RequestStatus.AWAITING_REVIEW,
        RequestStatus.AWAITING_DECISION,
        RequestStatus.REFUSED_OUTRIGHT,
    )
    approved = decided and status != RequestStatus.REFUSED
    end = today() + dt.timedelta(days=14)
    if status in (RequestStatus.EXPIRED, RequestStatus.REBLOCKED):
        end = today() - dt.timedelta(days=1)
    year = timezone.localtime(requested).year
    return UnblockRequest(
        school=school,
        reference=f"UNB-{year}-{number:05d}",
        year=year,
        number=number,
        submission_key=uuid.uuid4(),
        requester=requester,
        requested_at=requested,
        url=f"https://site{number}.example.com/page",
        site_contents=TEXT,
        reasons=TEXT,
        risks=TEXT,
        control_measures=TEXT,
        scope=list(Scope)[number % len(Scope)],
        scope_detail="Year 5" if list(Scope)[number % len(Scope)] == Scope.CLASS else "",
        end_date=end,
        status=status,
        reviewed_by=network if reviewed else None,
        reviewed_at=requested + dt.timedelta(hours=2) if reviewed else None,
        technical_notes="Checked in the filter." if reviewed else "",
        never_unblock="iwf" if status == RequestStatus.REFUSED_OUTRIGHT else "",
        decided_by=head if decided else None,
        decided_at=requested + dt.timedelta(days=1) if decided else None,
        outcome=(Outcome.APPROVED if approved else Outcome.REFUSED) if decided else "",
        decision_reasons="A teaching need with the risks controlled." if decided else "",
        approved_until=end if approved else None,
        unblocked_by=network
        if status in (RequestStatus.ACTIVE, RequestStatus.EXPIRED, RequestStatus.REBLOCKED)
        else None,
        unblocked_at=requested + dt.timedelta(days=1, hours=2)
        if status in (RequestStatus.ACTIVE, RequestStatus.EXPIRED, RequestStatus.REBLOCKED)
        else None,
        expired_at=now if status in (RequestStatus.EXPIRED, RequestStatus.REBLOCKED) else None,
        reblocked_by=network if status == RequestStatus.REBLOCKED else None,
        reblocked_at=now if status == RequestStatus.REBLOCKED else None,
    )


def generate(bench: Bench) -> None:
    if UnblockRequest.objects.filter(school__trust=bench.trust).exists():
        return
    rng = bench.rng
    now = timezone.now()
    year = academic_year_of(today())
    start, _end = academic_year_bounds(year)
    requests, checks, reviews = [], [], []
    schools = bench.schools
    for school, total, check_total in zip(
        schools, _requests(bench.scale), _checks(bench.scale), strict=True
    ):
        head = bench.person(school, Role.HEADTEACHER)
        network = bench.person(school, Role.NETWORK_MANAGER)
        staff = bench.person(school, Role.STAFF)
        for number in range(1, total + 1):
            status = STATUSES[number % len(STATUSES)]
            requests.append(_request(school, number, staff, network, head, status, now, rng))
        days = max((today() - start).days, 1)
        for number in range(check_total):
            checks.append(
                FilteringCheck(
                    school=school,
                    submission_key=uuid.uuid4(),
                    checked_on=start + dt.timedelta(days=number % days),
                    checked_by=network,
                    device=list(Device)[number % len(Device)],
                    place=list(Place)[number % len(Place)],
                    user_group=list(UserGroup)[number % len(UserGroup)],
                    tested="The test pages for each filtered category.",
                    result=CheckResult.NOT_BLOCKED if number % 7 == 0 else CheckResult.BLOCKED,
                    actions="Category added and tested again." if number % 7 == 0 else "",
                )
            )
        reviews.append(
            FilteringReview(
                school=school,
                submission_key=uuid.uuid4(),
                kind=ReviewKind.YEARLY,
                academic_year=year,
                held_on=today(),
                slt_lead=bench.person(school, Role.SLT),
                dsl=bench.person(school, Role.DSL),
                it_provider=network,
                governor=bench.person(school, Role.GOVERNOR),
                risk_profile=TEXT,
                blocked_allowed=TEXT,
                teaching_needs=TEXT,
                findings=TEXT,
                recorded_by=head,
            )
        )
    bench.bulk_create(UnblockRequest, requests)
    bench.bulk_create(FilteringCheck, checks)
    made = bench.bulk_create(FilteringReview, reviews)
    bench.bulk_create(
        ReviewAction,
        [
            ReviewAction(
                review=review,
                action="Check the guest Wi-Fi each term.",
                owner=review.it_provider,
                due_on=today() + dt.timedelta(days=30),
            )
            for review in made
        ],
    )


GENERATORS.register(
    Generator(name="filtering", generate=generate, promised=_promised, counted=_counted, order=310)
)


def _review(bench: Bench, school) -> FilteringReview:
    return FilteringReview.objects.filter(school=school).order_by("pk").first()


for page in (
    Page(
        name="blocked-content decision log (headteacher)",
        path=lambda bench, school: reverse("filtering_log"),
        as_role=Role.HEADTEACHER,
        kind=PageKind.LIST,
        order=320,
    ),
    Page(
        # An outcome both schools have (an empty page skips its query: not a growth).
        name="blocked-content decision log, approved (network manager)",
        path=lambda bench, school: reverse("filtering_log") + "?outcome=approved",
        as_role=Role.NETWORK_MANAGER,
        kind=PageKind.LIST,
        order=321,
    ),
    Page(
        name="filtering check log (network manager)",
        path=lambda bench, school: reverse("filtering_checks"),
        as_role=Role.NETWORK_MANAGER,
        kind=PageKind.LIST,
        order=322,
    ),
    Page(
        name="filtering reviews (governor)",
        path=lambda bench, school: reverse("filtering_reviews"),
        as_role=Role.GOVERNOR,
        kind=PageKind.LIST,
        order=323,
    ),
    Page(
        name="filtering review page (governor)",
        path=lambda bench, school: reverse(
            "filtering_review_detail", args=[_review(bench, school).pk]
        ),
        as_role=Role.GOVERNOR,
        kind=PageKind.DETAIL,
        order=324,
    ),
    Page(
        name="my blocked-content requests (member of staff)",
        path=lambda bench, school: reverse("filtering_home"),
        as_role=Role.STAFF,
        kind=PageKind.LIST,
        order=325,
    ),
):
    PAGES.register(page)


def _review_pdf(bench: Bench) -> bytes:
    from incidents.filtering.views.records import _review_context
    from socialgov.pdf import render_pdf

    review = _review(bench, bench.large)
    return render_pdf(
        template="incidents/filtering/review_pdf.html",
        context=_review_context(review),
        school=review.school,
    )


PDFS.register(PdfCase(name="filtering review PDF", render=_review_pdf, order=310))
