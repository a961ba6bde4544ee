"""Production refuses to start half-configured; DEBUG is off there; the demo seed stays out of it.

Each case starts a fresh `manage.py` process, because settings are read once, at start-up.
"""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

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
    "EMAIL_HOST",
    "SITE_URL",
    "DATABASE_URL",
    "REDIS_URL",
    "SOCIALGOV_EMBEDDED",
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
        # The services production talks to (nothing connects to them for these commands).
        "EMAIL_HOST": "smtp.example.org.uk",
        "SITE_URL": "https://socialgov.example.org.uk",
        "DATABASE_URL": "postgres://socialgov@db.invalid:5432/socialgov",
        "REDIS_URL": "redis://redis.invalid:6379/0",
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


SERVICES = ["EMAIL_HOST", "SITE_URL", "DATABASE_URL", "REDIS_URL"]


@pytest.mark.parametrize("name", SERVICES)
def test_production_without_a_service_refuses_to_start_and_names_it(name):
    result = manage("check", **production(**{name: None}))

    assert result.returncode != 0
    assert f"production needs {name} (see README, Configuration)" in result.stderr
    assert "SOCIALGOV_EMBEDDED=1" in result.stderr


def test_production_names_every_missing_service_at_once():
    result = manage("check", **production(EMAIL_HOST=None, REDIS_URL=None))

    assert result.returncode != 0
    assert "production needs EMAIL_HOST, REDIS_URL (" in result.stderr


def test_an_embedded_install_starts_without_them_and_says_what_that_means(tmp_path):
    nothing = {name: None for name in SERVICES}
    result = manage(
        "check",
        **production(**nothing, SOCIALGOV_EMBEDDED="1", SQLITE_PATH=str(tmp_path / "db.sqlite3")),
    )

    assert result.returncode == 0, result.stderr
    assert "SOCIALGOV_EMBEDDED=1: a one-machine install." in result.stderr
    assert "EMAIL_HOST is not set: no mail server" in result.stderr
    assert "SITE_URL is not set: links in e-mails point to http://127.0.0.1:8000" in result.stderr
    assert "DATABASE_URL is not set: the database is the SQLite file" in result.stderr
    assert "REDIS_URL is not set: no broker" in result.stderr


def test_an_embedded_flag_does_not_mention_what_is_set():
    result = manage("check", **production(SOCIALGOV_EMBEDDED="1", REDIS_URL=None))

    assert result.returncode == 0, result.stderr
    assert "REDIS_URL is not set" in result.stderr
    assert "EMAIL_HOST is not set" not in result.stderr


def test_a_fully_configured_production_says_nothing_about_an_embedded_install():
    result = manage("check", **production())

    assert result.returncode == 0, result.stderr
    assert "one-machine install" not in result.stderr


@pytest.mark.parametrize(
    "key",
    [
        "ab" * 30,  # long enough, but two characters repeated
        "a" * 64,
        # Django's marker of a throwaway key (a fixed one: every test process collects the same id)
        "django-insecure-" + "Tn8Ufr3gijKPsrdv6-mwUP47Hq2tDQ34VwN25Ybybzht3gYSoJ0q3yem",
    ],
    ids=["two-characters-repeated", "one-character", "django-insecure"],
)
def test_production_with_a_low_entropy_secret_key_refuses_to_start(key):
    result = manage("check", **production(SECRET_KEY=key))

    assert result.returncode != 0
    assert "SECRET_KEY is not random enough" in result.stderr


def test_production_accepts_a_random_hex_key():
    result = manage("check", **production(SECRET_KEY=secrets.token_hex(32)))
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("hosts", ["*", "socialgov.example.org.uk,*"])
def test_production_refuses_allowed_hosts_with_a_star(hosts):
    result = manage("check", **production(ALLOWED_HOSTS=hosts))

    assert result.returncode != 0
    assert "ALLOWED_HOSTS must name the site's host names, not '*'" in result.stderr
