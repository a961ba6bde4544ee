"""A report always reaches someone, and never its subject (DESIGN §4, incidents.reports.routing):
when the routing group is empty, or its only holders are subjects of the report, it falls back
along FALLBACK_CHAIN and raises the alert. Each case directly on `routing.decide`, and end to end
through the report form: the fallback person gets the dashboard item and the notification, the
subject gets nothing (404 on the page). A school with nobody at all in the chain alerts the
service's operators."""

import logging
import uuid

import pytest

from incidents.reports import routing, services
from incidents.reports.models import Category, Incident, Route
from socialgov.notifications.models import Notification
from socialgov.people.roles import Role
from tests.incidents.helpers import client_as, report, subject

GAP_SENTENCE = "came to you because nobody holds the role they are meant for"


def _decide(school, category=Category.CYBERBULLYING, subjects=()):
    return routing.decide(
        school=school,
        category=category,
        pupil_involved=False,
        subject_ids={u.pk for u in subjects},
    )


def _post_report(reporter, category=Category.CYBERBULLYING, subjects=()) -> Incident:
    """A report made through the form, naming `subjects` as subjects of concern."""
    data = {
        "category": category,
        "safeguarding_kind": "",
        "occurred_on": "01/02/2026",
        "occurred_time": "14:30",
        "description": "Messages seen in a group chat that need looking at.",
        "urls": "",
        "platform": "WhatsApp",
        "severity": "medium",
        "external_reference": "",
        "submission_key": str(uuid.uuid4()),
        "people-TOTAL_FORMS": str(len(subjects)),
        "people-INITIAL_FORMS": "0",
        "people-MIN_NUM_FORMS": "0",
        "people-MAX_NUM_FORMS": "20",
    }
    for n, person in enumerate(subjects):
        data[f"people-{n}-kind"] = "staff"
        data[f"people-{n}-role"] = "subject_of_concern"
        data[f"people-{n}-staff_member"] = str(person.pk)
    response = client_as(reporter).post("/incidents/report/", data)
    incident = Incident.objects.get(reporter=reporter)
    assert response.status_code == 302, response.context and response.context["form"].errors
    return incident


def _reaches(user, incident) -> None:
    """`user` has the alert on their dashboard, the notification, and the page."""
    client = client_as(user)
    assert GAP_SENTENCE in client.get("/").content.decode()
    told = Notification.objects.filter(recipient=user, about_id=incident.pk)
    assert list(told.values_list("kind", flat=True)) == ["incident_routing_gap"]
    assert incident.reference in client.get("/notifications/").content.decode()
    assert client.get(f"/incidents/{incident.pk}/").status_code == 200


def _never_reaches(user, incident) -> None:
    client = client_as(user)
    assert GAP_SENTENCE not in client.get("/").content.decode()
    assert not Notification.objects.filter(recipient=user, about_id=incident.pk).exists()
    assert incident.reference not in client.get("/notifications/").content.decode()
    assert client.get(f"/incidents/{incident.pk}/").status_code == 404


# --- An empty group ---------------------------------------------------------------------------


def test_decide_an_empty_dsl_team_falls_back_to_the_headteacher(school, headteacher, chair):
    decision = _decide(school)
    assert decision.route == Route.DSL and decision.is_gap
    assert decision.fallback_role == Role.HEADTEACHER
    assert decision.recipients == (headteacher,)


def test_a_report_with_no_dsl_team_reaches_the_headteacher_end_to_end(
    school, headteacher, chair, staff
):
    incident = _post_report(staff)
    assert incident.route == Route.DSL and incident.fallback_role == Role.HEADTEACHER
    _reaches(headteacher, incident)
    _never_reaches(chair, incident)


def test_decide_no_dsl_and_no_headteacher_falls_back_to_the_chair(school, chair, staff):
    decision = _decide(school)
    assert decision.fallback_role == Role.CHAIR_OF_GOVERNORS
    assert decision.recipients == (chair,)


def test_a_report_with_no_dsl_and_no_headteacher_reaches_the_chair_end_to_end(school, chair, staff):
    incident = _post_report(staff)
    assert incident.fallback_role == Role.CHAIR_OF_GOVERNORS
    _reaches(chair, incident)


# --- The group's only holders are subjects ----------------------------------------------------


