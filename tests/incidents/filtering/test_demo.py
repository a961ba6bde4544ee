"""The demo's blocked-content requests and filtering record (incidents.filtering.demo): a request
in each state (one ended and blocked again), the named roles, a few checks and last year's
review; made once."""

import pytest
from django.core.management import call_command

from incidents.filtering.models import (
    FilteringCheck,
    FilteringReview,
    FilteringRoles,
    RequestStatus,
    UnblockRequest,
)
from socialgov.dates import today
from socialgov.terms.selectors import academic_year_of


@pytest.fixture
def demo(db, capsys):
    call_command("seed_demo")
    return capsys.readouterr().out


def test_the_demo_adds_a_request_in_each_state_once(demo, capsys):
    assert "Demo blocked-content requests and filtering record added: UNB-" in demo
    assert set(UnblockRequest.objects.values_list("status", flat=True)) == set(RequestStatus)
    reblocked = UnblockRequest.objects.get(status=RequestStatus.REBLOCKED)
    assert reblocked.expired_at and reblocked.reblocked_by
    count = UnblockRequest.objects.count()
    call_command("seed_demo")
    assert "filtering record are already in place" in capsys.readouterr().out
    assert UnblockRequest.objects.count() == count


def test_the_demo_has_roles_checks_and_last_years_review(demo):
    assert FilteringRoles.objects.get().unassigned() == []
    assert FilteringCheck.objects.count() == 4
    review = FilteringReview.objects.get()
    assert review.academic_year == academic_year_of(today()) - 1
    assert review.actions.count() == 1
