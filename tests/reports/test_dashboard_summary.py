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
    # Warm the process's caches first: the unread-notifications badge asks ContentType for each
    # notification gateway's model (socialgov.record_gateways), one query per model the first
    # time in the process and none after (ContentTypeManager's cache, emptied when a
    # transactional test flushes the database). Counted cold, the first page depended on which
    # tests had run before it in the same process.
    count()
    small = count()
    grow(18)
    large = count()
    # Session, person, memberships, roles and two-factor (5); what needs the headteacher and the
    # strip: policies and coverage, declarations and exceptions, training, incidents, filtering,
    # official accounts and posts, consent (about 39); trust memberships and unread
    # notifications (2).
    assert small == large


def test_the_strip_counts_pupils_missing_image_consent_and_links_to_the_register(
    client_for, school, headteacher, office, staff, governor
):
    """Four pupils and one consent purpose: an in-date yes, an expired yes, a refusal and no
    decision. Missing or expired: 2 (a refusal is a decision, not a gap)."""
    import datetime as dt

    from django.urls import reverse
    from django.utils import timezone

    from consent.models import Outcome
    from consent.rules import Status
    from tests.consent.factories import pupil_for, record, social_media, status

    today = timezone.localdate()
    from consent.models import Purpose

    purpose = social_media(school)
    Purpose.objects.filter(school=school).exclude(pk=purpose.pk).update(is_active=False)
    pupils = [pupil_for(school, office) for _ in range(4)]
    record(pupils[0], purpose, office, Outcome.GRANTED)
    record(
        pupils[1],
        purpose,
        office,
        Outcome.GRANTED,
        received_on=today - dt.timedelta(days=400),
        expires_on=today - dt.timedelta(days=5),
    )
    record(pupils[2], purpose, office, Outcome.REFUSED)
    statuses = [status(p, purpose, today) for p in pupils]
    expected = sum(
        s in (Status.NO_DECISION, Status.EXPIRED, Status.NEEDS_RECONFIRMING) for s in statuses
    )
    assert statuses[1] == Status.EXPIRED and statuses[3] == Status.NO_DECISION
    assert expected == 2

    label = "Pupils missing image consent (none given, or expired)"
    assert _strip(headteacher, school)[label] == "2"
    assert label not in _strip(staff, school)
    assert label not in _strip(governor, school)  # governors read the report's counts instead
    html = client_for(headteacher).get("/").content.decode()
    register = reverse("consent_in_school", args=[school.pk, "register"])
    assert label in html and f'href="{register}"' in html
    assert client_for(headteacher).get(register).status_code == 200
