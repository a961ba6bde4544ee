"""Signing reminders with time moved: unsigned on day 7 after publication then weekly, to the
person; a weekly coverage summary to the headteacher on Mondays. Each once per day."""

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command

from policies.signing_reminders import POLICY_COVERAGE_WEEKLY, POLICY_UNSIGNED
from socialgov.notifications.models import Notification
from socialgov.reminders import registry
from socialgov.reminders.services import reminders_send_due
from tests.policies.factories import policy_for, published_version_for
from tests.policies.signing_helpers import sign

pytestmark = pytest.mark.django_db


def _next_tuesday() -> dt.date:
    # Not a fixed date: the people made by the factories join the school today, so the version
    # must be published on or after today.
    today = dt.date.today()
    return today + dt.timedelta(days=(1 - today.weekday()) % 7)


PUBLISHED = dt.datetime.combine(_next_tuesday(), dt.time(10, 0), tzinfo=dt.UTC)  # a Tuesday


def day(n: int) -> dt.date:
    return PUBLISHED.date() + dt.timedelta(days=n)


@pytest.fixture
def version(school, headteacher):
    with time_machine.travel(PUBLISHED, tick=False):
        return published_version_for(policy_for(school, headteacher), headteacher)


def run(on: dt.date, *kinds):
    with registry.only(*kinds), time_machine.travel(dt.datetime.combine(on, dt.time(6, 0))):
        return reminders_send_due(on=on)


def unsigned_for(person):
    return Notification.objects.filter(recipient=person, kind="policy_unsigned").count()


def test_unsigned_reminder_fires_on_day_7_then_weekly_once_a_day(version, staff, governor):
    for n in (1, 6):
        run(day(n), POLICY_UNSIGNED)
    assert unsigned_for(staff) == 0
    run(day(7), POLICY_UNSIGNED)
    assert unsigned_for(staff) == 1
    counts = run(day(7), POLICY_UNSIGNED)  # a second run the same day sends nothing new
    assert counts["policy_unsigned"].sent == 0 and counts["policy_unsigned"].already_sent >= 1
    assert unsigned_for(staff) == 1
    for n in (8, 13):
        run(day(n), POLICY_UNSIGNED)
    assert unsigned_for(staff) == 1
    run(day(14), POLICY_UNSIGNED)
    assert unsigned_for(staff) == 2
    assert unsigned_for(governor) == 0  # not required to sign


def test_unsigned_reminder_stops_once_the_person_signs(version, staff, office):
    run(day(7), POLICY_UNSIGNED)
    sign(version, staff)
    run(day(14), POLICY_UNSIGNED)
    assert unsigned_for(staff) == 1
    assert unsigned_for(office) == 2


def test_unsigned_reminder_links_to_the_signing_page_with_a_neutral_title(version, staff):
    run(day(7), POLICY_UNSIGNED)
    notification = Notification.objects.get(recipient=staff, kind="policy_unsigned")
    assert notification.url == f"/policies/versions/{version.pk}/sign/"
    assert notification.title == "A policy is waiting for your signature"


def test_send_reminders_command_sends_the_unsigned_reminder_on_day_7(version, staff):
    with registry.only(POLICY_UNSIGNED), time_machine.travel(day(7)):
        call_command("send_reminders", date=day(7).isoformat())
        call_command("send_reminders", date=day(7).isoformat())
    assert unsigned_for(staff) == 1


def test_weekly_coverage_summary_goes_to_the_headteacher_on_mondays_once(
    version, headteacher, staff, dsl, mailoutbox, django_capture_on_commit_callbacks
):
    sign(version, staff)
    monday = day(6)
    assert monday.weekday() == 0
    with django_capture_on_commit_callbacks(execute=True):
        run(day(5), POLICY_COVERAGE_WEEKLY)
        run(monday, POLICY_COVERAGE_WEEKLY)
        run(monday, POLICY_COVERAGE_WEEKLY)
    summaries = Notification.objects.filter(kind="policy_coverage_weekly")
    assert list(summaries.values_list("recipient_id", flat=True)) == [headteacher.pk]
    assert len(mailoutbox) == 1
    assert "Staff acceptable use policy (version 1): 1 of 3 signed (33%)" in mailoutbox[0].body
    run(day(13), POLICY_COVERAGE_WEEKLY)
    assert summaries.count() == 2
