"""GET /healthz: anonymous, JSON, 200 when the database (and Redis, when configured) answer."""

from unittest import mock

import pytest
from django.db import OperationalError, connections

HEALTHZ = "/healthz"


@pytest.fixture
def database_down(db):
    """Every new database cursor fails the way a stopped database server makes it fail."""

    def refuse(self, *args, **kwargs):
        raise OperationalError("connection to server at 127.0.0.1, port 5432 failed")

    # Undone before the db fixture's own teardown, which needs working cursors again.
    with mock.patch.object(type(connections["default"]), "cursor", refuse):
        yield


def test_anonymous_visitor_gets_ok_with_database_check(client, db, settings):
    response = client.get(HEALTHZ)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"]
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"] == "ok"
    # Redis is checked exactly when the site is configured to use it.
    assert ("redis" in body["checks"]) == bool(settings.REDIS_URL)


def test_database_failure_answers_503(client, database_down):
    response = client.get(HEALTHZ)

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["checks"]["database"] == "error"


def test_unreachable_redis_answers_503(client, db, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1

    response = client.get(HEALTHZ)

    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "ok", "redis": "error"}


def test_post_is_not_allowed(client, db):
    assert client.post(HEALTHZ).status_code == 405
