"""Query budgets (STYLE: Tests): the incident lists for each role, 'my reports', the CSV export,
the dashboard and an incident page run the same number of queries at N and at 10×N rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from incidents.reports import services
from incidents.reports.models import ActionType, Category
from socialgov.needs_me import needs_me_for
from tests.incidents.helpers import (
    client_as,
    concern_about,
    evidence_upload,
    parent,
    pupil,
    report,
    subject,
    triage,
)

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


def _add(school, staff, colleague, headteacher, dsl, count):
    """`count` incidents of each kind: for the DSL, the head, the network manager, the chair."""
    for _ in range(count):
        bullying = report(school, staff, Category.CYBERBULLYING, people=[pupil()])
        triage(bullying, dsl, handler=colleague)
        report(school, staff, Category.PARENT_CONDUCT, people=[parent()])
        report(school, staff, Category.INAPPROPRIATE_CONTENT)
        concern_about(school, staff, headteacher)
        concern_about(school, staff, colleague)


# Each list page: session and user (2), the person's memberships and roles (2), the current
# school's membership check, the count and the page of incidents with their handlers (2), the
# unread notifications count and the base layout's memberships: the same whatever the rows.
ROLES = ["dsl", "headteacher", "network_manager", "chair", "colleague"]


@pytest.mark.parametrize("who", ROLES)
def test_incident_lists_for_each_role_do_not_grow(
    request, school, staff, colleague, headteacher, dsl, network_manager, chair, who
):
    person = request.getfixturevalue(who)
    client = client_as(person)
    _add(school, staff, colleague, headteacher, dsl, N)
    urls = [
        ("/incidents/", {}),
        ("/incidents/", {"show": "all", "q": "INC"}),
        ("/incidents/", {"show": "triage"}),
        ("/incidents/export.csv", {"show": "all"}),
        ("/", {}),
    ]
    small = [queries(client, url, params) for url, params in urls]
    _add(school, staff, colleague, headteacher, dsl, 9 * N)
    large = [queries(client, url, params) for url, params in urls]
    assert small == large


def test_my_reports_do_not_grow(school, staff, dsl):
    client = client_as(staff)
    for _ in range(N):
        report(school, staff)
    small = queries(client, "/incidents/mine/")
    for _ in range(9 * N):
        report(school, staff)
    assert queries(client, "/incidents/mine/") == small


def _grow(incident, school, dsl, staff, count):
    """`count` more of everything the incident page lists."""
    for n in range(count):
        services.incident_person_add(incident=incident, actor=dsl, person=pupil(f"Pupil {n}"))
        services.incident_action_record(
            incident=incident, actor=dsl, action_type=ActionType.SUPPORT_OFFERED, notes=f"{n}"
        )
        services.incident_entry_add(incident=incident, actor=dsl, kind="note", notes=f"Note {n}")
        services.incident_evidence_add(incident=incident, actor=dsl, upload=evidence_upload())


def test_an_incident_page_does_not_grow(school, staff, dsl):
    incident = report(school, staff, Category.CYBERBULLYING)
    triage(incident, dsl)
    client = client_as(dsl)
    url = f"/incidents/{incident.pk}/"
    _grow(incident, school, dsl, staff, N)
    small = queries(client, url)
    _grow(incident, school, dsl, staff, 9 * N)
    assert queries(client, url) == small


def test_a_staff_concern_page_with_earlier_low_level_concerns_does_not_grow(
    school, staff, headteacher, dsl
):
    def low_level():
        concern = concern_about(school, dsl, staff)
        services.incident_threshold_decide(
            incident=concern,
            actor=headteacher,
            threshold_met=False,
            reasons="No risk.",
            context="Context.",
            action_taken="Spoken to.",
        )

    client = client_as(headteacher)
    for _ in range(N):
        low_level()
    latest = concern_about(school, dsl, staff)
    url = f"/incidents/{latest.pk}/"
    small = queries(client, url)
    for _ in range(9 * N):
        low_level()
    services.incident_person_add(incident=latest, actor=headteacher, person=subject(dsl))
    latest.refresh_from_db()
    assert queries(client, url) == small


def test_the_dashboard_panel_does_not_grow(school, staff, colleague, headteacher, dsl, chair):
    def count():
        with CaptureQueriesContext(connection) as captured:
            needs_me_for(type(dsl).objects.get(pk=dsl.pk))
        return len(captured)

    _add(school, staff, colleague, headteacher, dsl, N)
    small = count()
    _add(school, staff, colleague, headteacher, dsl, 9 * N)
    assert count() == small
