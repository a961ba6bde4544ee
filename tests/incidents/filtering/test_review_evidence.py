"""A review's evidence from the record: the check results counted in the database (in the order
they first occur in the log), and the page showing the year's decisions and checks a page at a
time while the counts cover the whole year."""

import datetime as dt
import re

import pytest
import time_machine

from incidents.filtering import selectors
from incidents.filtering.models import CheckResult, UnblockRequest
from incidents.filtering.views.records import PAGE_SIZE
from tests.incidents.filtering.helpers import check_for, request_for, review_for, reviewed

pytestmark = pytest.mark.django_db

YEAR_START = dt.date(2026, 9, 1)


@pytest.fixture(autouse=True)
def in_november():
    """A fixed day well inside the 2026-27 academic year, so the year's dates are all past."""
    with time_machine.travel(dt.datetime(2026, 11, 20, 10, tzinfo=dt.UTC), tick=False):
        yield


def _day(n: int) -> dt.date:
    return YEAR_START + dt.timedelta(days=n)


def test_the_check_results_are_counted_in_the_order_they_first_occur(
    school, headteacher, slt, dsl, governor, network_manager
):
    # Logged in this order; by date the "not blocked" check comes first, then on the same day
    # the "not tested" one logged after it (although a later "not tested" was logged earlier).
    check_for(school, network_manager, checked_on=_day(5), result=CheckResult.NOT_TESTED)
    check_for(
        school,
        network_manager,
        checked_on=_day(2),
        result=CheckResult.NOT_BLOCKED,
        actions="Asked the provider to add the site.",
    )
    check_for(school, network_manager, checked_on=_day(2), result=CheckResult.NOT_TESTED)
    check_for(school, network_manager, checked_on=_day(9), result=CheckResult.BLOCKED)
    check_for(school, network_manager, checked_on=_day(10), result=CheckResult.BLOCKED)
    check_for(school, network_manager, checked_on=_day(11), result=CheckResult.BLOCKED)
    # Not this year's record: one from the last academic year.
    check_for(school, network_manager, checked_on=dt.date(2026, 8, 31))
    review = review_for(school, headteacher, slt_lead=slt, dsl=dsl, governor=governor)

    evidence = selectors.review_evidence(review)

    assert list(evidence.check_results.items()) == [
        ("Not blocked", 1),
        ("Not tested", 2),
        ("Blocked as expected", 3),
    ]
    assert evidence.check_count == 6 and len(evidence.checks) == 6
    marks = {p.name: p.detail for p in evidence.points}
    assert marks["checks"] == "6 checks logged this year"


def _table(html: str, table_id: str) -> str:
    return re.search(rf'id="{table_id}".*?</table>', html, re.S).group(0)


def _check_rows(html: str) -> list[str]:
    return re.findall(r"<td>(Action \d+)</td>", _table(html, "review-checks"))


def test_the_review_page_shows_the_year_s_decisions_and_checks_a_page_at_a_time(
    client_for, school, headteacher, slt, dsl, governor, staff, network_manager
):
    checks = PAGE_SIZE + 3
    for n in range(checks):
        # logged in the reverse of their dates: the page lists them by date
        check_for(school, network_manager, checked_on=_day(checks - n), actions=f"Action {n:02}")
    for _ in range(PAGE_SIZE + 1):
        reviewed(request_for(school, staff), network_manager, never_unblock="iwf")
    references = list(UnblockRequest.objects.order_by("pk").values_list("reference", flat=True))
    review = review_for(school, headteacher, slt_lead=slt, dsl=dsl, governor=governor)
    client = client_for(governor)
    url = f"/incidents/filtering/reviews/{review.pk}/"
    by_date = [f"Action {n:02}" for n in reversed(range(checks))]

    first = client.get(url).content.decode()
    assert _check_rows(first) == by_date[:PAGE_SIZE]
    decisions = _table(first, "review-decisions")
    assert decisions.count("<tr>") == PAGE_SIZE + 1  # the header and a page of rows
    assert all(reference in decisions for reference in references[:PAGE_SIZE])
    assert references[PAGE_SIZE] not in decisions
    # the counts are the year's, not the page's
    assert f"{checks} checks logged this year" in first
    assert f"{PAGE_SIZE + 1} blocked-content decisions this year" in first
    assert f"Blocked as expected: {checks}" in first
    assert "Page 1 of 2" in first and 'href="?checks_page=2"' in first
    assert 'href="?decisions_page=2"' in first

    # each table pages on its own, keeping the other's page
    second = client.get(url, {"decisions_page": 2, "checks_page": 2}).content.decode()
    assert _check_rows(second) == by_date[PAGE_SIZE:]
    decisions = _table(second, "review-decisions")
    assert references[PAGE_SIZE] in decisions and references[0] not in decisions
    assert 'href="?decisions_page=1&amp;checks_page=2"' in second
    assert 'href="?decisions_page=2&amp;checks_page=1"' in second
    assert "Page 2 of 2" in second

    # a page past the end shows the last one
    assert _check_rows(client.get(url, {"checks_page": 9}).content.decode()) == by_date[PAGE_SIZE:]
