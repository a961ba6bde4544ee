"""Query budgets (STYLE: Tests): the decision log, its CSV, the check log, the review page, the
review list and the dashboard panels run the same number of queries at N and at 10×N rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from socialgov.needs_me import needs_me_for
from tests.incidents.filtering.helpers import (
    check_for,
    request_for,
    review_for,
    reviewed,
    unblocked,
)
from tests.incidents.helpers import client_as

pytestmark = pytest.mark.django_db

N = 2


def queries(client, url, params=None) -> int:
    """The queries of one GET, after a first one has warmed the caches (content types)."""
    client.get(url, params or {})
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
        assert response.status_code == 200, url
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
    return len(captured)


def _add(school, staff, network_manager, headteacher, count):
    for _ in range(count):
        unblocked(request_for(school, staff), network_manager, headteacher)
        reviewed(request_for(school, staff), network_manager)
        request_for(school, staff)
        check_for(school, network_manager)
        check_for(school, network_manager, result="not_blocked", actions="Added to the list.")


@pytest.mark.parametrize("who", ["headteacher", "network_manager"])
def test_the_decision_log_and_its_csv_do_not_grow(
    request, school, staff, network_manager, headteacher, who
):
    client = client_as(request.getfixturevalue(who))
    _add(school, staff, network_manager, headteacher, N)
    urls = ["/incidents/filtering/log/", "/incidents/filtering/log.csv"]
    small = [queries(client, url) for url in urls]
    _add(school, staff, network_manager, headteacher, 9 * N)
    assert [queries(client, url) for url in urls] == small


def test_the_check_log_does_not_grow(school, staff, network_manager, headteacher):
    client = client_as(network_manager)
    _add(school, staff, network_manager, headteacher, N)
    urls = ["/incidents/filtering/checks/", "/incidents/filtering/checks.csv"]
    small = [queries(client, url) for url in urls]
    _add(school, staff, network_manager, headteacher, 9 * N)
    assert [queries(client, url) for url in urls] == small


def test_the_review_page_and_list_do_not_grow(
    school, staff, network_manager, headteacher, slt, dsl, governor
):
    review = review_for(school, headteacher, slt_lead=slt, dsl=dsl, governor=governor)
    client = client_as(governor)
    urls = [f"/incidents/filtering/reviews/{review.pk}/", "/incidents/filtering/reviews/"]
    _add(school, staff, network_manager, headteacher, N)
    small = [queries(client, url) for url in urls]
    _add(school, staff, network_manager, headteacher, 9 * N)
    assert [queries(client, url) for url in urls] == small


def test_my_requests_do_not_grow(school, staff, network_manager, headteacher):
    client = client_as(staff)
    _add(school, staff, network_manager, headteacher, N)
    small = queries(client, "/incidents/filtering/")
    _add(school, staff, network_manager, headteacher, 9 * N)
    assert queries(client, "/incidents/filtering/") == small


@pytest.mark.parametrize("who", ["headteacher", "network_manager", "dsl", "staff"])
def test_the_dashboard_panels_do_not_grow(
    request, school, staff, network_manager, headteacher, dsl, who
):
    person = request.getfixturevalue(who)

    def count():
        with CaptureQueriesContext(connection) as captured:
            needs_me_for(type(person).objects.get(pk=person.pk))
        return len(captured)

    _add(school, staff, network_manager, headteacher, N)
    small = count()
    _add(school, staff, network_manager, headteacher, 9 * N)
    assert count() == small
