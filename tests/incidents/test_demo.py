"""The demo's incidents (incidents.reports.demo): several categories, a concern about the demo
headteacher handled by the demo chair (and invisible to the headteacher), a parent's postings
part-way up the ladder, and a closed case whose debrief flagged the social media policy."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command

from incidents.reports.access import incident_handling_visible_to, incident_visible_to
from incidents.reports.models import Incident, Route, Status
from incidents.reports.selectors import incident_page
from policies.models import Policy
from socialgov.people.models import User


def _user(local, domain="oakfield.example.org.uk"):
    return User.objects.get(email=f"{local}@{domain}")


@pytest.fixture
def demo(db, capsys):
    call_command("seed_demo")
    return capsys.readouterr().out


def test_the_demo_adds_its_incidents_once(demo, capsys):
    assert "Demo incidents added: INC-" in demo
    count = Incident.objects.count()
    assert count == 7
    assert len(set(Incident.objects.values_list("category", flat=True))) == 7
    call_command("seed_demo")
    assert "Demo incidents are already in place." in capsys.readouterr().out
    assert Incident.objects.count() == count


def test_the_demo_chair_handles_the_concern_about_the_demo_headteacher(demo):
    head, chair = _user("head"), _user("chair")
    concern = Incident.objects.get(route=Route.CASE_MANAGER_CHAIR)
    assert concern.handler == chair
    assert concern in incident_handling_visible_to(chair)
    assert concern not in incident_visible_to(head)
    about_incidents = ContentType.objects.get_for_model(Incident)
    assert not head.notifications.filter(about_type=about_incidents, about_id=concern.pk).exists()


def test_the_demo_parent_postings_case_is_part_way_up_the_ladder(demo):
    head = _user("head")
    case = Incident.objects.get(category="parent_conduct")
    page = incident_page(head, case)
    assert page.ladder_stage.label == "Written request to remove"
    assert page.ladder_next.label == "Legal advice"


def test_the_demo_closed_case_flagged_the_social_media_policy(demo):
    closed = Incident.objects.get(status=Status.CLOSED)
    assert closed.debrief.policies.get().policy.title == "Social media policy"
    policy = Policy.objects.get(title="Social media policy", school=closed.school)
    assert policy.review_requested_at is not None


def test_the_demo_headteacher_pages_never_show_the_concern(demo, client):
    from tests.incidents.helpers import client_as

    head = _user("head")
    concern = Incident.objects.get(route=Route.CASE_MANAGER_CHAIR)
    page = client_as(head).get("/incidents/", {"show": "all"}).content.decode()
    assert concern.reference not in page
    assert client_as(head).get(f"/incidents/{concern.pk}/").status_code == 404
