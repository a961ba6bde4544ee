"""Identical POSTs at the same moment make one declaration, one exception, one decision and one
confirmation, with no 500 (PostgreSQL; tests/concurrency.py)."""

import datetime as dt
import uuid

import pytest
from django.urls import reverse

from policies.declarations.models import (
    Declaration,
    DeclarationConfirmation,
    DeclarationDecision,
    PolicyException,
)
from socialgov.dates import today
from tests.concurrency import post_concurrently
from tests.policies.declarations.factories import declaration_for

pytestmark = pytest.mark.integration


def test_identical_declarations_at_once_make_one(transactional_db, client_for, school, staff):
    data = {
        "submission_key": str(uuid.uuid4()),
        "concerns": "family",
        "concerns_name": "My cousin's daughter",
        "nature": "Family, in touch on WhatsApp.",
        "since": "01/01/2018",
    }
    responses = post_concurrently(client_for(staff), reverse("declaration_create"), data, times=3)
    assert [r.status_code for r in responses] == [302, 302, 302]
    assert Declaration.objects.count() == 1


def test_two_decisions_at_once_record_one(transactional_db, client_for, school, staff, dsl):
    declaration = declaration_for(staff)
    data = {
        "decisions_seen": "0",
        "outcome": "must_end",
        "advice": "End the online contact.",
        "review_on": (today() + dt.timedelta(days=90)).strftime("%d/%m/%Y"),
    }
    url = reverse("declaration_decide", args=[declaration.pk])
    responses = post_concurrently(client_for(dsl), url, data)
    assert sorted(r.status_code for r in responses) == [200, 302]
    assert DeclarationDecision.objects.count() == 1


def test_identical_exception_requests_at_once_make_one(transactional_db, client_for, school, staff):
    data = {
        "submission_key": str(uuid.uuid4()),
        "for_kind": "visitor",
        "for_name": "Visiting author",
        "rule": "No own devices.",
        "reason": "Presentation.",
        "risk_assessment": "Supervised throughout.",
        "conditions": "No photos.",
        "starts_on": today().strftime("%d/%m/%Y"),
        "ends_on": (today() + dt.timedelta(days=2)).strftime("%d/%m/%Y"),
    }
    responses = post_concurrently(client_for(staff), reverse("exception_create"), data, times=3)
    assert [r.status_code for r in responses] == [302, 302, 302]
    assert PolicyException.objects.count() == 1


def test_two_confirmations_at_once_record_one(transactional_db, client_for, school, staff):
    responses = post_concurrently(
        client_for(staff), reverse("declaration_confirm"), {"kind": "nothing"}
    )
    assert all(r.status_code in (200, 302) for r in responses)
    assert DeclarationConfirmation.objects.count() == 1
