"""Reminder kinds for official accounts (registered in registration.py). Each is a link only.

- takedown_open: every day from the day after a takedown task was created, to the account's
  administrators, while it is open.
- account_review_due: 30 and 7 days before an account's yearly review, on the day, then every
  7 days while it is overdue, to the account's administrators and the headteacher.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator

from django.urls import reverse
from django.utils import timezone

from accounts_registry.models import (
    AccountMember,
    AccountStatus,
    MemberRole,
    OfficialAccount,
    TakedownTask,
)
from socialgov.people.models import Membership
from socialgov.people.roles import Role
from socialgov.reminders.registry import DueReminder, ReminderKind

REVIEW_BEFORE_DAYS = (30, 7, 0)


def _administrators(account_ids) -> dict[int, list]:
    found: dict[int, list] = defaultdict(list)
    for member in AccountMember.objects.filter(
        account_id__in=list(account_ids), role=MemberRole.ADMINISTRATOR, ended_at__isnull=True
    ).select_related("user"):
        found[member.account_id].append(member.user)
    return found


def takedown_open_due(on: dt.date) -> Iterator[DueReminder]:
    start = timezone.make_aware(dt.datetime.combine(on, dt.time.min))
    tasks = list(
        TakedownTask.objects.filter(closed_at__isnull=True, created_at__lt=start)
        .select_related("school", "post", "post__account")
        .order_by("pk")
    )
    admins = _administrators({task.post.account_id for task in tasks})
    for task in tasks:
        for recipient in admins.get(task.post.account_id, []):
            yield DueReminder(
                recipient=recipient,
                school=task.school,
                subject_key=f"takedown:{task.pk}",
                url=reverse("accounts_takedown_detail", args=[task.pk]),
                context={"account": task.post.account.name},
            )


def _review_label(account: OfficialAccount, on: dt.date) -> str | None:
    days = (account.review_due_on - on).days
    if days in REVIEW_BEFORE_DAYS:
        return f"in-{days}"
    if days < 0 and (-days) % 7 == 0:
        return f"overdue-{-days}"
    return None


def account_review_due(on: dt.date) -> Iterator[DueReminder]:
    window = on + dt.timedelta(days=max(REVIEW_BEFORE_DAYS))
    accounts = [
        account
        for account in OfficialAccount.objects.filter(review_due_on__lte=window)
        .exclude(status=AccountStatus.CLOSED)
        .select_related("school")
        .order_by("pk")
        if _review_label(account, on)
    ]
    admins = _administrators(account.pk for account in accounts)
    heads: dict[int, list] = defaultdict(list)
    for membership in (
        Membership.objects.current(on)
        .filter(school_id__in={a.school_id for a in accounts}, roles__role=Role.HEADTEACHER)
        .select_related("user")
    ):
        heads[membership.school_id].append(membership.user)
    for account in accounts:
        label = _review_label(account, on)
        recipients = {u.pk: u for u in admins.get(account.pk, []) + heads[account.school_id]}
        for recipient in recipients.values():
            yield DueReminder(
                recipient=recipient,
                school=account.school,
                subject_key=f"account:{account.pk}:review-{label}",
                url=reverse("accounts_review_create", args=[account.pk]),
                context={
                    "account": account.name,
                    "due_on": f"{account.review_due_on:%d/%m/%Y}",
                },
            )


TAKEDOWN_OPEN = ReminderKind(
    name="takedown_open",
    label="Takedowns still open",
    notification_kind="takedown_open",
    due=takedown_open_due,
)
ACCOUNT_REVIEW = ReminderKind(
    name="account_review_due",
    label="Official account reviews due",
    notification_kind="account_review_due",
    due=account_review_due,
)
KINDS = [TAKEDOWN_OPEN, ACCOUNT_REVIEW]
