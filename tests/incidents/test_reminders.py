"""Incident reminders (incidents.reports.reminders): new incidents still untriaged, to their
routing group; triaged incidents without an action for 7 days, to the handler; the harm threshold
undecided after one working day, to the case manager. A link only, never to a subject, and a
second run on the same day sends nothing new."""

import datetime as dt

import time_machine
from django.utils import timezone

from incidents.reports import services
from incidents.reports.models import ActionType, Category
from incidents.reports.reminders import (
    INCIDENT_NO_ACTION,
    INCIDENT_THRESHOLD_UNDECIDED,
    INCIDENT_UNTRIAGED,
    KINDS,
)
from incidents.reports.selectors import next_working_day, threshold_overdue_before
from socialgov.notifications.models import Notification
from socialgov.reminders import registry
from socialgov.reminders.services import reminders_send_due
from tests.incidents.helpers import concern_about, report, triage

MONDAY = dt.datetime(2027, 3, 1, 10, 0, tzinfo=dt.UTC)


def _run(on: dt.date):
    with registry.only(*KINDS):
        return reminders_send_due(on=on)


def _reminded(kind):
    return sorted(Notification.objects.filter(kind=kind).values_list("recipient__email", flat=True))


def test_working_days_skip_the_weekend():
    friday = dt.date(2027, 3, 5)
    assert next_working_day(friday) == dt.date(2027, 3, 8)
    assert next_working_day(dt.date(2027, 3, 6)) == dt.date(2027, 3, 8)
    # On Monday, concerns reported up to Thursday are overdue; Friday's are due by Monday night.
    assert timezone.localtime(threshold_overdue_before(dt.date(2027, 3, 8))).date() == friday
    # On Wednesday, Monday's are overdue.
    cutoff = threshold_overdue_before(dt.date(2027, 3, 10))
    assert timezone.localtime(cutoff).date() == dt.date(2027, 3, 9)


def test_untriaged_reports_remind_their_group_from_the_next_day(
    school, dsl, deputy_dsl, staff, headteacher
):
    with time_machine.travel(MONDAY, tick=False):
        incident = report(school, staff, Category.CYBERBULLYING)
    assert _run(dt.date(2027, 3, 1))["incident_untriaged"].due == 0
    counts = _run(dt.date(2027, 3, 2))["incident_untriaged"]
    assert counts.sent == 2
    assert _reminded("incident_untriaged") == ["ddsl@willow.test", "dsl@willow.test"]
    assert Notification.objects.filter(kind="incident_untriaged").first().url == (
        f"/incidents/{incident.pk}/"
    )
    assert _run(dt.date(2027, 3, 2))["incident_untriaged"].sent == 0  # idempotent
    triage(incident, dsl)
    assert _run(dt.date(2027, 3, 3))["incident_untriaged"].due == 0


def test_no_action_for_seven_days_reminds_the_handler_every_seven_days(
    school, dsl, deputy_dsl, staff
):
    with time_machine.travel(MONDAY, tick=False):
        incident = report(school, staff)
        triage(incident, dsl, handler=deputy_dsl)
    assert _run(dt.date(2027, 3, 7))["incident_no_action"].due == 0
    assert _run(dt.date(2027, 3, 8))["incident_no_action"].sent == 1
    assert _reminded("incident_no_action") == ["ddsl@willow.test"]
    assert _run(dt.date(2027, 3, 9))["incident_no_action"].due == 0
    assert _run(dt.date(2027, 3, 15))["incident_no_action"].sent == 1
    with time_machine.travel(dt.datetime(2027, 3, 16, 9, 0, tzinfo=dt.UTC), tick=False):
        services.incident_action_record(
            incident=incident, actor=deputy_dsl, action_type=ActionType.SUPPORT_OFFERED, notes=""
        )
    assert _run(dt.date(2027, 3, 22))["incident_no_action"].due == 0
    assert _run(dt.date(2027, 3, 23))["incident_no_action"].due == 1


def test_an_undecided_harm_threshold_reminds_the_case_manager_not_the_subject(
    school, headteacher, chair, dsl, staff
):
    with time_machine.travel(MONDAY, tick=False):
        about_staff = concern_about(school, dsl, staff)
        about_head = concern_about(school, dsl, headteacher)
    assert _run(dt.date(2027, 3, 2))["incident_threshold_undecided"].due == 0  # within the day
    counts = _run(dt.date(2027, 3, 3))["incident_threshold_undecided"]
    assert counts.sent == 2
    assert _reminded("incident_threshold_undecided") == ["chair@willow.test", "head@willow.test"]
    head_urls = set(
        Notification.objects.filter(recipient=headteacher).values_list("url", flat=True)
    )
    assert f"/incidents/{about_head.pk}/" not in head_urls
    assert f"/incidents/{about_staff.pk}/" in head_urls
    services.incident_threshold_decide(
        incident=about_staff,
        actor=headteacher,
        threshold_met=False,
        reasons="No risk.",
        context="Context.",
        action_taken="Spoken to.",
    )
    assert _run(dt.date(2027, 3, 4))["incident_threshold_undecided"].due == 1


def test_the_dashboard_alerts_an_undecided_threshold_after_one_working_day(
    school, headteacher, dsl, staff
):
    from socialgov.needs_me import needs_me_for

    with time_machine.travel(MONDAY, tick=False):
        concern_about(school, dsl, staff)
    with time_machine.travel(dt.datetime(2027, 3, 2, 12, 0, tzinfo=dt.UTC), tick=False):
        items = [(i.sentence, i.tone) for g in needs_me_for(headteacher) for i in g.items]
        assert ("1 harm-threshold decision to make", "") in items
    with time_machine.travel(dt.datetime(2027, 3, 3, 9, 0, tzinfo=dt.UTC), tick=False):
        items = [(i.sentence, i.tone) for g in needs_me_for(headteacher) for i in g.items]
        assert ("1 harm-threshold decision overdue (over one working day)", "alert") in items


def test_reminder_emails_say_only_that_there_is_something_to_look_at(
    school, dsl, staff, mailoutbox, django_capture_on_commit_callbacks
):
    with time_machine.travel(MONDAY, tick=False):
        incident = report(school, staff, Category.SAFEGUARDING, description="Secret-XYZZY")
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _run(dt.date(2027, 3, 2))
    assert len(mailoutbox) == 1
    body = mailoutbox[0].body
    assert f"/incidents/{incident.pk}/" in body
    assert "XYZZY" not in body and "safeguarding" not in mailoutbox[0].subject.lower()


def test_the_kinds_are_registered():
    for kind in (INCIDENT_UNTRIAGED, INCIDENT_NO_ACTION, INCIDENT_THRESHOLD_UNDECIDED):
        assert registry.get(kind.name) == kind
