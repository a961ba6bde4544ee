"""The database named by DATABASE_URL is the one the tests run on."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection


@pytest.mark.integration
def test_database_url_runs_the_suite_on_postgresql(db):
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url:
        pytest.skip("the PostgreSQL test needs DATABASE_URL (a PostgreSQL server); CI sets it")
    assert database_url.startswith(("postgres://", "postgresql://"))
    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_database()")
        # pytest-django made a fresh test_<name> database beside the configured one.
        assert cursor.fetchone()[0].startswith("test_")


def test_without_database_url_the_embedded_default_is_sqlite(db):
    if os.environ.get("DATABASE_URL"):
        assert connection.vendor != "sqlite"
    else:
        assert connection.vendor == "sqlite"


@pytest.mark.integration
def test_the_test_run_does_not_wait_for_commits_to_reach_the_disk(db):
    """tests/conftest.py turns synchronous_commit off for the test run's PostgreSQL connections
    only (a thrown-away database; each commit and flush then stops waiting for fsync)."""
    if connection.vendor != "postgresql":
        pytest.skip("synchronous_commit is PostgreSQL's: set DATABASE_URL (CI does)")
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        assert cursor.fetchone()[0] == "off"


def test_the_settings_themselves_leave_synchronous_commit_alone():
    """Production (and `manage.py`) connect without the test run's option."""
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import json; from django.conf import settings as s; "
            "print(json.dumps(s.DATABASES['default'].get('OPTIONS', {})))",
        ],
        cwd=Path(__file__).resolve().parent.parent,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "socialgov.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "synchronous_commit" not in result.stdout
