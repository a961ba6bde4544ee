"""The incidents gateway's view for other apps' pages (incident_links_for, incident_for_link):
the reference and link only to someone who may open the incident; to anyone else only that one
was raised."""

import pytest
from django.urls import reverse

from incidents.reports.access import IncidentLink, incident_for_link, incident_links_for
from incidents.reports.models import Category
from tests.incidents.helpers import concern_about, report

pytestmark = pytest.mark.django_db


def test_a_handler_gets_the_reference_and_the_link(school, headteacher, slt):
    incident = report(school, slt, Category.ACCOUNT_COMMENT)
    links = incident_links_for(headteacher, [incident.pk, None])
    assert links == {
        incident.pk: IncidentLink(
            incident.reference, reverse("incident_detail", args=[incident.pk])
        )
    }
    assert links[incident.pk].visible


def test_someone_who_may_not_open_it_learns_only_that_one_was_raised(
    school, headteacher, deputy_head, staff
):
    incident = report(school, headteacher, Category.ACCOUNT_COMMENT)
    for person in (deputy_head, staff):
        link = incident_links_for(person, [incident.pk])[incident.pk]
        assert link == IncidentLink() and not link.visible
        assert incident.reference not in (link.reference, link.url)


def test_a_subject_of_the_incident_learns_only_that_one_was_raised(school, headteacher, slt):
    incident = concern_about(school, slt, headteacher)
    assert not incident_links_for(headteacher, [incident.pk])[incident.pk].visible


def test_another_school_learns_nothing_more(school, other_school, headteacher):
    from tests.factories import person_in

    incident = report(school, headteacher, Category.ACCOUNT_COMMENT)
    other_head = person_in(other_school, "headteacher")
    assert not incident_links_for(other_head, [incident.pk])[incident.pk].visible


def test_a_link_by_reference_needs_an_incident_the_person_may_open(
    school, other_school, headteacher, deputy_head
):
    incident = report(school, headteacher, Category.ACCOUNT_COMMENT)
    assert incident_for_link(headteacher, school, incident.reference.lower()) == incident.pk
    assert incident_for_link(deputy_head, school, incident.reference) is None
    assert incident_for_link(headteacher, other_school, incident.reference) is None
    assert incident_for_link(headteacher, school, "INC-1999-0001") is None
