"""Reminder kinds for blocked-content requests and the filtering record (registered in
incidents.filtering.registration). Each is a link only: the e-mail never names the site.

- unblock_waiting: every day from the day after, to the network managers while a request waits
  for review, and to the headteacher and deputy (never its requester) while it waits for a
  decision.
- unblock_ending: 7 days and 1 day before an unblock ends, to its requester and the network
  managers.
- unblock_reblock_due: every day after an unblock ended, to the network managers, until they
  confirm the site is blocked again.
- filtering_review_due: 60, 30 and 7 days before the end of the academic year (31 August) while
  its yearly review is not recorded, to the headteacher, the DSL and the named SLT lead.
- filtering_checks_due: every 7 days from the 28th day of a term while no check is logged in that
  term, to the network managers and the named IT provider.
- filtering_action_due: a review's action not marked done, to its owner 7 days before its date,
  on the day, and every 7 days once overdue.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from incidents.filtering.access import DECIDERS
from incidents.filtering.models import (
    FilteringCheck,
    FilteringReview,
    FilteringRoles,
    RequestStatus,
    ReviewKind,
    UnblockRequest,
)
from incidents.filtering.selectors import ENDING_DAYS, REVIEW_DUE_DAYS
from socialgov.people.models import Membership
from socialgov.people.roles import Role
from socialgov.reminders.registry import DueReminder, ReminderKind
from socialgov.terms.models import TermDate
from socialgov.terms.selectors import academic_year_bounds, academic_year_of

CHECKS_AFTER_DAYS = 28
REMINDED_ROLES = frozenset({*DECIDERS, Role.NETWORK_MANAGER, Role.DSL})


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _holders(school_ids) -> dict[int, dict[str, list]]:
    """Current, active holders of the roles reminded here, by school and role (two queries)."""
    result: dict[int, dict[str, list]] = {}
    memberships = (
        Membership.objects.current()
        .filter(
            school_id__in=set(school_ids),
            roles__role__in=sorted(REMINDED_ROLES),
            user__is_active=True,
        )
        .select_related("user")
        .prefetch_related("roles")
        .distinct()
        .order_by("user__full_name", "pk")
    )
    for membership in memberships:
        by_role = result.setdefault(membership.school_id, {})
        for role in membership.role_names & REMINDED_ROLES:
            by_role.setdefault(role, []).append(membership.user)
    return result


def _of(holders, school_id: int, roles) -> list:
    people: dict[int, object] = {}
    for role in sorted(roles):
        for user in holders.get(school_id, {}).get(role, []):
            people.setdefault(user.pk, user)
    return list(people.values())


def _request_reminder(recipient, request: UnblockRequest, suffix: str, **context):
    return DueReminder(
        recipient=recipient,
        school=request.school,
        subject_key=f"unblock:{request.pk}:{suffix}",
        url=reverse("filtering_request_detail", args=[request.pk]),
        context={"reference": request.reference, **context},
    )


def _requests(**filters) -> list[UnblockRequest]:
    return list(
        UnblockRequest.objects.filter(**filters)
        .select_related("school", "requester")
        .order_by("pk")
    )


def waiting_due(on: dt.date) -> Iterator[DueReminder]:
    start = _start_of(on)
    to_review = _requests(status=RequestStatus.AWAITING_REVIEW, requested_at__lt=start)
    to_decide = _requests(status=RequestStatus.AWAITING_DECISION, reviewed_at__lt=start)
    holders = _holders(r.school_id for r in to_review + to_decide)
    for request in to_review:
        for user in _of(holders, request.school_id, [Role.NETWORK_MANAGER]):
            if user.pk != request.requester_id:
                yield _request_reminder(user, request, "review")
    for request in to_decide:
        for user in _of(holders, request.school_id, DECIDERS):
            if user.pk != request.requester_id:
                yield _request_reminder(user, request, "decision")


def ending_due(on: dt.date) -> Iterator[DueReminder]:
    ends = [on + dt.timedelta(days=ENDING_DAYS - 1), on]  # 7 days left, then 1 (the last day)
    requests = _requests(
        status__in=[RequestStatus.APPROVED, RequestStatus.ACTIVE], approved_until__in=ends
    )
    holders = _holders(r.school_id for r in requests)
    for request in requests:
        assert request.approved_until is not None
        days = (request.approved_until - on).days + 1
        recipients = [request.requester, *_of(holders, request.school_id, [Role.NETWORK_MANAGER])]
        seen: set[int] = set()
        for user in recipients:
            if user.pk in seen or not user.is_active:
                continue
            seen.add(user.pk)
            yield _request_reminder(user, request, f"ending-{days}", days=days)


def reblock_due(on: dt.date) -> Iterator[DueReminder]:
    """Every day while an unblock that has ended is not confirmed as blocked again (also before
    the expiry job has marked it: the reminder does not depend on which runs first)."""
    requests = list(
        UnblockRequest.objects.filter(
            Q(status=RequestStatus.EXPIRED)
            | Q(
                status__in=[RequestStatus.APPROVED, RequestStatus.ACTIVE],
                approved_until__lt=on,
            )
        )
        .select_related("school", "requester")
        .order_by("pk")
    )
    holders = _holders(r.school_id for r in requests)
    for request in requests:
        for user in _of(holders, request.school_id, [Role.NETWORK_MANAGER]):
            yield _request_reminder(user, request, "reblock")


def review_due(on: dt.date) -> Iterator[DueReminder]:
    year = academic_year_of(on)
    days = (academic_year_bounds(year)[1] - on).days
    if days not in REVIEW_DUE_DAYS:
        return
    from socialgov.people.models import School

    done = FilteringReview.objects.filter(kind=ReviewKind.YEARLY, academic_year=year).values(
        "school_id"
    )
    schools = list(School.objects.exclude(pk__in=done).order_by("pk"))
    holders = _holders(s.pk for s in schools)
    leads = dict(
        FilteringRoles.objects.filter(
            school__in=schools, slt_lead__isnull=False, slt_lead__is_active=True
        ).values_list("school_id", "slt_lead_id")
    )
    from socialgov.people.models import User

    lead_users = {u.pk: u for u in User.objects.filter(pk__in=set(leads.values()))}
    current = _current_pairs(s.pk for s in schools)
    for school in schools:
        people = _of(holders, school.pk, [Role.HEADTEACHER, Role.DSL])
        lead = lead_users.get(leads.get(school.pk, 0))
        if lead is not None and (school.pk, lead.pk) in current:
            people.append(lead)
        seen: set[int] = set()
        for user in people:
            if user.pk in seen:
                continue
            seen.add(user.pk)
            yield DueReminder(
                recipient=user,
                school=school,
                subject_key=f"filtering-review:{school.pk}:{year}:{days}",
                url=reverse("filtering_reviews"),
                context={"days": days},
            )


def _current_pairs(school_ids) -> set[tuple[int, int]]:
    return set(
        Membership.objects.current()
        .filter(school_id__in=set(school_ids))
        .values_list("school_id", "user_id")
    )


def checks_due(on: dt.date) -> Iterator[DueReminder]:
    terms = list(
        TermDate.objects.filter(starts_on__lte=on, ends_on__gte=on)
        .select_related("school")
        .order_by("school_id")
    )
    terms = [
        t
        for t in terms
        if (on - t.starts_on).days >= CHECKS_AFTER_DAYS
        and (on - t.starts_on).days % 7 == CHECKS_AFTER_DAYS % 7
    ]
    if not terms:
        return
    checked = set(
        FilteringCheck.objects.filter(_any_in_terms(terms)).values_list("school_id", flat=True)
    )
    terms = [t for t in terms if t.school_id not in checked]
    holders = _holders(t.school_id for t in terms)
    providers = dict(
        FilteringRoles.objects.filter(
            school_id__in=[t.school_id for t in terms], it_provider__isnull=False
        ).values_list("school_id", "it_provider_id")
    )
    from socialgov.people.models import User

    provider_users = {
        u.pk: u for u in User.objects.filter(pk__in=set(providers.values()), is_active=True)
    }
    current = _current_pairs(t.school_id for t in terms)
    for term in terms:
        people = _of(holders, term.school_id, [Role.NETWORK_MANAGER])
        provider = provider_users.get(providers.get(term.school_id, 0))
        if provider is not None and (term.school_id, provider.pk) in current:
            people.append(provider)
        seen: set[int] = set()
        for user in people:
            if user.pk in seen:
                continue
            seen.add(user.pk)
            yield DueReminder(
                recipient=user,
                school=term.school,
                subject_key=f"filtering-checks:{term.pk}",
                url=reverse("filtering_checks"),
            )


def _any_in_terms(terms) -> Q:
    condition = Q(pk__in=[])
    for term in terms:
        condition |= Q(school_id=term.school_id, checked_on__range=(term.starts_on, term.ends_on))
    return condition


ACTION_SOON_DAYS = 7


def actions_due(on: dt.date) -> Iterator[DueReminder]:
    """A review's action not marked done: to its owner 7 days before its date, on the day, and
    every 7 days once overdue (while they are a current member of the school)."""
    from incidents.filtering.models import ReviewAction

    soon = on + dt.timedelta(days=ACTION_SOON_DAYS)
    actions = list(
        ReviewAction.objects.filter(done_at__isnull=True, due_on__lte=soon, owner__is_active=True)
        .select_related("review__school", "owner")
        .order_by("pk")
    )
    current = _current_pairs(a.review.school_id for a in actions)
    for action in actions:
        late = (on - action.due_on).days
        if late > 0 and late % 7 == 0:
            suffix = f"overdue-{late}"
        elif late in (0, -ACTION_SOON_DAYS):
            suffix = f"due-{-late}"
        else:
            continue
        if (action.review.school_id, action.owner_id) not in current:
            continue
        yield DueReminder(
            recipient=action.owner,
            school=action.review.school,
            subject_key=f"filtering-action:{action.pk}:{suffix}",
            url=reverse("filtering_review_detail", args=[action.review_id]),
            context={"due_on": f"{action.due_on:%-d %B %Y}", "overdue": late > 0},
        )


UNBLOCK_WAITING = ReminderKind(
    name="unblock_waiting",
    label="Blocked-content requests waiting for review or decision",
    notification_kind="unblock_waiting",
    due=waiting_due,
)
UNBLOCK_ENDING = ReminderKind(
    name="unblock_ending",
    label="Unblocks ending within 7 days",
    notification_kind="unblock_ending",
    due=ending_due,
)
UNBLOCK_REBLOCK_DUE = ReminderKind(
    name="unblock_reblock_due",
    label="Ended unblocks not yet blocked again",
    notification_kind="unblock_reblock_due",
    due=reblock_due,
)
FILTERING_REVIEW_DUE = ReminderKind(
    name="filtering_review_due",
    label="Filtering and monitoring review due (60, 30 and 7 days before the year ends)",
    notification_kind="filtering_review_due",
    due=review_due,
)
FILTERING_CHECKS_DUE = ReminderKind(
    name="filtering_checks_due",
    label="No filtering check logged this term",
    notification_kind="filtering_checks_due",
    due=checks_due,
)
FILTERING_ACTION_DUE = ReminderKind(
    name="filtering_action_due",
    label="Filtering review actions due or overdue",
    notification_kind="filtering_action_due",
    due=actions_due,
)
KINDS = [
    UNBLOCK_WAITING,
    UNBLOCK_ENDING,
    UNBLOCK_REBLOCK_DUE,
    FILTERING_REVIEW_DUE,
    FILTERING_CHECKS_DUE,
    FILTERING_ACTION_DUE,
]
