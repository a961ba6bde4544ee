"""Query budgets: the declarations list and the exceptions register run the same number of
queries with N and 10×N records."""

import datetime as dt
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from policies.declarations.models import Declaration, ExceptionStatus, PolicyException
from socialgov.dates import today
from tests.factories import person_in

pytestmark = pytest.mark.django_db


def _count(client, url) -> int:
    client.get(url)  # warm the session and the content types
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        assert response.status_code == 200
    return len(captured)


def _declarations(school, count):
    people = [
        person_in(school, "staff", full_name=f"Staff {uuid.uuid4().hex[:6]}") for _ in range(3)
    ]
    Declaration.objects.bulk_create(
        Declaration(
            school=school,
            declarer=people[n % 3],
            submission_key=uuid.uuid4(),
            concerns="family",
            concerns_name=f"Family {n}",
            nature="Friends online.",
            since=dt.date(2020, 1, 1),
        )
        for n in range(count)
    )


def _exceptions(school, requester, approver, count):
    PolicyException.objects.bulk_create(
        PolicyException(
            school=school,
            submission_key=uuid.uuid4(),
            for_kind="visitor",
            for_name=f"Visitor {n}",
            rule="No own devices.",
            reason="Needed.",
            risk_assessment="Low.",
            conditions="Supervised.",
            starts_on=today(),
            ends_on=today() + dt.timedelta(days=10 + n),
            requested_by=requester,
            status=ExceptionStatus.APPROVED,
            decided_by=approver,
        )
        for n in range(count)
    )


def test_the_declarations_list_costs_the_same_at_n_and_10n(client_for, school, dsl, staff):
    client = client_for(dsl)
    url = reverse("declaration_list") + "?show=all"
    _declarations(school, 3)
    small = _count(client, url)
    _declarations(school, 27)
    assert _count(client, url) == small


def test_the_exceptions_register_costs_the_same_at_n_and_10n(client_for, school, headteacher, dsl):
    client = client_for(headteacher)
    url = reverse("exception_list") + "?show=all"
    _exceptions(school, dsl, headteacher, 3)
    small = _count(client, url)
    _exceptions(school, dsl, headteacher, 27)
    assert _count(client, url) == small


def test_the_dashboard_panels_cost_the_same_at_n_and_10n(client_for, school, headteacher, dsl):
    client = client_for(headteacher)
    _declarations(school, 3)
    _exceptions(school, dsl, headteacher, 3)
    small = _count(client, reverse("dashboard"))
    _declarations(school, 27)
    _exceptions(school, dsl, headteacher, 27)
    assert _count(client, reverse("dashboard")) == small
