"""Query budgets (STYLE: Tests): the governors' report runs as many queries with 10× the data, and
the trust roll-up as many with three times the schools."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from incidents.reports.models import Category
from socialgov.people.roles import Role
from tests.consent.factories import add_pupils, default_purposes
from tests.factories import SchoolFactory, person_in
from tests.incidents.helpers import report
from tests.policies.factories import policy_for, published_version_for
from tests.reports.helpers import recent_range

pytestmark = pytest.mark.django_db

CATEGORIES = [Category.SAFEGUARDING, Category.PARENT_CONDUCT, Category.FILTER_BYPASS]


def count_queries(client, url, query=None) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, query or {})
        assert response.status_code == 200, response.status_code
    return len(captured)


def grow(school, headteacher, staff, n):
    for i in range(n):
        report(school, staff, CATEGORIES[i % len(CATEGORIES)])
    add_pupils(school, 5 * n, group="6R")
    for i in range(max(1, n // 3)):
        policy = policy_for(school, headteacher, title=f"Policy {n}-{i}")
        published_version_for(policy, headteacher)


def test_the_report_page_runs_as_many_queries_with_ten_times_the_data(
    client_for, school, governor, headteacher, staff
):
    default_purposes(school)
    url = reverse("governors_report", args=[school.pk])
    client = client_for(governor)
    grow(school, headteacher, staff, 2)
    count_queries(client, url, recent_range())  # warm caches (content types) first
    small = count_queries(client, url, recent_range())
    grow(school, headteacher, staff, 18)
    large = count_queries(client, url, recent_range())
    # Session and person (4), the school and its terms (2), policies (7), consent (11: its
    # statuses counted by year group and its pupils with a gap, each settled in the database
    # and changing ones read in full), incidents (3), and the menu.
    assert small == large
    assert large <= 45


@pytest.mark.parametrize("period", ["this school year", "dates of one's choice"])
def test_the_roll_up_runs_as_many_queries_with_three_times_the_schools(
    client_for, trust, school, trust_executive, period
):
    def add_schools(count):
        for _ in range(count):
            other = SchoolFactory(trust=trust)
            head = person_in(other, Role.HEADTEACHER)
            staff = person_in(other, Role.STAFF)
            report(other, staff, Category.PARENT_CONDUCT)
            policy = policy_for(other, head)
            published_version_for(policy, head)

    url = reverse("trust_rollup", args=[trust.pk])
    query = recent_range() if period == "dates of one's choice" else None
    client = client_for(trust_executive)
    add_schools(2)
    count_queries(client, url, query)  # warm caches (content types) first
    small = count_queries(client, url, query)
    add_schools(4)
    large = count_queries(client, url, query)
    assert small == large
    assert large <= 30  # session and person, the trust and its schools, each section's few
