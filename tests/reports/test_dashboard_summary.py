"""The leaders' summary strip on the dashboard (socialgov.needs_me.SUMMARY): figures through the
apps' gateways, nothing for those it does not concern, and a fixed number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from incidents.reports.models import OPEN_STATUSES, Incident, Route
from socialgov.needs_me import summary_for
from tests.incidents.helpers import concern_about, report
from tests.policies.factories import policy_for, published_version_for

pytestmark = pytest.mark.django_db


def _strip(user, school):
    from socialgov import access

    membership = access.membership_in(user, school)
    membership.user = user
    return {h.label: h.value for h in summary_for(membership)}


def test_the_headteachers_open_incidents_leave_out_the_concern_about_them(
    school, headteacher, dsl, staff, chair, slt
):
    about_head = concern_about(school, dsl, headteacher)
    assert about_head.route == Route.CASE_MANAGER_CHAIR
    for _ in range(3):
        report(school, staff, "parent_conduct")
    strip = _strip(headteacher, school)
    open_ids = set(
        Incident.objects.filter(school=school, status__in=OPEN_STATUSES).values_list(
            "pk", flat=True
        )
    )
    assert about_head.pk in open_ids
    from incidents.reports.access import incident_handling_visible_to

    handled = set(
        incident_handling_visible_to(headteacher)
        .filter(pk__in=open_ids)
        .values_list("pk", flat=True)
    )
    assert about_head.pk not in handled
    assert strip["Open incidents"] == str(len(handled))
    assert int(strip["Open incidents"]) >= 3


def test_staff_see_no_strip_and_governors_see_policies_only(school, headteacher, staff, governor):
    published_version_for(policy_for(school, headteacher), headteacher)
    assert _strip(staff, school) == {}
    governor_strip = _strip(governor, school)
    assert "Open incidents" not in governor_strip
    assert governor_strip["Policies overdue for review"] == "0"
    assert governor_strip["Acceptable use policies signed"] == "0%"


def test_the_dashboard_shows_the_strip_to_a_headteacher(client_for, school, headteacher, staff):
    published_version_for(policy_for(school, headteacher), headteacher)
    html = client_for(headteacher).get("/").content.decode()
    assert f"{school.name} at a glance" in html and "Open incidents" in html
    assert "at a glance" not in client_for(staff).get("/").content.decode()


def test_the_headteachers_dashboard_runs_as_many_queries_with_ten_times_the_data(
    client_for, school, headteacher, staff
):
    def grow(n):
        for _ in range(n):
            report(school, staff, "parent_conduct")
        for i in range(max(1, n // 2)):
            published_version_for(policy_for(school, headteacher, title=f"P{n}-{i}"), headteacher)

    client = client_for(headteacher)

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/").status_code == 200
        return len(captured)

    grow(2)
    small = count()
    grow(18)
    assert count() == small
