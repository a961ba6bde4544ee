"""Identical POSTs at the same moment record one session and one attendance (PostgreSQL)."""

import uuid

import pytest
from django.urls import reverse

from socialgov.training.models import TrainingAttendance, TrainingSession
from tests.concurrency import post_concurrently
from tests.training.factories import session_in

pytestmark = pytest.mark.integration


def test_identical_sessions_at_once_make_one(transactional_db, client_for, school, office):
    data = {
        "submission_key": str(uuid.uuid4()),
        "title": "Refresher",
        "kind": "refresher",
        "held_on": "02/09/2026",
        "minutes": "30",
    }
    responses = post_concurrently(
        client_for(office), reverse("training_session_create"), data, times=3
    )
    assert [r.status_code for r in responses] == [302, 302, 302]
    assert TrainingSession.objects.count() == 1


def test_the_same_attendance_at_once_is_recorded_once(
    transactional_db, client_for, school, office, staff
):
    session = session_in(school)
    url = reverse("training_session_detail", args=[session.pk])
    responses = post_concurrently(client_for(office), url, {"people": [str(staff.pk)]}, times=3)
    assert all(r.status_code in (200, 302) for r in responses)
    assert TrainingAttendance.objects.count() == 1
