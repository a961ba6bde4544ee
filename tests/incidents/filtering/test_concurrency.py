"""Identical create POSTs at the same moment make one record and no 500 (PostgreSQL)."""

import datetime as dt

import pytest

from incidents.filtering.models import FilteringCheck, FilteringReview, UnblockRequest
from socialgov.dates import today
from tests.concurrency import post_concurrently

pytestmark = pytest.mark.integration


def _uk(day):
    return day.strftime("%d/%m/%Y")


def test_identical_requests_at_once_make_one_request(transactional_db, client_for, school, staff):
    data = {
        "submission_key": "7b0c4c1e-8d8e-4d87-9d27-3f7ad3f0c001",
        "url": "https://video.example.com/",
        "site_contents": "Videos.",
        "reasons": "A lesson.",
        "risks": "Adverts.",
        "control_measures": "Teacher's screen.",
        "scope": "requester",
        "end_date": _uk(today() + dt.timedelta(days=3)),
    }
    responses = post_concurrently(
        client_for(staff), "/incidents/filtering/requests/new/", data, times=3
    )
    assert [r.status_code for r in responses] == [302, 302, 302]
    assert UnblockRequest.objects.count() == 1


def test_identical_checks_at_once_make_one_check(
    transactional_db, client_for, school, network_manager
):
    data = {
        "submission_key": "7b0c4c1e-8d8e-4d87-9d27-3f7ad3f0c002",
        "checked_on": _uk(today()),
        "device": "laptop",
        "place": "classroom",
        "user_group": "pupil",
        "tested": "Test sites.",
        "result": "blocked",
    }
    responses = post_concurrently(
        client_for(network_manager), "/incidents/filtering/checks/new/", data, times=3
    )
    assert [r.status_code for r in responses] == [302, 302, 302]
    assert FilteringCheck.objects.count() == 1


def test_identical_reviews_at_once_make_one_review(
    transactional_db, client_for, school, headteacher, slt, dsl, governor
):
    data = {
        "submission_key": "7b0c4c1e-8d8e-4d87-9d27-3f7ad3f0c003",
        "held_on": _uk(today()),
        "slt_lead": slt.pk,
        "dsl": dsl.pk,
        "governor": governor.pk,
        "it_contractor": "Fen IT",
        "findings": "Fine.",
    }
    responses = post_concurrently(
        client_for(headteacher), "/incidents/filtering/reviews/new/", data, times=3
    )
    assert [r.status_code for r in responses] == [302, 302, 302]
    assert FilteringReview.objects.count() == 1


def test_two_decisions_at_once_record_one(
    transactional_db, client_for, school, staff, headteacher, deputy_head, network_manager
):
    from tests.concurrency import needs_postgresql
    from tests.incidents.filtering.helpers import request_for, reviewed

    needs_postgresql()
    unblock = reviewed(request_for(school, staff), network_manager)
    url = f"/incidents/filtering/requests/{unblock.pk}/decide/"
    data = {"outcome": "refused", "reasons": "No need.", "approved_until": ""}
    responses = post_concurrently(client_for(headteacher), url, data, times=2)
    assert sorted(r.status_code for r in responses) in ([200, 302], [302, 302])
    unblock.refresh_from_db()
    assert unblock.decided_by == headteacher and unblock.history.count() == 3
