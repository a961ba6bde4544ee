"""The database named by DATABASE_URL is the one the tests run on."""

import os

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
