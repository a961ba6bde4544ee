"""The demo and the logs (issue 9.10): the demo runs with DEBUG off and SITE_URL on its port, so
people see the product's own pages and links in e-mails work; static files are still served; a
refused page is logged as one line; no kombu "No hostname" warning; the logins come last."""

import io
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from socialgov.log_filters import RefusalsInOneLine

REPO = Path(__file__).resolve().parent.parent


def run_python(code: str, **environment: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DEBUG", "DJANGO_ENV"}}
    env.update({"DJANGO_SETTINGS_MODULE": "socialgov.settings", **environment})
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_queueing_a_task_in_the_embedded_default_prints_no_kombu_warning():
    result = run_python(
        "from socialgov.celery import app; print(app.connection_for_write().as_uri())",
    )
    assert result.returncode == 0, result.stderr
    assert "No hostname" not in result.stderr + result.stdout


def test_the_demos_settings_take_debug_off_and_site_url_from_the_environment():
    result = run_python(
        "from django.conf import settings; print(settings.DEBUG, settings.SITE_URL, "
        "settings.WHITENOISE_USE_FINDERS)",
        DEBUG="false",
        SITE_URL="http://127.0.0.1:8791",
    )
    assert result.stdout.split() == ["False", "http://127.0.0.1:8791", "True"], result.stderr


def test_the_demo_script_sets_site_url_from_port_and_debug_off():
    script = (REPO / "scripts" / "demo").read_text()
    assert 'export SITE_URL="${SITE_URL:-http://127.0.0.1:${PORT}}"' in script
    assert 'export DEBUG="${DEBUG:-false}"' in script
    assert "--logins-file" in script
    # The logins are printed after the server answers, the last thing before waiting on it.
    assert script.index('cat "$logins"') > script.index("runserver")


@pytest.mark.django_db
def test_with_debug_off_static_files_are_still_served(settings):
    settings.DEBUG = False
    response = Client().get("/static/css/socialgov.css")
    assert response.status_code == 200


@pytest.mark.django_db
def test_with_debug_off_a_missing_page_is_the_products_own(settings, client_for, staff):
    settings.DEBUG = False
    response = client_for(staff).get("/policies/999999/")
    assert response.status_code == 404
    assert "<!doctype html>" in response.content.decode().lower()  # the site's page, not Django's
    assert "Page not found at /policies/" not in response.content.decode()


def _record(status_code, exc_info):
    record = logging.LogRecord(
        "django.request", logging.WARNING, __file__, 1, "Forbidden: %s", ("/x/",), exc_info
    )
    record.status_code = status_code
    return record


def _exc_info():
    try:
        raise PermissionError("refused")
    except PermissionError:
        return sys.exc_info()


def test_a_refusal_is_logged_without_its_traceback():
    record = _record(403, _exc_info())
    assert RefusalsInOneLine().filter(record)
    assert record.exc_info is None
    assert logging.Formatter().format(record) == "Forbidden: /x/"


def test_an_error_keeps_its_traceback():
    record = _record(500, _exc_info())
    RefusalsInOneLine().filter(record)
    assert record.exc_info is not None
    assert "Traceback" in logging.Formatter().format(record)


@pytest.mark.django_db
def test_a_refused_page_is_one_line_in_the_log(client_for, staff):
    """Through the handlers settings.LOGGING configured: the root's console, and Django's own
    loggers (which must not print their records a second time)."""
    consoles = [
        handler
        for logger in (logging.getLogger(), logging.getLogger("django"))
        for handler in logger.handlers
        if type(handler) is logging.StreamHandler
    ]
    assert len(consoles) == 1  # the root's; Django's own console handler is not configured
    stream = io.StringIO()
    previous = consoles[0].setStream(stream)
    try:
        response = client_for(staff).get("/people/")
    finally:
        consoles[0].setStream(previous)
    assert response.status_code == 403
    err = stream.getvalue()
    assert [line for line in err.splitlines() if "Forbidden" in line] == [
        "Forbidden (Permission denied): /people/"
    ], err
    assert "Traceback" not in err


@pytest.mark.django_db
def test_seed_demo_writes_the_logins_to_a_file_for_the_demo_to_print_last(tmp_path):
    logins = tmp_path / "logins.txt"
    out = io.StringIO()
    call_command("seed_demo", logins_file=str(logins), stdout=out)
    text = logins.read_text()
    assert "head@oakfield.example.org.uk" in text and "password" in text
    assert "head@oakfield.example.org.uk" not in out.getvalue()
    assert "Demo data is ready." in out.getvalue()
