"""Signing reminder kinds (registered in PoliciesConfig.ready()).

- policy_unsigned: to each person required to sign a published policy who has no valid signature,
  7 days after the version was published, then every 7 days until they sign.
- policy_coverage_weekly: on Mondays, to each headteacher of a school with policies to sign, how
  many have signed each one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.urls import reverse
from django.utils import timezone

from policies.selectors.coverage import (
    coverage_totals_for_school,
    required_members,
    signable_published_versions,
    valid_signers_of,
)
from policies.services.signing import UNSIGNED_KIND, unsigned_reminder
from socialgov.people.models import Membership
from socialgov.people.roles import Role
from socialgov.reminders.registry import DueReminder, ReminderKind

FIRST_AFTER_DAYS = 7
EVERY_DAYS = 7
COVERAGE_KIND = "policy_coverage_weekly"


def _is_unsigned_reminder_day(published_on: dt.date, on: dt.date) -> bool:
    days = (on - published_on).days
    return days >= FIRST_AFTER_DAYS and (days - FIRST_AFTER_DAYS) % EVERY_DAYS == 0


def unsigned_due(on: dt.date) -> Iterator[DueReminder]:
    for version in signable_published_versions():
        if version.published_at is None:
            continue
        if not _is_unsigned_reminder_day(timezone.localdate(version.published_at), on):
            continue
        signed = valid_signers_of(version)
        for membership in required_members(version.policy, on=on):
            if membership.user_id in signed or not membership.user.is_active:
                continue
            yield unsigned_reminder(version, membership.user)


def coverage_weekly_due(on: dt.date) -> Iterator[DueReminder]:
    if on.weekday() != 0:  # Mondays
        return
    by_school = {version.policy.school_id for version in signable_published_versions()}
    if not by_school:
        return
    headteachers = (
        Membership.objects.current(on)
        .filter(school_id__in=by_school, roles__role=Role.HEADTEACHER)
        .select_related("user", "school")
        .distinct()
    )
    totals_of: dict[int, list] = {}
    for membership in headteachers:
        if membership.school_id not in totals_of:
            totals_of[membership.school_id] = coverage_totals_for_school(
                membership.school_id, on=on
            )
        lines = []
        for totals in totals_of[membership.school_id]:
            version, total = totals.version, totals.overall
            lines.append(
                f"{version.policy.title} (version {version.number}): {total.signed} of "
                f"{total.required} signed ({total.percent}%)"
            )
        yield DueReminder(
            recipient=membership.user,
            school=membership.school,
            subject_key=f"school:{membership.school_id}:coverage",
            url=reverse("coverage_overview"),
            context={"summary": "\n".join(lines), "school_name": membership.school.name},
        )


POLICY_UNSIGNED = ReminderKind(
    name="policy_unsigned",
    label="Policies not yet signed",
    notification_kind=UNSIGNED_KIND,
    due=unsigned_due,
)
POLICY_COVERAGE_WEEKLY = ReminderKind(
    name=COVERAGE_KIND,
    label="Weekly policy signing summary for headteachers",
    notification_kind=COVERAGE_KIND,
    due=coverage_weekly_due,
)
