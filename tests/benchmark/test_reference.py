"""The benchmark's two reference pages exist only under its own settings."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import modify_settings, override_settings
from django.urls import NoReverseMatch, reverse

from socialgov.people.roles import Role
from tests.factories import MembershipFactory, SchoolFactory

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def test_under_normal_settings_no_benchmark_url_exists(client_for, headteacher, admin_client):
    with pytest.raises(NoReverseMatch):
        reverse("benchmark_reference")
    assert client_for(headteacher).get("/benchmark/reference/").status_code == 404
    assert admin_client.get("/benchmark/admin/people/membership/").status_code == 404


def test_under_production_settings_no_benchmark_url_or_app_exists(tmp_path):
    probe = (
        "import django, json; django.setup(); from django.conf import settings; "
        "from django.urls import Resolver404, resolve\n"
        "def found(path):\n"
        "    try:\n        resolve(path)\n        return True\n"
        "    except Resolver404:\n        return False\n"
        "print(json.dumps({'apps': 'socialgov.benchmark' in settings.INSTALLED_APPS, "
        "'urls': [found(p) for p in ('/benchmark/reference/', '/benchmark/admin/')]}))"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "socialgov.settings",
        "DJANGO_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "school.example.org",
        "SITE_URL": "https://school.example.org",
        "SOCIALGOV_EMBEDDED": "1",
        "SQLITE_PATH": str(tmp_path / "probe.sqlite3"),
    }
    env.pop("DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=BASE_DIR, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) == {
        "apps": False,
        "urls": [False, False],
    }


BENCHMARK = (
    modify_settings(INSTALLED_APPS={"append": "socialgov.benchmark"}),
    override_settings(ROOT_URLCONF="socialgov.benchmark.urls"),
)


def benchmark_settings(test):
    for decorator in BENCHMARK:
        test = decorator(test)
    return test


@benchmark_settings
def test_under_benchmark_settings_the_bare_page_shows_100_people_of_the_school(
    client_for, school, headteacher
):
    for _ in range(105):
        MembershipFactory(school=school, roles=[Role.STAFF])
    MembershipFactory(school=SchoolFactory(), roles=[Role.STAFF])
    response = client_for(headteacher).get(reverse("benchmark_reference"))
    assert response.status_code == 200
    rows = response.context["memberships"]
    assert len(rows) == 100 and {m.school_id for m in rows} == {school.pk}
    assert b"<tr><td>" in response.content and b'class="navbar' in response.content


@benchmark_settings
def test_under_benchmark_settings_the_admin_changelist_lists_the_large_schools_rows(admin_client):
    from socialgov.benchmark.registry import LARGE_SCHOOL_URN

    large = SchoolFactory(urn=LARGE_SCHOOL_URN)
    for _ in range(3):
        MembershipFactory(school=large, roles=[Role.STAFF])
    MembershipFactory(school=SchoolFactory(), roles=[Role.STAFF])
    response = admin_client.get(reverse("benchmark_admin:people_membership_changelist"))
    assert response.status_code == 200
    assert response.context["cl"].result_count == 3


@benchmark_settings
def test_the_bare_page_needs_signing_in(client, db):
    assert client.get(reverse("benchmark_reference")).status_code == 302
