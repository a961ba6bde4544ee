"""Routing (DESIGN §4's table, incidents.reports.routing): every category goes to its group, a
subject makes it a staff-conduct concern for the case manager, and an empty group falls back to
the headteacher (the chair when the headteacher is a subject) with an alert. Nothing is routed
to nobody."""

import pytest

from incidents.reports import routing
from incidents.reports.access import incident_handling_visible_to
from incidents.reports.models import Category, Route
from incidents.reports.needs_me import PANELS as INCIDENT_PANELS
from socialgov.needs_me import PANELS, needs_me_for
from socialgov.notifications.models import Notification
from socialgov.people.roles import Role
from tests.factories import person_in
from tests.incidents.helpers import client_as, concern_about, pupil, report, subject

EVERYONE = [
    "headteacher",
    "deputy_head",
    "dsl",
    "deputy_dsl",
    "slt",
    "dpo",
    "network_manager",
    "chair",
    "safeguarding_governor",
    "governor",
    "office",
    "colleague",
]

EXPECTED = {
    Category.INAPPROPRIATE_CONTENT: (Route.ICT, {"network_manager"}),
    Category.FILTER_BYPASS: (Route.ICT, {"network_manager"}),
    Category.CYBERBULLYING: (Route.DSL, {"dsl", "deputy_dsl"}),
    Category.PUPIL_BEHAVIOUR: (Route.DSL, {"dsl", "deputy_dsl"}),
    Category.SAFEGUARDING: (Route.DSL, {"dsl", "deputy_dsl"}),
    Category.MISINFORMATION: (Route.DSL, {"dsl", "deputy_dsl"}),
    Category.OTHER: (Route.DSL, {"dsl", "deputy_dsl"}),
    Category.PERSONAL_CONTACT: (Route.DSL_AND_HEAD, {"dsl", "deputy_dsl", "headteacher"}),
    Category.ABUSIVE_POST: (Route.HEAD_AND_SLT, {"headteacher", "slt"}),
    Category.ACCOUNT_COMMENT: (Route.HEAD_AND_SLT, {"headteacher", "slt"}),
    Category.PARENT_CONDUCT: (Route.HEAD_AND_SLT, {"headteacher", "slt"}),
    Category.IMAGE_WITHOUT_CONSENT: (Route.HEAD_AND_DPO, {"headteacher", "dpo"}),
    Category.STAFF_CONDUCT: (Route.CASE_MANAGER_HEAD, {"headteacher"}),
}


@pytest.fixture
def people(request, school):
    return {name: request.getfixturevalue(name) for name in EVERYONE}


def test_the_table_covers_every_category():
    assert set(EXPECTED) == set(Category.values)
    assert set(routing.CATEGORY_ROUTES) == set(Category.values)


def _receivers(incident, people):
    return {name for name, user in people.items() if incident in incident_handling_visible_to(user)}


@pytest.mark.parametrize("category", sorted(EXPECTED))
def test_every_category_goes_to_its_group_and_only_they_are_told(
    category, school, people, staff, mailoutbox
):
    route, names = EXPECTED[category]
    incident = report(school, staff, category)
    assert incident.route == route and incident.fallback_role == ""
    assert _receivers(incident, people) == names
    told = set(
        Notification.objects.filter(url=f"/incidents/{incident.pk}/").values_list(
            "recipient__email", flat=True
        )
    )
    assert told == {people[name].email for name in names}


