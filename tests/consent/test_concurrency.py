"""Every create path of the register survives identical POSTs at the same moment (PostgreSQL):
one record, and no 500."""

import pytest
from django.urls import reverse

from consent.models import CompetenceAssessment, ConsentDecision, PhotoRestriction, Pupil, Purpose
from tests.concurrency import post_concurrently
from tests.consent.factories import default_purposes, pupil_for

pytestmark = [pytest.mark.integration]


@pytest.fixture
def pupil(transactional_db, school, office):
    default_purposes(school)
    return pupil_for(school, office, date_of_birth="2012-01-01", registration_group="6R")


def test_one_decision_from_the_same_form_sent_twice(client_for, office, pupil):
    purpose = Purpose.objects.get(school=pupil.school, kind="website")
    data = {
        "purpose": purpose.pk, "outcome": "granted", "given_by": "parent_carer",
        "carer_name": "Joanna Hart", "relationship": "mother", "method": "letter",
        "received_on": "01/09/2025", "submission_key": "9e2b1f0a-5c8d-4e4b-8a1f-2d3c4b5a6f70",
    }  # fmt: skip
    url = reverse("consent_decision_create", args=[pupil.pk])
    responses = post_concurrently(client_for(office), url, data)
    assert all(r.status_code in (200, 302) for r in responses)
    assert ConsentDecision.objects.count() == 1


def test_one_screen_of_bulk_entry_sent_twice(client_for, school, office, pupil):
    purpose = Purpose.objects.get(school=school, kind="website")
    data = {
        "method": "entrant_form", "received_on": "02/09/2025",
        "submission_key": "7f1e2d3c-4b5a-4968-8776-655443322110",
        f"p{pupil.pk}-carer_name": "Joanna Hart", f"p{pupil.pk}-relationship": "mother",
        f"p{pupil.pk}-u{purpose.pk}": "granted",
    }  # fmt: skip
    url = reverse("consent_bulk_entry") + "?group=6R"
    responses = post_concurrently(client_for(office), url, data)
    assert all(r.status_code in (200, 302) for r in responses)
    assert ConsentDecision.objects.count() == 1


def test_one_pupil_from_the_same_form_sent_twice(client_for, office, pupil):
    data = {
        "legal_forename": "Sam", "legal_surname": "Twice", "date_of_birth": "02/03/2018",
        "year_group": "2", "registration_group": "2A", "upn": "C123456789012",
    }  # fmt: skip
    responses = post_concurrently(client_for(office), reverse("consent_pupil_create"), data)
    assert all(r.status_code in (200, 302) for r in responses)
    assert Pupil.objects.filter(upn="C123456789012").count() == 1


def test_one_restriction_from_the_same_form_sent_twice(client_for, dsl, pupil):
    url = reverse("consent_restriction_set", args=[pupil.pk])
    data = {"reason": "Court order", "starts_on": "01/12/2026"}
    responses = post_concurrently(client_for(dsl), url, data)
    assert all(r.status_code in (200, 302) for r in responses)
    assert PhotoRestriction.objects.count() == 1


def test_one_assessment_from_the_same_form_sent_twice(client_for, dsl, pupil):
    url = reverse("consent_competence_create", args=[pupil.pk])
    data = {
        "competent": "yes", "assessed_by": dsl.memberships.get().pk,
        "assessed_on": "01/10/2026", "note": "Understands.",
        "submission_key": "3a4b5c6d-7e8f-4091-a2b3-c4d5e6f70812",
    }  # fmt: skip
    responses = post_concurrently(client_for(dsl), url, data)
    assert all(r.status_code in (200, 302) for r in responses)
    assert CompetenceAssessment.objects.count() == 1


def test_one_purpose_and_one_set_of_defaults(client_for, headteacher, school, transactional_db):
    client = client_for(headteacher)
    post_concurrently(client, reverse("consent_purpose_defaults"))
    assert Purpose.objects.filter(school=school).count() == 7
    data = {"name": "Yearbook", "media": "photo", "audience": "parents",
            "lawful_basis": "consent", "order": "80"}  # fmt: skip
    responses = post_concurrently(client, reverse("consent_purpose_create"), data)
    assert all(r.status_code in (200, 302) for r in responses)
    assert Purpose.objects.filter(school=school, name="Yearbook").count() == 1
