"""Writes of policy reviews: recording a review, and asking for one (incident debriefs call it)."""

import calendar
import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from policies import access as policy_access
from policies.models import Policy, PolicyReview, ReviewOutcome
from policies.selectors.reviews import role_holders_by_school
from socialgov import access
from socialgov.notifications.services import notification_send
from socialgov.people.models import Membership
from socialgov.people.roles import Role

__all__ = [
    "default_next_review_on",
    "policy_review_record",
    "policy_review_request",
    "policy_review_withdraw",
]


def default_next_review_on(policy: Policy, reviewed_on: dt.date) -> dt.date:
    """The review date plus the policy's cycle (31 January + 1 month: 28 or 29 February)."""
    months = reviewed_on.month - 1 + policy.review_cycle_months
    year, month = reviewed_on.year + months // 12, months % 12 + 1
    day = min(reviewed_on.day, calendar.monthrange(year, month)[1])
    return dt.date(year, month, day)


@transaction.atomic
def policy_review_record(
    *,
    policy: Policy,
    actor,
    reviewed_on: dt.date,
    reviewer_ids: list[int],
    outcome: str,
    notes: str = "",
    next_review_on: dt.date | None = None,
) -> PolicyReview:
    """Record a review (editors); it sets the policy's next review date and clears any request.

    One review per policy and day: the same review posted twice at once (a double click, two
    tabs) is recorded once (the policy row is locked, and a unique constraint backs it up).
    """
    try:
        with transaction.atomic():
            return _policy_review_record(
                policy=policy,
                actor=actor,
                reviewed_on=reviewed_on,
                reviewer_ids=reviewer_ids,
                outcome=outcome,
                notes=notes,
                next_review_on=next_review_on,
            )
    except IntegrityError:
        existing = _active_review_on(policy, reviewed_on)
        if existing is None or existing.outcome != outcome:
            raise ValidationError({"reviewed_on": REVIEW_ON_THAT_DAY}) from None
        return existing


REVIEW_ON_THAT_DAY = (
    "A review on this date is already recorded. Withdraw it first if it was recorded in error."
)


def _active_review_on(policy: Policy, reviewed_on: dt.date) -> PolicyReview | None:
    return PolicyReview.objects.filter(
        policy_id=policy.pk, reviewed_on=reviewed_on, withdrawn_at__isnull=True
    ).first()


def _policy_review_record(
    *, policy, actor, reviewed_on, reviewer_ids, outcome, notes, next_review_on
) -> PolicyReview:
    policy = Policy.objects.select_for_update().select_related("school").get(pk=policy.pk)
    if not policy_access.can_edit(actor, policy.school):
        raise PermissionDenied("Your role does not allow you to record policy reviews.")
    errors = {}
    if reviewed_on > timezone.localdate():
        errors["reviewed_on"] = "The review date cannot be in the future."
    if outcome not in ReviewOutcome.values:
        errors["outcome"] = "Choose the outcome of the review."
    reviewer_ids = sorted({int(pk) for pk in reviewer_ids})
    reviewers = list(
        Membership.objects.current()
        .filter(school=policy.school, user_id__in=reviewer_ids)
        .select_related("user")
    )
    if not reviewer_ids:
        errors["reviewers"] = "Choose at least one reviewer."
    elif len(reviewers) != len(reviewer_ids):
        errors["reviewers"] = "Reviewers must be current members of the school."
    next_review_on = next_review_on or default_next_review_on(policy, reviewed_on)
    if next_review_on <= reviewed_on:
        errors["next_review_on"] = "The next review must be after the review date."
    if errors:
        raise ValidationError(errors)
    existing = _active_review_on(policy, reviewed_on)
    if existing is not None:
        if existing.outcome == outcome:
            return existing  # the same review posted twice
        raise ValidationError({"reviewed_on": REVIEW_ON_THAT_DAY})
    review = PolicyReview(
        policy=policy,
        reviewed_on=reviewed_on,
        outcome=outcome,
        notes=notes.strip(),
        next_review_on=next_review_on,
        previous_next_review_on=policy.next_review_on,
        recorded_by=actor,
    )
    review._history_user = actor
    review.full_clean()
    review.save()
    review.reviewers.set([m.user for m in reviewers])
    policy.next_review_on = next_review_on
    policy.review_requested_at = None
    policy.review_requested_by = None
    policy.review_request_reason = ""
    policy._history_user = actor
    policy.full_clean()
    policy.save()
    return review


@transaction.atomic
def policy_review_withdraw(*, review: PolicyReview, actor, reason: str) -> PolicyReview:
    """Withdraw a review recorded in error (editors), with the reason; it is kept, marked
    withdrawn. When it was the latest review, the policy's next review date goes back to the
    date before it (the previous review's, or the one the policy had)."""
    policy = Policy.objects.select_for_update().select_related("school").get(pk=review.policy_id)
    if not policy_access.can_edit(actor, policy.school):
        raise PermissionDenied("Your role does not allow you to withdraw policy reviews.")
    review = PolicyReview.objects.select_for_update().get(pk=review.pk)
    if review.withdrawn_at is not None:
        return review  # withdrawn already (a second click)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why the review is being withdrawn."})
    active = PolicyReview.objects.filter(policy=policy, withdrawn_at__isnull=True).order_by(
        "-reviewed_on", "-pk"
    )
    was_latest = active.first() == review
    review.withdrawn_at = timezone.now()
    review.withdrawn_by = actor
    review.withdrawal_reason = reason
    review._history_user = actor
    review.full_clean()
    review.save()
    if was_latest:
        before = active.first()  # the latest review still standing, if any
        policy.next_review_on = (
            before.next_review_on if before is not None else review.previous_next_review_on
        )
        policy._history_user = actor
        policy.full_clean()
        policy.save()
    return review


@transaction.atomic
def policy_review_request(*, policy: Policy, actor, reason: str) -> Policy:
    """Ask for a policy to be reviewed (any member of its school, e.g. after an incident
    debrief); the policy shows who asked and why, and its owner and headteacher are told."""
    policy = Policy.objects.select_for_update().select_related("school", "owner").get(pk=policy.pk)
    if access.membership_in(actor, policy.school) is None:
        raise PermissionDenied("You can only ask for a review of your own school's policies.")
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Say why the policy should be reviewed."})
    policy.review_requested_at = timezone.now()
    policy.review_requested_by = actor
    policy.review_request_reason = reason
    policy._history_user = actor
    policy.full_clean()
    policy.save()

    recipients = {policy.owner.pk: policy.owner}
    for head in role_holders_by_school([policy.school_id], [Role.HEADTEACHER])[policy.school_id]:
        recipients[head.pk] = head
    recipients.pop(actor.pk, None)  # no need to tell the person who asked
    url = reverse("policy_review_list", args=[policy.pk])
    for recipient in recipients.values():
        # Plain, neutral context only: the reason may concern an incident, so it stays in the app.
        notification_send(
            recipient=recipient,
            kind="policy_review_requested",
            url=url,
            school=policy.school,
            context={"policy_title": policy.title, "requested_by": actor.full_name},
        )
    return policy
