"""A double submit of the report form makes one report, also when the two POSTs arrive at the
same moment (PostgreSQL; tests/concurrency.py), with no error and nothing half-written."""

import pytest

from incidents.reports.models import Incident, IncidentEntry, IncidentPerson
from socialgov.notifications.models import Notification
from tests.concurrency import post_concurrently
from tests.incidents.test_reporting import _form

pytestmark = pytest.mark.integration


def test_identical_report_posts_at_once_make_one_report(
    transactional_db, client_for, school, dsl, staff
):
    data = _form(
        **{"people-0-kind": "pupil", "people-0-role": "affected", "people-0-name": "Zara Example"}
    )
    responses = post_concurrently(client_for(staff), "/incidents/report/", data, times=3)
    assert [r.status_code for r in responses] == [302, 302, 302]
    incident = Incident.objects.get()
    assert {r["Location"] for r in responses} == {f"/incidents/{incident.pk}/"}
    assert IncidentPerson.objects.count() == 1
    assert IncidentEntry.objects.filter(kind="reported").count() == 1
    assert Notification.objects.filter(recipient=dsl).count() == 1


def test_two_different_reports_at_once_get_different_numbers(
    transactional_db, client_for, school, dsl, staff
):
    import threading

    from django.db import connections
    from django.test import Client

    from tests.concurrency import needs_postgresql
    from tests.conftest import sign_in_client

    needs_postgresql()
    barrier = threading.Barrier(3, timeout=30)
    statuses = []

    def submit():
        client = sign_in_client(Client(), staff)
        barrier.wait()
        statuses.append(client.post("/incidents/report/", _form()).status_code)
        connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert statuses == [302, 302, 302]
    assert sorted(Incident.objects.values_list("number", flat=True)) == [1, 2, 3]
