"""Concurrent identical POSTs: every create path must give one record and no 500 (STYLE).

Use from a test marked `@pytest.mark.integration` that takes `transactional_db` (the threads use
their own database connections, so the data must be committed):

    responses = post_concurrently(client_for(staff), url, data)
    assert all(r.status_code in (200, 302) for r in responses)
    assert Thing.objects.count() == 1

The race needs PostgreSQL's row locks; on SQLite (a user's machine without DATABASE_URL) the test
is skipped with that reason, and CI runs it on PostgreSQL.
"""

from __future__ import annotations

import threading
from http.cookies import SimpleCookie

import pytest
from django.db import connection, connections
from django.test import Client


def needs_postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("concurrent requests need PostgreSQL's row locks: set DATABASE_URL (CI does)")


def post_concurrently(
    client: Client, path: str, data: dict | None = None, *, times: int = 2, **extra
):
    """POST the same form `times` times at the same moment, each from a copy of `client`'s
    signed-in session; the responses, in no particular order. A 500 (an exception in the view)
    fails the test."""
    needs_postgresql()
    cookies = SimpleCookie()
    for key, morsel in client.cookies.items():
        cookies[key] = morsel.value
    barrier = threading.Barrier(times, timeout=30)
    responses: list = []
    errors: list[BaseException] = []

    def submit() -> None:
        twin = Client()
        twin.cookies = SimpleCookie(cookies)
        try:
            barrier.wait()
            responses.append(twin.post(path, data or {}, **extra))
        except BaseException as error:  # surfaced below, with the view's own traceback
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    if errors:
        raise errors[0]
    assert len(responses) == times, "a request did not finish within 60 seconds"
    server_errors = [r.status_code for r in responses if r.status_code >= 500]
    assert not server_errors, f"server errors: {server_errors}"
    return responses
