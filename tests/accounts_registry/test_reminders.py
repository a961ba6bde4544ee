"""Reminders: open takedowns every day to the account's administrators; the yearly review before
it is due and while it is overdue."""

import datetime as dt

import pytest
from django.utils import timezone

from accounts_registry.reminders import ACCOUNT_REVIEW, TAKEDOWN_OPEN
from consent.models import Outcome
from tests.accounts_registry.factories import draft, published
from tests.consent.factories import record, social_media

pytestmark = pytest.mark.django_db


def test_an_open_takedown_is_reminded_from_the_next_day(
    account, staff, colleague, headteacher, pupils, office, school
):
    published(draft(account, staff, pupils), staff, colleague, headteacher)
    record(
        pupils[0], social_media(school), office, Outcome.WITHDRAWN, received_on=timezone.localdate()
    )
    today = timezone.localdate()
    assert list(TAKEDOWN_OPEN.due(today)) == []
    due = list(TAKEDOWN_OPEN.due(today + dt.timedelta(days=1)))
    assert {r.recipient for r in due} == {staff, colleague}


def test_the_review_is_reminded_30_and_7_days_before_and_weekly_when_overdue(account, headteacher):
    due_on = account.review_due_on

    def recipients(days):
        return {r.recipient for r in ACCOUNT_REVIEW.due(due_on + dt.timedelta(days=days))}

    assert headteacher in recipients(-30)
    assert recipients(-29) == set()
    assert len(recipients(-7)) == 3
    assert recipients(14)
    assert recipients(15) == set()
