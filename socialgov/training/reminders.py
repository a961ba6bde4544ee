"""The training log's reminder kinds (registered from TrainingConfig.ready()), on Mondays:

- training_due: to each person whose induction or refresher is due within 30 days, due or
  overdue;
- training_overdue: to the headteacher, how many people of the school are overdue (due for more
  than 30 days). Counts only: no names in the reminder.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator

from django.urls import reverse

from socialgov.people.models import Membership
from socialgov.people.roles import Role
from socialgov.reminders.registry import DueReminder, ReminderKind
from socialgov.training import selectors
from socialgov.training.models import TrainingSession

DUE_KIND = "training_due"
OVERDUE_KIND = "training_overdue"


def _school_ids():
    # Schools that keep a training log (at least one session recorded).
    return TrainingSession.objects.values_list("school_id", flat=True).distinct()


def due_due(on: dt.date) -> Iterator[DueReminder]:
    if on.weekday() != 0:
        return
    for row in selectors.training_of_schools(set(_school_ids()), on):
        if row.state == selectors.State.UP_TO_DATE:
            continue
        membership = row.membership
        yield DueReminder(
            recipient=membership.user,
            school=membership.school,
            subject_key=f"school:{membership.school_id}:{row.needs}:{row.due_on.isoformat()}",
            url=reverse("training_in_school", args=[membership.school_id, "mine"]),
            context={
                "induction": row.needs == "induction",
                "due_on": row.due_on.strftime("%d/%m/%Y"),
                "past": row.is_due,
            },
        )


def overdue_due(on: dt.date) -> Iterator[DueReminder]:
    if on.weekday() != 0:
        return
    overdue = Counter(
        row.membership.school_id
        for row in selectors.training_of_schools(set(_school_ids()), on)
        if row.state == selectors.State.OVERDUE
    )
    if not overdue:
        return
    heads = (
        Membership.objects.current(on)
        .filter(school_id__in=list(overdue), roles__role=Role.HEADTEACHER, user__is_active=True)
        .select_related("user", "school")
        .distinct()
        .order_by("pk")
    )
    for membership in heads:
        yield DueReminder(
            recipient=membership.user,
            school=membership.school,
            subject_key=f"school:{membership.school_id}:training-overdue",
            url=reverse("training_in_school", args=[membership.school_id, "coverage"]),
            context={"count": overdue[membership.school_id]},
        )


DUE = ReminderKind(
    name=DUE_KIND,
    label="Online-safety training due",
    notification_kind=DUE_KIND,
    due=due_due,
)
OVERDUE = ReminderKind(
    name=OVERDUE_KIND,
    label="Online-safety training overdue (to the headteacher)",
    notification_kind=OVERDUE_KIND,
    due=overdue_due,
)
KINDS = [DUE, OVERDUE]
