"""Reminder kinds for policy reviews (registered in PoliciesConfig.ready()).

- policy_review_due: to the policy's owner and each headteacher, exactly 60, 30 and 7 days
  before the next review date.
- policy_review_overdue: to each headteacher and chair of governors on the day after the review
  date, then every 7 days until a review is recorded.
"""

import datetime as dt
from collections.abc import Iterator

from django.urls import reverse

from policies.selectors.reviews import (
    OVERDUE_EVERY_DAYS,
    REVIEW_DUE_DAYS,
    current_member_ids,
    policies_overdue_on,
    policies_with_review_on,
    role_holders_by_school,
)
from socialgov.people.roles import Role
from socialgov.reminders.registry import DueReminder, ReminderKind


def review_due(on: dt.date) -> Iterator[DueReminder]:
    dates = {on + dt.timedelta(days=days): days for days in REVIEW_DUE_DAYS}
    policies = list(policies_with_review_on(list(dates)))
    school_ids = {policy.school_id for policy in policies}
    heads = role_holders_by_school(school_ids, [Role.HEADTEACHER], on=on)
    members = current_member_ids(school_ids, on=on)
    for policy in policies:
        days = dates[policy.next_review_on]
        recipients = {head.pk: head for head in heads[policy.school_id]}
        if (policy.school_id, policy.owner_id) in members and policy.owner.is_active:
            recipients[policy.owner_id] = policy.owner
        for recipient in recipients.values():
            yield DueReminder(
                recipient=recipient,
                school=policy.school,
                subject_key=f"policy:{policy.pk}:{days}",
                url=reverse("policy_review_list", args=[policy.pk]),
                context={
                    "policy_title": policy.title,
                    "days": days,
                    "review_date": policy.next_review_on.strftime("%d/%m/%Y"),
                },
            )


def review_overdue(on: dt.date) -> Iterator[DueReminder]:
    policies = [
        policy
        for policy in policies_overdue_on(on)
        if (on - policy.next_review_on).days % OVERDUE_EVERY_DAYS == 1
    ]
    school_ids = {policy.school_id for policy in policies}
    holders = role_holders_by_school(school_ids, [Role.HEADTEACHER, Role.CHAIR_OF_GOVERNORS], on=on)
    for policy in policies:
        for recipient in holders[policy.school_id]:
            yield DueReminder(
                recipient=recipient,
                school=policy.school,
                subject_key=f"policy:{policy.pk}:overdue",
                url=reverse("policy_review_list", args=[policy.pk]),
                context={
                    "policy_title": policy.title,
                    "review_date": policy.next_review_on.strftime("%d/%m/%Y"),
                },
            )


REVIEW_DUE = ReminderKind(
    name="policy_review_due",
    label="Policy review coming up",
    notification_kind="policy_review_due",
    due=review_due,
)
REVIEW_OVERDUE = ReminderKind(
    name="policy_review_overdue",
    label="Policy review overdue",
    notification_kind="policy_review_overdue",
    due=review_overdue,
)
