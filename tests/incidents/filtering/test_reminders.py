"""Filtering reminders (incidents.filtering.reminders): requests waiting for review or decision;
unblocks ending within 7 days; ended unblocks until the re-block is confirmed (repeating daily);
the yearly review 60, 30 and 7 days before the year ends; no check this term. A link only, and a
second run on the same day sends nothing new."""

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command

from incidents.filtering import services
from incidents.filtering.models import RequestStatus
from incidents.filtering.reminders import KINDS
from socialgov.notifications.models import Notification
from socialgov.reminders import registry
from socialgov.reminders.services import reminders_send_due
from tests.incidents.filtering.helpers import (
    check_for,
    request_for,
    review_for,
    reviewed,
    unblocked,
)

pytestmark = pytest.mark.django_db

MONDAY = dt.datetime(2027, 3, 1, 10, 0, tzinfo=dt.UTC)


def _run(on: dt.date):
    with registry.only(*KINDS):
        return reminders_send_due(on=on)


def _reminded(kind):
    return sorted(Notification.objects.filter(kind=kind).values_list("recipient__email", flat=True))


def test_waiting_requests_remind_the_network_manager_then_the_deciders(
    school, staff, network_manager, headteacher, deputy_head
):
    with time_machine.travel(MONDAY, tick=False):
        request = request_for(school, staff)
    assert _run(dt.date(2027, 3, 1))["unblock_waiting"].due == 0
    assert _run(dt.date(2027, 3, 2))["unblock_waiting"].sent == 1
    assert _reminded("unblock_waiting") == ["network@willow.test"]
    assert _run(dt.date(2027, 3, 2))["unblock_waiting"].sent == 0  # idempotent
    with time_machine.travel(MONDAY + dt.timedelta(days=2), tick=False):
        reviewed(request, network_manager)
    Notification.objects.filter(kind="unblock_waiting").delete()
    assert _run(dt.date(2027, 3, 4))["unblock_waiting"].sent == 2
    assert _reminded("unblock_waiting") == ["deputy@willow.test", "head@willow.test"]


def test_the_headteachers_own_request_reminds_only_the_deputy(
    school, network_manager, headteacher, deputy_head
):
    with time_machine.travel(MONDAY, tick=False):
        reviewed(request_for(school, headteacher), network_manager)
    _run(dt.date(2027, 3, 2))
    assert _reminded("unblock_waiting") == ["deputy@willow.test"]


def test_an_unblock_ending_reminds_7_days_and_1_day_before(
    school, staff, network_manager, headteacher
):
    with time_machine.travel(MONDAY, tick=False):
        request = unblocked(request_for(school, staff), network_manager, headteacher, days=10)
    end = request.approved_until
    assert _run(end - dt.timedelta(days=7))["unblock_ending"].due == 0
    assert _run(end - dt.timedelta(days=6))["unblock_ending"].sent == 2
    assert _reminded("unblock_ending") == ["network@willow.test", "staff@willow.test"]
    assert _run(end - dt.timedelta(days=5))["unblock_ending"].due == 0
    assert _run(end)["unblock_ending"].sent == 2


def test_expiry_fires_once_and_the_reblock_reminder_repeats_until_confirmed(
    school, staff, network_manager, headteacher
):
    with time_machine.travel(MONDAY, tick=False):
        request = unblocked(request_for(school, staff), network_manager, headteacher, days=3)
    day_after = request.approved_until + dt.timedelta(days=1)
    assert _run(request.approved_until)["unblock_reblock_due"].due == 0
    call_command("expire_unblocks", "--date", day_after.isoformat())
    call_command("expire_unblocks", "--date", day_after.isoformat())
    request.refresh_from_db()
    assert request.status == RequestStatus.EXPIRED
    assert Notification.objects.filter(kind="unblock_expired").count() == 1
    for n in range(3):
        assert _run(day_after + dt.timedelta(days=n))["unblock_reblock_due"].sent == 1
    services.unblock_request_confirm_reblocked(request=request, actor=network_manager)
    assert _run(day_after + dt.timedelta(days=3))["unblock_reblock_due"].due == 0
    assert Notification.objects.filter(kind="unblock_reblock_due").count() == 3


def test_the_review_is_due_60_30_and_7_days_before_the_year_ends(
    school, headteacher, dsl, slt, governor
):
    end = dt.date(2027, 8, 31)
    for days, expected in ((61, 0), (60, 2), (30, 2), (8, 0), (7, 2)):
        assert _run(end - dt.timedelta(days=days))["filtering_review_due"].sent == expected
    assert _reminded("filtering_review_due").count("head@willow.test") == 3


def test_no_review_reminder_once_the_year_has_its_review(school, headteacher, dsl, slt, governor):
    with time_machine.travel(dt.datetime(2027, 6, 1, 10, tzinfo=dt.UTC), tick=False):
        review_for(school, headteacher, slt_lead=slt, dsl=dsl, governor=governor)
    assert _run(dt.date(2027, 7, 2))["filtering_review_due"].due == 0


def test_no_check_this_term_reminds_the_network_manager(school, network_manager):
    from socialgov.terms.models import TermDate

    TermDate.objects.create(
        school=school,
        academic_year=2026,
        term="spring",
        starts_on=dt.date(2027, 1, 4),
        ends_on=dt.date(2027, 3, 26),
    )
    assert _run(dt.date(2027, 1, 31))["filtering_checks_due"].due == 0  # day 27
    assert _run(dt.date(2027, 2, 1))["filtering_checks_due"].sent == 1  # day 28
    assert _run(dt.date(2027, 2, 2))["filtering_checks_due"].due == 0
    with time_machine.travel(dt.datetime(2027, 2, 3, 10, tzinfo=dt.UTC), tick=False):
        check_for(school, network_manager)
    assert _run(dt.date(2027, 2, 8))["filtering_checks_due"].due == 0
