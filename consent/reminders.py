"""The consent register's reminder kinds (registered in ConsentConfig.ready()), to the people who
keep the register (the office; the DPO where there is no office; the headteacher where there is
neither, so nothing waits unseen):

- consent_year_start: on the first day of the academic year (the school's autumn term when its
  term dates are recorded, else 1 September): how many pupils have no decision for a purpose that
  needs consent, and how many yeses need re-confirming.
- consent_expiring: on Mondays, how many yeses stop counting (expire, or need re-confirming)
  within the next 30 days.
Counts only: a reminder names no pupil (the page it links to does, for those who may see it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.urls import reverse

from consent import selectors
from consent.models import Purpose
from socialgov.people.models import Membership, School
from socialgov.people.roles import Role
from socialgov.reminders.registry import DueReminder, ReminderKind
from socialgov.terms.models import Term, TermDate
from socialgov.terms.selectors import academic_year_of

YEAR_START_KIND = "consent_year_start"
EXPIRING_KIND = "consent_expiring"
KEEPERS = (Role.OFFICE, Role.DPO, Role.HEADTEACHER)  # in this order of preference


def _schools_with_register():
    return School.objects.filter(
        pk__in=Purpose.objects.filter(is_active=True).values("school_id")
    ).order_by("pk")


def register_keepers(school_ids, on: dt.date) -> dict[int, list]:
    """For each school, the people who keep its register: every current office member, else the
    DPO, else the headteacher (one query)."""
    found: dict[int, dict[str, list]] = {}
    memberships = (
        Membership.objects.current(on)
        .filter(school_id__in=list(school_ids), roles__role__in=KEEPERS, user__is_active=True)
        .select_related("user")
        .prefetch_related("roles")
        .distinct()
        .order_by("pk")
    )
    for membership in memberships:
        for role in membership.role_names & set(KEEPERS):
            found.setdefault(membership.school_id, {}).setdefault(role, []).append(membership.user)
    result = {}
    for school_id, by_role in found.items():
        for role in KEEPERS:
            if by_role.get(role):
                result[school_id] = list({u.pk: u for u in by_role[role]}.values())
                break
    return result


def year_starts_on(school_id: int, academic_year: int, terms: dict) -> dt.date:
    autumn = terms.get((school_id, academic_year))
    return autumn if autumn is not None else dt.date(academic_year, 9, 1)


def year_start_due(on: dt.date) -> Iterator[DueReminder]:
    year = academic_year_of(on)
    autumn_starts = {
        (t.school_id, t.academic_year): t.starts_on
        for t in TermDate.objects.filter(academic_year=year, term=Term.AUTUMN)
    }
    schools = [
        s for s in _schools_with_register() if year_starts_on(s.pk, year, autumn_starts) == on
    ]
    keepers = register_keepers([s.pk for s in schools], on)
    for school in schools:
        found = selectors.register_attention(school, on)
        if not (found.gaps or found.reconfirm):
            continue
        for person in keepers.get(school.pk, []):
            yield DueReminder(
                recipient=person,
                school=school,
                subject_key=f"school:{school.pk}:year:{year}",
                url=reverse("consent_in_school", args=[school.pk, "gaps"]),
                context={
                    "count": found.gaps + found.reconfirm,
                    "gaps": found.gaps,
                    "reconfirm": found.reconfirm,
                    "school_name": school.name,
                },
            )


def expiring_due(on: dt.date) -> Iterator[DueReminder]:
    if on.weekday() != 0:  # Mondays
        return
    schools = list(_schools_with_register())
    keepers = register_keepers([s.pk for s in schools], on)
    for school in schools:
        if school.pk not in keepers:
            continue
        found = selectors.register_attention(school, on)
        if not found.lapsing:
            continue
        for person in keepers[school.pk]:
            yield DueReminder(
                recipient=person,
                school=school,
                subject_key=f"school:{school.pk}:expiring",
                url=reverse("consent_in_school", args=[school.pk, "coming-up"]),
                context={
                    "count": found.lapsing,
                    "days": selectors.EXPIRING_WITHIN_DAYS,
                    "school_name": school.name,
                },
            )


YEAR_START = ReminderKind(
    name=YEAR_START_KIND,
    label="Image consent at the start of the academic year",
    notification_kind=YEAR_START_KIND,
    due=year_start_due,
)
EXPIRING = ReminderKind(
    name=EXPIRING_KIND,
    label="Image consents stopping within 30 days",
    notification_kind=EXPIRING_KIND,
    due=expiring_due,
)
