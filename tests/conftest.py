"""Shared fixtures: named people in two schools, reused by every test (STYLE: Tests).

School A ("school", in "trust") has a headteacher, deputy headteacher, DSL and deputy DSL, SLT,
office, DPO, staff (and a "colleague", a second plain member of staff), governor, chair,
safeguarding governor, clerk, network manager and marketing officer. "sister_school" is a second
school of the same trust ("sister_head" its headteacher); "trust_executive" holds a trust
membership only. The "outsider" is the headteacher of school B ("other_school", no trust) and must
never see school A's things.
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


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """On PostgreSQL the test database does not wait for each commit to reach the disk
    (synchronous_commit=off, for this test run's connections only): a crash could lose the last
    commits of a database that is thrown away anyway, and each test's commits and flushes stop
    waiting for fsync. Production's connections are not touched."""
    from django.conf import settings

    for alias in settings.DATABASES:
        database = settings.DATABASES[alias]
        if database["ENGINE"] == "django.db.backends.postgresql":
            options = database.setdefault("OPTIONS", {})
            options["options"] = f"{options.get('options', '')} -c synchronous_commit=off".strip()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's test databases, and at the end, before they are dropped, on PostgreSQL:
    any connection still open to them ended. A thread of a test (a live server's, a real Celery
    worker's) can leave its own connection open, which no test can close from its own thread;
    then the drop failed ("being accessed by other users") and left the database behind."""
    yield
    from django.db import connections

    with django_db_blocker.unblock():
        for connection in connections.all():
            if connection.vendor != "postgresql":
                continue
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )


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


@pytest.fixture
def redis_url():
    """REDIS_URL for a test that runs a real Celery worker, skipped (failed under
    SOCIALGOV_STRICT=1) without it. Such tests are marked `real_celery_worker` (below): with
    pytest-xdist they all run in one test process, one after another, so no worker takes a task
    queued by another process's test."""
    url = os.environ.get("REDIS_URL")
    if not url:
        pytest.skip("the real-worker test needs REDIS_URL (a Redis server); CI sets it")
    return url


def pytest_collection_modifyitems(items):
    for item in items:
        if "redis_url" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.xdist_group("real_celery_worker"))


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
def deputy_head(school):
    return person_in(
        school, Role.DEPUTY_HEADTEACHER, full_name="Dora Deputy", email="deputy@willow.test"
    )


@pytest.fixture
def deputy_dsl(school):
    return person_in(school, Role.DEPUTY_DSL, full_name="Dani Deputy-DSL", email="ddsl@willow.test")


@pytest.fixture
def slt(school):
    return person_in(school, Role.SLT, full_name="Stella Senior", email="slt@willow.test")


@pytest.fixture
def dpo(school):
    return person_in(
        school,
        Role.DPO,
        full_name="Priya Protection",
        email="dpo@willow.test",
        group=StaffGroup.SUPPORT,
    )


@pytest.fixture
def clerk(school):
    return person_in(
        school,
        Role.CLERK,
        full_name="Clara Clerk",
        email="clerk@willow.test",
        group=StaffGroup.GOVERNOR,
    )


@pytest.fixture
def marketing_officer(school):
    return person_in(
        school,
        Role.MARKETING_OFFICER,
        full_name="Max Marketing",
        email="marketing@willow.test",
        group=StaffGroup.SUPPORT,
    )


@pytest.fixture
def safeguarding_governor(school):
    return person_in(
        school,
        Role.SAFEGUARDING_GOVERNOR,
        full_name="Sian Safeguarding",
        email="sgov@willow.test",
        group=StaffGroup.GOVERNOR,
    )


@pytest.fixture
def colleague(school):
    """A second plain member of staff of school A: the kind of outsider who is in the school but
    holds no role for what is being tested (and is not the person involved)."""
    return person_in(school, Role.STAFF, full_name="Colin Colleague", email="colleague@willow.test")


@pytest.fixture
def sister_school(trust):
    """A second school of the same trust as school A."""
    return SchoolFactory(trust=trust, name="Elm Grove Academy")


@pytest.fixture
def sister_head(sister_school):
    return person_in(
        sister_school, Role.HEADTEACHER, full_name="Sally Sister", email="head@elmgrove.test"
    )


@pytest.fixture
def trust_executive(trust):
    """A trust executive of school A's trust, with no membership of any school."""
    from tests.factories import TrustMembershipFactory, UserFactory

    user = UserFactory(full_name="Terry Trust", email="exec@fenland.test")
    TrustMembershipFactory(user=user, trust=trust, role="trust_executive")
    return user


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
