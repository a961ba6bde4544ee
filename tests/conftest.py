"""Shared fixtures: named people in two schools, reused by every test (STYLE: Tests).

School A ("school") has a headteacher, DSL, office, staff, governor, chair, network manager; the
"outsider" is the headteacher of school B ("other_school") and must never see school A's things.
"""

import os

import pytest

from socialgov.people.roles import Role, StaffGroup
from tests.factories import TEST_PASSWORD, SchoolFactory, TrustFactory, person_in

STRICT = os.environ.get("SOCIALGOV_STRICT") == "1"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """With SOCIALGOV_STRICT=1 (CI) a skipped test is a failure: nothing may silently not run."""
    outcome = yield
    report = outcome.get_result()
    if STRICT and report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"SOCIALGOV_STRICT=1: this test may not be skipped ({reason})"


@pytest.fixture
def celery_conf():
    """celery_conf(name=value, ...) overrides the Celery app's configuration for one test."""
    from socialgov.celery import app

    saved: dict = {}

    def override(**values):
        for name in values:
            saved.setdefault(name, app.conf.get(name))
        app.conf.update(values)

    yield override
    app.conf.update(saved)


@pytest.fixture(autouse=True)
def _celery_tasks_run_in_process(celery_conf):
    """Queued tasks run in the test's process, as in the embedded default, even when REDIS_URL is
    set (CI's second run); the real-worker tests switch this off where that is the point."""
    celery_conf(task_always_eager=True, task_eager_propagates=True)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Argon2 is the real hasher (tested in tests/people/test_sign_in.py); MD5 keeps the suite fast.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def private_storage(settings, tmp_path):
    """Uploads and PDFs written by a test go to its own folder, never to var/private."""
    location = tmp_path / "private"
    settings.PRIVATE_MEDIA_ROOT = location
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            **settings.STORAGES["default"],
            "OPTIONS": {"location": str(location), "base_url": None},
        },
    }
    return location


@pytest.fixture
def password():
    return TEST_PASSWORD


@pytest.fixture
def trust(db):
    return TrustFactory(name="Fenland Schools Trust")


@pytest.fixture
def school(trust):
    return SchoolFactory(trust=trust, name="Willow Bank Primary School")


@pytest.fixture
def other_school(db):
    return SchoolFactory(name="Hilltop Academy")


@pytest.fixture
def headteacher(school):
    return person_in(school, Role.HEADTEACHER, full_name="Hannah Head", email="head@willow.test")


@pytest.fixture
def dsl(school):
    return person_in(school, Role.DSL, full_name="Dev Singh", email="dsl@willow.test")


@pytest.fixture
def office(school):
    return person_in(
        school,
        Role.OFFICE,
        full_name="Olive Office",
        email="office@willow.test",
        group=StaffGroup.SUPPORT,
    )


@pytest.fixture
def staff(school):
    return person_in(school, Role.STAFF, full_name="Sam Staff", email="staff@willow.test")


@pytest.fixture
def governor(school):
    return person_in(
        school,
        Role.GOVERNOR,
        full_name="Gwen Governor",
        email="governor@willow.test",
        group=StaffGroup.GOVERNOR,
    )


@pytest.fixture
def chair(school):
    return person_in(
        school,
        Role.CHAIR_OF_GOVERNORS,
        full_name="Charles Chair",
        email="chair@willow.test",
        group=StaffGroup.GOVERNOR,
    )


@pytest.fixture
def network_manager(school):
    return person_in(
        school,
        Role.NETWORK_MANAGER,
        full_name="Nia Network",
        email="network@willow.test",
        group=StaffGroup.SUPPORT,
    )


@pytest.fixture
def outsider(other_school):
    """Headteacher of the other school: the most powerful person who must see nothing of ours."""
    return person_in(
        other_school, Role.HEADTEACHER, full_name="Oscar Outsider", email="head@hilltop.test"
    )


@pytest.fixture
def everyone(headteacher, dsl, office, staff, governor, chair, network_manager, outsider):
    return {
        "headteacher": headteacher,
        "dsl": dsl,
        "office": office,
        "staff": staff,
        "governor": governor,
        "chair": chair,
        "network_manager": network_manager,
        "outsider": outsider,
    }


@pytest.fixture
def client_for(client):
    """client_for(user) -> a test client signed in as that user.

    For people who need two-factor the session is also verified with a confirmed authenticator,
    as if they had typed a code; client_for(user, verified=False) leaves that step to the test.
    """

    def sign_in(user, verified=True):
        return sign_in_client(client, user, verified=verified)

    return sign_in


def sign_in_client(client, user, *, verified=True):
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from socialgov.twofactor.access import two_factor_required
    from socialgov.twofactor.middleware import note_activity

    client.force_login(user, backend="socialgov.people.backends.MembershipBackend")
    # A fresh copy, so the test's own user object keeps no cached memberships.
    if verified and two_factor_required(type(user).objects.get(pk=user.pk)):
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="Test authenticator", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        note_activity(session)  # as signing in does: the idle clock starts now
        session.save()
    return client


@pytest.fixture
def admin_client(db, admin_user):
    """pytest-django's admin_client (a superuser, who needs two-factor), its session verified."""
    from django.test import Client

    return sign_in_client(Client(), admin_user)
