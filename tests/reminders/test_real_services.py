"""The reminder sweep against the real services CI provides: two runs racing on PostgreSQL, and
the daily job going through Redis to a real Celery worker."""

import datetime as dt
import json
import threading
import time

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.core import mail
from django.db import connection, connections
from django_celery_beat.models import PeriodicTask

from socialgov.celery import app
from socialgov.notifications.models import Notification
from socialgov.people.roles import Role
from socialgov.reminders import services
from socialgov.reminders.models import ReminderLog
from socialgov.reminders.schedule import DAILY_REMINDERS
from socialgov.reminders.services import reminders_send_due
from tests.factories import person_in

pytestmark = pytest.mark.integration

TUESDAY = dt.date(2026, 3, 10)


def _close_worker_db_connections(**kwargs):
    # The worker thread's own database connections, left open, would stop the test database
    # from being dropped at the end of the run.
    connections.close_all()


def test_two_runs_at_once_send_each_reminder_once(
    transactional_db, scheduled, school, monkeypatch, celery_conf, mailoutbox
):
    if connection.vendor != "postgresql":
        pytest.skip("the race needs row locks: it runs on PostgreSQL (DATABASE_URL); CI sets it")
    celery_conf(task_always_eager=True, task_eager_propagates=True)
    people = [person_in(school, Role.STAFF) for _ in range(6)]
    for person in people:
        scheduled.add(TUESDAY, person, school)

    # Both runs work out what is due before either has logged anything...
    scheduled.when_asked = threading.Barrier(2, timeout=30).wait
    # ...and each send is slow, so the two runs meet on the same rows.
    real_build = services.notification_build

    def slow_build(**kwargs):
        time.sleep(0.05)
        return real_build(**kwargs)

    monkeypatch.setattr(services, "notification_build", slow_build)
    results, errors = [], []

    def sweep():
        try:
            results.append(reminders_send_due(on=TUESDAY)["reminder_test"])
        except Exception as error:  # surfaced by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert not errors
    assert sum(r.sent for r in results) == len(people)
    assert all(r.sent + r.already_sent == len(people) for r in results)
    assert ReminderLog.objects.filter(status="sent").count() == len(people)
    assert Notification.objects.count() == len(people)
    assert sorted(m.to[0] for m in mailoutbox) == sorted(p.email for p in people)


def test_the_daily_job_runs_through_a_real_worker(
    transactional_db, scheduled, school, staff, governor, celery_conf, mailoutbox, redis_url
):
    # The app ignores results (no result-backend round trip when queueing); this test reads one.
    celery_conf(
        task_always_eager=False,
        broker_url=redis_url,
        result_backend=redis_url,
        task_ignore_result=False,
    )
    scheduled.add(None, staff, school)  # due whatever today is
    scheduled.add(None, governor, school)
    entry = PeriodicTask.objects.get(name=DAILY_REMINDERS)

    task_postrun.connect(_close_worker_db_connections, weak=False)
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=20):
            result = app.send_task(
                entry.task,
                args=json.loads(entry.args),
                kwargs=json.loads(entry.kwargs),
                # Each task's ignore_result was fixed when the app was finalised, so the
                # configuration above is not enough: the request itself asks for the result.
                ignore_result=False,
            )
            counts = result.get(timeout=30)
            # The e-mails are tasks of their own, queued after the job's writes committed.
            deadline = time.monotonic() + 30
            while len(mail.outbox) < 2 and time.monotonic() < deadline:
                time.sleep(0.1)
    finally:
        task_postrun.disconnect(_close_worker_db_connections)

    assert counts["reminder_test"]["sent"] == 2
    assert ReminderLog.objects.filter(status="sent").count() == 2
    assert sorted(m.to[0] for m in mailoutbox) == sorted([staff.email, governor.email])
