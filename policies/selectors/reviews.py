"""Reads of policy reviews: a policy's review records, who to remind, what is due or overdue."""

import datetime as dt
from collections import defaultdict

from django.db.models import Q, QuerySet
from django.utils import timezone

from policies.models import Policy, PolicyReview
from socialgov.people.models import Membership
from socialgov.people.selectors import role_holders

__all__ = [
    "ATTENTION_DAYS",
    "OVERDUE_EVERY_DAYS",
    "REVIEW_DUE_DAYS",
    "current_member_ids",
    "policies_overdue_on",
    "policies_review_attention",
    "policies_with_review_on",
    "reviews_of",
    "role_holders_by_school",
]

# Reminders before the next review date (days before), and the attention window on the dashboard.
REVIEW_DUE_DAYS = (60, 30, 7)
ATTENTION_DAYS = 60
OVERDUE_EVERY_DAYS = 7


def reviews_of(policy: Policy) -> QuerySet[PolicyReview]:
    """A policy's reviews, newest first (withdrawn ones included, marked), with reviewers,
    recorder and withdrawer loaded."""
    return (
        PolicyReview.objects.filter(policy=policy)
        .select_related("recorded_by", "withdrawn_by")
        .prefetch_related("reviewers")
        .order_by("-reviewed_on", "-pk")
    )


def role_holders_by_school(school_ids, roles, *, on: dt.date | None = None) -> dict[int, list]:
    """The active current holders of any of `roles` in each school, by name:
    {school id: [users]} (one query: socialgov.people.selectors.role_holders)."""
    holders: dict[int, list] = defaultdict(list)
    memberships = role_holders(set(school_ids), *roles, on=on).order_by(
        "school_id", "user__full_name"
    )
    for membership in memberships:
        if membership.user.is_active:
            holders[membership.school_id].append(membership.user)
    return holders


def current_member_ids(school_ids, *, on: dt.date | None = None) -> set[tuple[int, int]]:
    """(school id, user id) of every current member of the schools (one query)."""
    return set(
        Membership.objects.current(on)
        .filter(school_id__in=set(school_ids))
        .values_list("school_id", "user_id")
    )


def policies_with_review_on(days: list[dt.date]) -> QuerySet[Policy]:
    return Policy.objects.filter(next_review_on__in=days).select_related("owner", "school")


def policies_overdue_on(on: dt.date) -> QuerySet[Policy]:
    """Policies whose review date has passed by `on`."""
    return Policy.objects.filter(next_review_on__lt=on).select_related("school")


def policies_review_attention(school, *, on: dt.date | None = None) -> QuerySet[Policy]:
    """The school's policies overdue for review, due within ATTENTION_DAYS, or with a review
    requested; soonest first."""
    on = on or timezone.localdate()
    return (
        Policy.objects.filter(school=school)
        .filter(
            Q(next_review_on__lte=on + dt.timedelta(days=ATTENTION_DAYS))
            | Q(review_requested_at__isnull=False)
        )
        .order_by("next_review_on", "title")
    )