def test_decide_a_concern_about_the_headteacher_with_no_chair_skips_the_headteacher(
    school, headteacher, safeguarding_governor
):
    decision = _decide(school, Category.STAFF_CONDUCT, subjects=[headteacher])
    assert decision.route == Route.CASE_MANAGER_CHAIR
    assert decision.fallback_role == Role.SAFEGUARDING_GOVERNOR
    assert headteacher not in decision.recipients
    assert decision.recipients == (safeguarding_governor,)


def test_a_concern_about_the_headteacher_with_no_chair_reaches_the_safeguarding_governor(
    school, headteacher, safeguarding_governor, staff
):
    incident = _post_report(staff, Category.STAFF_CONDUCT, subjects=[headteacher])
    assert incident.fallback_role == Role.SAFEGUARDING_GOVERNOR
    _reaches(safeguarding_governor, incident)
    _never_reaches(headteacher, incident)


def test_decide_a_concern_about_both_the_headteacher_and_the_chair_goes_past_both(
    school, headteacher, chair, deputy_head
):
    decision = _decide(school, Category.STAFF_CONDUCT, subjects=[headteacher, chair])
    assert decision.route == Route.CASE_MANAGER_CHAIR
    assert decision.fallback_role == Role.DEPUTY_HEADTEACHER
    assert decision.recipients == (deputy_head,)


def test_a_concern_about_the_headteacher_and_the_chair_reaches_the_deputy_end_to_end(
    school, headteacher, chair, deputy_head, staff
):
    incident = _post_report(staff, Category.STAFF_CONDUCT, subjects=[headteacher, chair])
    _reaches(deputy_head, incident)
    _never_reaches(headteacher, incident)
    _never_reaches(chair, incident)


def test_naming_the_fallback_person_as_a_subject_moves_it_on_at_once(
    school, headteacher, chair, staff
):
    """No DSL: it fell back to the headteacher; naming her as a subject sends it to the chair,
    and her notification and alert go with it."""
    incident = _post_report(staff)
    _reaches(headteacher, incident)
    services.incident_person_add(incident=incident, actor=headteacher, person=subject(headteacher))
    incident.refresh_from_db()
    assert incident.route == Route.CASE_MANAGER_CHAIR and incident.fallback_role == ""
    _never_reaches(headteacher, incident)
    assert Notification.objects.filter(recipient=chair, about_id=incident.pk).exists()
    assert client_as(chair).get(f"/incidents/{incident.pk}/").status_code == 200


# --- Nobody at all ----------------------------------------------------------------------------


def test_decide_a_school_with_only_the_subject_in_the_chain_sends_it_to_nobody_as_a_gap(
    school, headteacher
):
    decision = _decide(school, Category.STAFF_CONDUCT, subjects=[headteacher])
    assert decision.is_gap and decision.recipients == ()


def test_nobody_but_the_subject_alerts_the_operators_and_never_the_subject(
    school, headteacher, staff, caplog, mailoutbox, settings
):
    settings.ADMINS = [("Operators", "ops@socialgov.test")]
    settings.DEBUG = False
    with caplog.at_level(logging.ERROR, logger="incidents"):
        incident = report(school, staff, Category.STAFF_CONDUCT, people=[subject(headteacher)])
    alert = [r for r in caplog.records if r.name.startswith("incidents")]
    assert len(alert) == 1 and incident.reference in alert[0].getMessage()
    assert incident.description not in alert[0].getMessage()
    assert "ops@socialgov.test" in [m.to[0] for m in mailoutbox]
    assert "operators were alerted" in incident.entries.filter(kind="routed").get().notes
    _never_reaches(headteacher, incident)


def test_a_routed_report_raises_no_operator_alert(school, dsl, staff, caplog):
    with caplog.at_level(logging.ERROR, logger="incidents"):
        report(school, staff, Category.CYBERBULLYING)
    assert not [r for r in caplog.records if r.name.startswith("incidents")]


@pytest.mark.parametrize("category", [Category.CYBERBULLYING, Category.STAFF_CONDUCT])
def test_a_report_is_never_routed_to_its_subject_whoever_else_is_missing(
    category, school, headteacher, chair, staff
):
    """Only the head and the chair hold roles; each in turn is the subject."""
    for who, other in ((headteacher, chair), (chair, headteacher)):
        decision = _decide(school, category, subjects=[who])
        assert who not in decision.recipients and decision.recipients == (other,)
