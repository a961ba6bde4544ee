"""Query budgets: the coverage page, the sessions list and the dashboard's training panels run
the same number of queries with N and 10×N people and attendances."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from socialgov.people.roles import Role
from socialgov.training.models import TrainingAttendance
from tests.factories import person_in
from tests.training.factories import session_in

pytestmark = pytest.mark.django_db


def _count(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _grow(school, count):
    session = session_in(school, held_on=dt.date(2026, 9, 1))
    people = [person_in(school, Role.STAFF, full_name=f"Person {n}") for n in range(count)]
    TrainingAttendance.objects.bulk_create(
        TrainingAttendance(
            session=session, school=school, person=p, kind=session.kind, held_on=session.held_on,
            source="form", recorded_by=p,
        )
        for p in people[::2]
    )  # fmt: skip


@pytest.mark.parametrize("name", ["training_coverage", "training_session_list", "dashboard"])
def test_training_pages_cost_the_same_at_n_and_10n(client_for, school, headteacher, name):
    client = client_for(headteacher)
    _grow(school, 2)
    small = _count(client, reverse(name))
    _grow(school, 18)
    assert _count(client, reverse(name)) == small
