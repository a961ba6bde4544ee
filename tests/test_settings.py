"""Production refuses to start half-configured; DEBUG is off there; the demo seed stays out of it.

Each case starts a fresh `manage.py` process, because settings are read once, at start-up.
"""

import os
import secrets
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# Variables whose values in the test process must not leak into these cases: what settings.py
# reads, and what the browser tests set for Playwright (which `check --deploy` rightly refuses).
_CLEARED = {
    "DJANGO_ENV",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DEBUG",
    "SECURE_SSL_REDIRECT",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
}


def manage(*args: str, **environment: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in _CLEARED}
    env.update(environment)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def production(**overrides: str) -> dict[str, str]:
    environment = {
        "DJANGO_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "ALLOWED_HOSTS": "socialgov.example.org.uk",
    }
    environment.update(overrides)
    return {name: value for name, value in environment.items() if value is not None}


def test_production_without_secret_key_refuses_to_start():
    result = manage("check", **production(SECRET_KEY=None))

    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_with_a_short_secret_key_refuses_to_start():
    result = manage("check", **production(SECRET_KEY="too-short"))

    assert result.returncode != 0
    assert "SECRET_KEY must be a random string of at least 50 characters" in result.stderr


def test_production_without_allowed_hosts_refuses_to_start():
    result = manage("check", **production(ALLOWED_HOSTS=None))

    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set in production" in result.stderr


def test_production_with_secret_key_and_allowed_hosts_passes_the_deploy_check():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **production())

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_debug_is_off_in_production_even_when_asked_for():
    code = "from django.conf import settings; print(settings.DEBUG, settings.SESSION_COOKIE_SECURE)"
    result = manage("shell", "-c", code, **production(DEBUG="true"))

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "False True"


def test_development_debug_defaults_on_for_contrast():
    code = "from django.conf import settings; print(settings.DEBUG)"
    result = manage("shell", "-c", code)

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "True"


def test_unknown_django_env_refuses_to_start():
    result = manage("check", DJANGO_ENV="staging")

    assert result.returncode != 0
    assert "DJANGO_ENV must be 'development' or 'production'" in result.stderr


def test_seed_demo_refuses_to_run_in_production():
    result = manage("seed_demo", **production())

    assert result.returncode != 0
    assert "seed_demo refuses to run in production" in result.stderr
    assert "Demo data is ready" not in result.stdout
