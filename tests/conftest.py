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


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Argon2 is the real hasher (tested in tests/people/test_sign_in.py); MD5 keeps the suite fast.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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
    """client_for(user) -> a test client signed in as that user."""

    def sign_in(user):
        client.force_login(user, backend="socialgov.people.backends.MembershipBackend")
        return client

    return sign_in
