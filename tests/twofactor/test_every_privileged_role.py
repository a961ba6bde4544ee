"""Every privileged role needs two-factor, written out role by role (not read from the code's own
set, so narrowing PRIVILEGED_ROLES fails here), and a superuser on /admin/ is stopped too."""

from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from socialgov.people.models import User
from socialgov.people.roles import Role
from socialgov.twofactor.access import two_factor_required
from socialgov.twofactor.selectors import people_needing_two_factor
from tests.factories import UserFactory, person_in
from tests.twofactor.helpers import authenticator_for

PRIVILEGED = [
    Role.HEADTEACHER,
    Role.DEPUTY_HEADTEACHER,
    Role.DSL,
    Role.DEPUTY_DSL,
    Role.SLT,
    Role.OFFICE,
    Role.DPO,
    Role.NETWORK_MANAGER,
    Role.MARKETING_OFFICER,
    Role.CHAIR_OF_GOVERNORS,
    Role.SAFEGUARDING_GOVERNOR,
    Role.CLERK,
]
UNPRIVILEGED = [Role.STAFF, Role.GOVERNOR]


def test_every_role_is_classified_here():
    """A new role must be added to one of the two lists above (and so decided on)."""
    assert sorted(PRIVILEGED + UNPRIVILEGED) == sorted(Role)


@pytest.mark.parametrize("role", PRIVILEGED)
def test_each_privileged_role_needs_two_factor_and_is_stopped_at_the_door(client_for, school, role):
    person = person_in(school, role)
    assert two_factor_required(User.objects.get(pk=person.pk))
    assert person in people_needing_two_factor()
    response = client_for(person, verified=False).get("/")
    assert response.status_code == 302
    assert urlsplit(response["Location"]).path == reverse("twofactor_enrol")


@pytest.mark.parametrize("role", UNPRIVILEGED)
def test_the_unprivileged_roles_do_not(client_for, school, role):
    person = person_in(school, role)
    assert not two_factor_required(User.objects.get(pk=person.pk))
    assert person not in people_needing_two_factor()
    assert client_for(person, verified=False).get("/").status_code == 200


def test_a_superuser_on_admin_is_sent_to_enrol(client_for, db):
    superuser = UserFactory(is_superuser=True, is_staff=True)
    response = client_for(superuser, verified=False).get("/admin/")
    assert response.status_code == 302
    assert urlsplit(response["Location"]).path == reverse("twofactor_enrol")


def test_a_superuser_with_an_authenticator_on_admin_is_sent_to_verify(client_for, db):
    superuser = UserFactory(is_superuser=True, is_staff=True)
    authenticator_for(superuser)
    response = client_for(superuser, verified=False).get("/admin/")
    assert response.status_code == 302
    assert urlsplit(response["Location"]).path == reverse("twofactor_verify")


def test_a_verified_superuser_reaches_admin(client_for, db):
    superuser = UserFactory(is_superuser=True, is_staff=True)
    assert client_for(superuser).get("/admin/").status_code == 200
