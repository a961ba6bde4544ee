"""A sign-in while a large staff import runs succeeds at once: the import never holds the
database's write lock (SQLite's, for the whole file) for more than a moment."""

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from tests.factories import TEST_PASSWORD

BASE_DIR = Path(__file__).resolve().parent.parent.parent


@pytest.mark.django_db(transaction=True)
def test_a_sign_in_during_an_import_of_2000_rows_succeeds_at_once(
    settings, tmp_path, school, headteacher, staff
):
    # The other process checks passwords with the real hasher.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    staff.set_password(TEST_PASSWORD)
    staff.save()
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SQLITE_PATH")}
    env["AXES_FAILURE_LIMIT"] = "100"
    if connection.vendor == "sqlite":
        # The test database lives in memory: the other process gets a file copy of it.
        path = tmp_path / "shared.sqlite3"
        connection.ensure_connection()
        with sqlite3.connect(path) as copy:
            connection.connection.backup(copy)
        env["SQLITE_PATH"] = str(path)
    else:
        db = connection.settings_dict
        env["DATABASE_URL"] = (
            f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or 'localhost'}:"
            f"{db['PORT'] or 5432}/{db['NAME']}"
        )
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "tests.people.sign_in_during_import",
            str(school.pk),
            headteacher.email,
            staff.email,
            TEST_PASSWORD,
        ],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert "error" not in result, result
    assert result["status"] == 302 and "/login" not in result["location"], result
    assert result["members"] == 2002, result
    # One transaction for the whole file held the lock 40 s and more; a chunk holds it briefly.
    assert result["sign_in_seconds"] < 5, result