def test_a_safeguarding_disclosure_alerts_the_dsl_team_at_once_by_email_too(
    school, dsl, deputy_dsl, staff, mailoutbox, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://socialgov.example.org.uk"
    with django_capture_on_commit_callbacks(execute=True):
        incident = report(school, staff, Category.SAFEGUARDING)
    kinds = set(Notification.objects.filter(about_id=incident.pk).values_list("kind", flat=True))
    assert kinds == {"incident_new_urgent"}
    assert sorted(m.to[0] for m in mailoutbox) == ["ddsl@willow.test", "dsl@willow.test"]
    for email in mailoutbox:
        assert f"https://socialgov.example.org.uk/incidents/{incident.pk}/" in email.body
        assert incident.description not in email.body
    with PANELS.only(*INCIDENT_PANELS):  # incident reports' own items (not the filtering ones)
        items = [i for g in needs_me_for(dsl) for i in g.items]
    assert [(i.sentence, i.tone) for i in items] == [("1 urgent report to look at now", "alert")]


def test_a_pupil_involved_in_a_technical_incident_brings_in_the_dsl_team(school, people, staff):
    incident = report(school, staff, Category.INAPPROPRIATE_CONTENT, people=[pupil()])
    assert incident.route == Route.ICT_AND_DSL
    assert _receivers(incident, people) == {"network_manager", "dsl", "deputy_dsl"}


@pytest.mark.parametrize("category", [Category.CYBERBULLYING, Category.FILTER_BYPASS])
def test_naming_a_staff_subject_makes_any_category_a_concern_for_the_headteacher(
    category, school, people, staff
):
    incident = report(
        school, staff, category, people=[subject(people["slt"], "alleged_perpetrator")]
    )
    assert incident.route == Route.CASE_MANAGER_HEAD
    assert _receivers(incident, people) == {"headteacher"}


def test_a_concern_about_the_headteacher_goes_to_the_chair(school, people, staff):
    incident = concern_about(school, staff, people["headteacher"])
    assert incident.route == Route.CASE_MANAGER_CHAIR
    assert _receivers(incident, people) == {"chair"}


def test_an_empty_group_falls_back_to_the_headteacher_and_raises_the_alert(
    school, headteacher, staff
):
    incident = report(school, staff, Category.CYBERBULLYING)  # nobody holds a DSL role
    assert incident.route == Route.DSL and incident.fallback_role == Role.HEADTEACHER
    assert incident in incident_handling_visible_to(headteacher)
    assert Notification.objects.get(recipient=headteacher).kind == "incident_routing_gap"
    items = [i for g in needs_me_for(headteacher) for i in g.items]
    assert (
        "1 report came to you because nobody holds the role they are meant for",
        "alert",
    ) in [(i.sentence, i.tone) for i in items]
    page = client_as(headteacher).get(f"/incidents/{incident.pk}/").content.decode()
    assert "Nobody could receive this as “DSL team”" in page


def test_routing_again_once_a_dsl_is_appointed_moves_it_and_clears_the_alert(
    school, headteacher, staff
):
    incident = report(school, staff, Category.CYBERBULLYING)
    dsl = person_in(school, Role.DSL)
    response = client_as(headteacher).post(f"/incidents/{incident.pk}/reroute/")
    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.fallback_role == "" and incident.route == Route.DSL
    assert incident not in incident_handling_visible_to(headteacher)
    assert incident in incident_handling_visible_to(dsl)
    assert Notification.objects.filter(recipient=dsl, kind="incident_routed").exists()
    assert not Notification.objects.filter(recipient=headteacher).exists()


def test_routing_again_refuses_a_get(school, headteacher, staff):
    incident = report(school, staff, Category.CYBERBULLYING)
    assert client_as(headteacher).get(f"/incidents/{incident.pk}/reroute/").status_code == 405


def test_a_concern_about_the_headteacher_with_no_chair_falls_back_past_the_headteacher(
    school, headteacher, safeguarding_governor, staff
):
    incident = concern_about(school, staff, headteacher)
    assert incident.route == Route.CASE_MANAGER_CHAIR
    assert incident.fallback_role == Role.SAFEGUARDING_GOVERNOR
    assert incident not in incident_handling_visible_to(headteacher)
    assert incident in incident_handling_visible_to(safeguarding_governor)


def test_an_empty_group_with_the_headteacher_a_subject_falls_back_to_the_chair(
    school, headteacher, chair, staff
):
    """No DSL: a cyberbullying report naming the head as alleged perpetrator goes to the chair."""
    incident = report(
        school,
        staff,
        Category.CYBERBULLYING,
        people=[subject(headteacher, "alleged_perpetrator")],
    )
    assert incident.route == Route.CASE_MANAGER_CHAIR and incident.fallback_role == ""
    assert incident in incident_handling_visible_to(chair)


def test_nothing_is_routed_to_nobody(school, staff):
    """A school with nobody in any leading role: kept for the headteacher's role, as a gap."""
    decision = routing.decide(
        school=school, category=Category.CYBERBULLYING, pupil_involved=False, subject_ids=set()
    )
    assert decision.fallback_role == Role.HEADTEACHER and decision.is_gap
    head = person_in(school, Role.HEADTEACHER)
    incident = report(school, staff, Category.CYBERBULLYING)
    assert incident in incident_handling_visible_to(head)


def test_a_leaver_listener_reroutes_what_was_routed_to_the_role_they_lost(
    school, headteacher, dsl, staff
):
    from socialgov.people import services as people_services

    incident = report(school, staff, Category.CYBERBULLYING)
    people_services.membership_update(
        membership=dsl.memberships.get(),
        actor=headteacher,
        roles=[Role.STAFF],
        staff_group="teacher",
        job_title="",
    )
    incident.refresh_from_db()
    assert incident.fallback_role == Role.HEADTEACHER
    assert not Notification.objects.filter(recipient=dsl, about_id=incident.pk).exists()
    assert Notification.objects.filter(recipient=headteacher, kind="incident_routing_gap").exists()
