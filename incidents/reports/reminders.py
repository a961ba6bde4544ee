"""Reminder kinds for incident reports (registered in incidents.reports.registration). Each is
a link only: the e-mail says there is something to look at, never what.

- incident_untriaged: every day from the day after it was reported, to its receivers, while an
  incident waits to be triaged.
- incident_no_action: to the handler of a triaged incident with no action for 7 days, then every
  7 days while that lasts.
- incident_threshold_undecided: every day, to the case manager, while a staff-conduct concern
  is more than one working day old with the harm threshold undecided.
Recipients come from the routing rules, so a subject is never reminded of a concern about them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.urls import reverse
from django.utils import timezone

from incidents.reports import routing
from incidents.reports.models import (
    CASE_MANAGER_ROUTES,
    HarmThreshold,
    Incident,
    Status,
)
from incidents.reports.selectors import HANDLING_STATUSES, NO_ACTION_DAYS, threshold_overdue_before
from socialgov.people.models import Membership
from socialgov.reminders.registry import DueReminder, ReminderKind


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _incidents(**filters):
    return (
        Incident.objects.filter(**filters)
        .select_related("school", "handler")
        .prefetch_related("people")
        .order_by("pk")
    )


def _reminder(recipient, incident: Incident, suffix: str, **context) -> DueReminder:
    return DueReminder(
        recipient=recipient,
        school=incident.school,
        subject_key=f"incident:{incident.pk}:{suffix}",
        url=reverse("incident_detail", args=[incident.pk]),
        context={"reference": incident.reference, **context},
    )


def untriaged_due(on: dt.date) -> Iterator[DueReminder]:
    incidents = list(_incidents(status=Status.REPORTED, reported_at__lt=_start_of(on)))
    holders = routing.holders_by_school(i.school_id for i in incidents)
    for incident in incidents:
        for recipient in routing.receivers_of(incident, holders=holders):
            yield _reminder(recipient, incident, "untriaged")


def no_action_due(on: dt.date) -> Iterator[DueReminder]:
    since = _start_of(on - dt.timedelta(days=NO_ACTION_DAYS - 1))
    incidents = _incidents(
        status__in=HANDLING_STATUSES, handler__isnull=False, last_action_at__lt=since
    )
    current = _current_members(incidents)
    for incident in incidents:
        days = (on - timezone.localtime(incident.last_action_at).date()).days
        if days < NO_ACTION_DAYS or days % NO_ACTION_DAYS:
            continue
        subjects = {p.staff_member_id for p in incident.people.all() if p.is_subject}
        handler = incident.handler
        if handler.pk in subjects or (incident.school_id, handler.pk) not in current:
            continue
        if not handler.is_active:
            continue
        yield _reminder(handler, incident, "no-action", days=days)


def _current_members(incidents) -> set[tuple[int, int]]:
    school_ids = {i.school_id for i in incidents}
    return set(
        Membership.objects.current()
        .filter(school_id__in=school_ids)
        .values_list("school_id", "user_id")
    )


def threshold_undecided_due(on: dt.date) -> Iterator[DueReminder]:
    incidents = list(
        _incidents(
            status__in=set(Status) - {Status.CLOSED},
            route__in=CASE_MANAGER_ROUTES,
            harm_threshold=HarmThreshold.UNDECIDED,
            reported_at__lt=threshold_overdue_before(on),
        )
    )
    holders = routing.holders_by_school(i.school_id for i in incidents)
    for incident in incidents:
        subjects = {p.staff_member_id for p in incident.people.all() if p.is_subject}
        by_role = holders.get(incident.school_id, {})
        managers = {
            user.pk: user
            for role in incident.routed_roles
            for user in by_role.get(role, [])
            if user.pk not in subjects
        }
        for manager in managers.values():
            yield _reminder(manager, incident, "threshold")


INCIDENT_UNTRIAGED = ReminderKind(
    name="incident_untriaged",
    label="Incident reports waiting to be triaged",
    notification_kind="incident_untriaged",
    due=untriaged_due,
)
INCIDENT_NO_ACTION = ReminderKind(
    name="incident_no_action",
    label="Incidents with no action for 7 days",
    notification_kind="incident_no_action",
    due=no_action_due,
)
INCIDENT_THRESHOLD_UNDECIDED = ReminderKind(
    name="incident_threshold_undecided",
    label="Harm threshold not decided after one working day",
    notification_kind="incident_threshold_undecided",
    due=threshold_undecided_due,
)
KINDS = [INCIDENT_UNTRIAGED, INCIDENT_NO_ACTION, INCIDENT_THRESHOLD_UNDECIDED]
