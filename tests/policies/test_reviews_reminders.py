"""Review reminders with the clock moved: 60, 30 and 7 days before (owner and headteacher), then
overdue the day after and weekly (headteacher and chair), each once, until a review is recorded."""

import datetime as dt
import io

import pytest
import time_machine
from django.core.management import call_command

from policies import services
from policies.review_reminders import REVIEW_DUE, REVIEW_OVERDUE
from socialgov.reminders import registry
from tests.policies.factories import policy_for

REVIEW_DATE = dt.date(2027, 3, 1)  # well after the fixtures' memberships start (today)


@pytest.fixture
def only_review_reminders():
    with registry.only(REVIEW_DUE, REVIEW_OVERDUE):
        yield


@pytest.fixture
def policy(school, headteacher, dsl):
    return policy_for(school, headteacher, owner=dsl, next_review_on=REVIEW_DATE)


@pytest.fixture
def run_on(mailoutbox, django_capture_on_commit_callbacks):
    """run_on(day) -> the e-mails the daily job sent on that day, as (subject, recipient)."""

    def run(day: dt.date) -> list[tuple[str, str]]:
        before = len(mailoutbox)
        noon = dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)
        with (
            time_machine.travel(noon, tick=False),
            django_capture_on_commit_callbacks(execute=True),
        ):
            call_command("send_reminders", stdout=io.StringIO())
        return sorted((m.subject, m.to[0]) for m in mailoutbox[before:])

    return run


def days_from_review(days: int) -> dt.date:
    return REVIEW_DATE + dt.timedelta(days=days)


DUE = "A policy review is coming up"
OVERDUE = "A policy review is overdue"


def test_each_reminder_fires_on_its_day_only(
    only_review_reminders, policy, headteacher, dsl, chair, staff, run_on
):
    sent = {offset: run_on(days_from_review(offset)) for offset in (
        -61, -60, -59, -31, -30, -29, -8, -7, -6, -1, 0, 1, 2, 7, 8, 9, 14, 15, 16
    )}  # fmt: skip
    owner_and_head = sorted([(DUE, dsl.email), (DUE, headteacher.email)])
    head_and_chair = sorted([(OVERDUE, chair.email), (OVERDUE, headteacher.email)])
    expected = {offset: [] for offset in sent}
    expected.update({-60: owner_and_head, -30: owner_and_head, -7: owner_and_head})
    expected.update({1: head_and_chair, 8: head_and_chair, 15: head_and_chair})
    assert sent == expected


def test_a_second_run_on_the_same_day_sends_nothing_more(
    only_review_reminders, policy, headteacher, dsl, chair, run_on, mailoutbox
):
    assert len(run_on(days_from_review(-30))) == 2
    assert run_on(days_from_review(-30)) == []
    assert len(run_on(days_from_review(1))) == 2
    assert run_on(days_from_review(1)) == []
    body = mailoutbox[0].body
    assert policy.title in body and "01/03/2027" in body


def test_the_overdue_reminders_stop_once_a_review_is_recorded(
    only_review_reminders, policy, headteacher, dsl, chair, run_on
):
    assert len(run_on(days_from_review(1))) == 2
    services.policy_review_record(
        policy=policy,
        actor=headteacher,
        reviewed_on=dt.date.today(),
        reviewer_ids=[headteacher.pk, dsl.pk],
        outcome="no_change",
    )
    assert run_on(days_from_review(8)) == []
    assert run_on(days_from_review(15)) == []


def test_the_owner_who_has_left_is_not_reminded(
    only_review_reminders, policy, headteacher, dsl, run_on
):
    dsl.memberships.update(leaving_date=days_from_review(-40))
    assert run_on(days_from_review(-30)) == [(DUE, headteacher.email)]


def test_other_schools_people_are_never_reminded_about_our_policy(
    only_review_reminders, policy, outsider, run_on
):
    everyone_reminded = {
        to for offset in (-60, -30, -7, 1, 8) for _, to in run_on(days_from_review(offset))
    }
    assert everyone_reminded and outsider.email not in everyone_reminded
