"""Reminder kinds of declarations and exceptions (registered from PoliciesConfig.ready()):

- declaration_confirm: on the first day of each month, to staff who have not yet confirmed
  their declarations (or that they have nothing to declare) this academic year.
- declaration_review_due: on a declaration's review date and every week after it until the review
  is recorded (a new decision) or the declaration ends, to the headteacher and the DSL team
  (never to its declarer). Each one is also the deciders' "due for review" dashboard item.
- exception_ending: 30 and 7 days before an approved exception's end date, to the person who
  asked for it and the headteacher.
Counts and links only: a reminder names nobody and says nothing of what was declared.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.urls import reverse

from policies.declarations import access as declaration_access
from policies.declarations import selectors
from policies.declarations.models import (
    Declaration,
    DeclarationStatus,
    ExceptionStatus,
    PolicyException,
)
from socialgov.people.models import Membership
from socialgov.reminders.registry import DueReminder, ReminderKind
from socialgov.terms.models import academic_year_label
from socialgov.terms.selectors import academic_year_of

CONFIRM_KIND = "declaration_confirm"
REVIEW_KIND = "declaration_review_due"
ENDING_KIND = "exception_ending"
ENDING_DAYS = (30, 7)
REVIEW_REPEAT_DAYS = 7  # an overdue review is reminded again every week until it is done


def _holders(school_ids, roles, on: dt.date) -> dict[int, list]:
    """For each school, the active people holding any of `roles` (one query)."""
    found: dict[int, dict[int, object]] = {}
    memberships = (
        Membership.objects.current(on)
        .filter(school_id__in=list(school_ids), roles__role__in=list(roles), user__is_active=True)
        .select_related("user")
        .distinct()
        .order_by("pk")
    )
    for membership in memberships:
        found.setdefault(membership.school_id, {})[membership.user.pk] = membership.user
    return {school_id: list(people.values()) for school_id, people in found.items()}


def confirm_due(on: dt.date) -> Iterator[DueReminder]:
    if on.day != 1:
        return
    year = academic_year_of(on)
    school_ids = Membership.objects.current(on).values_list("school_id", flat=True).distinct()
    for membership in selectors.staff_without_confirmation(set(school_ids), on).order_by("pk"):
        yield DueReminder(
            recipient=membership.user,
            school=membership.school,
            subject_key=f"school:{membership.school_id}:confirm:{year}",
            url=reverse("declarations_in_school", args=[membership.school_id, "confirm"]),
            context={"year": academic_year_label(year), "school_name": membership.school.name},
        )


def review_due(on: dt.date) -> Iterator[DueReminder]:
    declarations = []
    for declaration in (
        Declaration.objects.filter(status=DeclarationStatus.DECIDED, review_on__lte=on)
        .select_related("school")
        .order_by("pk")
    ):
        assert declaration.review_on is not None  # filtered above
        if (on - declaration.review_on).days % REVIEW_REPEAT_DAYS == 0:
            declarations.append(declaration)
    deciders = _holders({d.school_id for d in declarations}, declaration_access.DECIDERS, on)
    for declaration in declarations:
        for person in deciders.get(declaration.school_id, []):
            if person.pk == declaration.declarer_id:
                continue
            yield DueReminder(
                recipient=person,
                school=declaration.school,
                subject_key=f"declaration:{declaration.pk}:review:{on.isoformat()}",
                url=reverse("declaration_detail", args=[declaration.pk]),
                context={
                    "reference": declaration.reference,
                    "review_on": f"{declaration.review_on:%-d %B %Y}",
                    "overdue": declaration.review_on < on,
                },
            )


def ending_due(on: dt.date) -> Iterator[DueReminder]:
    ends = [on + dt.timedelta(days=days) for days in ENDING_DAYS]
    exceptions = list(
        PolicyException.objects.filter(status=ExceptionStatus.APPROVED, ends_on__in=ends)
        .select_related("school", "requested_by")
        .order_by("pk")
    )
    heads = _holders({e.school_id for e in exceptions}, declaration_access.EXCEPTION_APPROVERS, on)
    for exception in exceptions:
        days = (exception.ends_on - on).days
        people = {exception.requested_by.pk: exception.requested_by}
        for person in heads.get(exception.school_id, []):
            people[person.pk] = person
        for person in people.values():
            yield DueReminder(
                recipient=person,
                school=exception.school,
                subject_key=f"exception:{exception.pk}:ending-{days}",
                url=reverse("exception_detail", args=[exception.pk]),
                context={
                    "reference": exception.reference,
                    "days": days,
                    "ends_on": exception.ends_on.strftime("%d/%m/%Y"),
                },
            )


CONFIRM = ReminderKind(
    name=CONFIRM_KIND,
    label="Yearly confirmation of staff declarations",
    notification_kind=CONFIRM_KIND,
    due=confirm_due,
)
REVIEW = ReminderKind(
    name=REVIEW_KIND,
    label="Declarations due for review",
    notification_kind=REVIEW_KIND,
    due=review_due,
)
ENDING = ReminderKind(
    name=ENDING_KIND,
    label="Policy exceptions coming to an end",
    notification_kind=ENDING_KIND,
    due=ending_due,
)
KINDS = [CONFIRM, REVIEW, ENDING]
