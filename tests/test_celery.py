"""Celery: tasks run in process in the embedded default, and through a real worker with Redis."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from celery.contrib.testing.worker import start_worker
from celery.result import EagerResult
from celery.signals import task_postrun
from django.db import connections

from socialgov.celery import app
from socialgov.tasks import ping
from tests.factories import SchoolFactory

REPO = Path(__file__).resolve().parent.parent


def _celery_settings(**environment: str) -> dict:
    """The Celery settings a fresh process computes from `environment` (REDIS_URL unset first)."""
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DJANGO_ENV"}}
    env.update(environment)
    code = (
        "import json; from django.conf import settings as s; print(json.dumps({"
        "'eager': s.CELERY_TASK_ALWAYS_EAGER, 'broker': s.CELERY_BROKER_URL}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO,
        env={**env, "DJANGO_SETTINGS_MODULE": "socialgov.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_without_redis_url_tasks_run_eagerly_without_a_broker():
    assert _celery_settings() == {"eager": True, "broker": "memory://localhost/"}


def test_with_redis_url_tasks_go_to_redis():
    celery = _celery_settings(REDIS_URL="redis://127.0.0.1:6379/3")
    assert celery == {"eager": False, "broker": "redis://127.0.0.1:6379/3"}


def test_eager_task_runs_in_process_inside_the_callers_transaction(db, celery_conf):
    # The embedded default's mode, forced here so it is tested with or without REDIS_URL.
    celery_conf(task_always_eager=True, task_eager_propagates=True)
    SchoolFactory.create_batch(3)

    result = ping.delay()

    # Only code in this process, inside the test's open transaction, can see the three schools.
    assert isinstance(result, EagerResult)
    assert result.get() == 3


def _close_worker_db_connections(**kwargs):
    # The worker thread has its own database connections; left open, they would stop the test
    # database from being dropped at the end of the run.
    connections.close_all()


@pytest.mark.integration
def test_worker_runs_task_sent_through_redis(transactional_db, celery_conf, redis_url):
    # The app ignores results (no result-backend round trip when queueing); this test reads one.
    celery_conf(
        task_always_eager=False,
        broker_url=redis_url,
        result_backend=redis_url,
        task_ignore_result=False,
    )
    SchoolFactory.create_batch(2)

    task_postrun.connect(_close_worker_db_connections, weak=False)
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=20):
            result = ping.apply_async(ignore_result=False)
            assert not isinstance(result, EagerResult)
            assert result.get(timeout=20) == 2
    finally:
        task_postrun.disconnect(_close_worker_db_connections)
