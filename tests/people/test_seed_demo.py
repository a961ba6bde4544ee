import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from socialgov.people.models import Membership, School, User
from socialgov.people.roles import Role


@pytest.mark.django_db
def test_seed_demo_creates_a_person_in_every_role_and_is_idempotent(capsys):
    call_command("seed_demo")
    out = capsys.readouterr().out
    counts = (User.objects.count(), Membership.objects.count(), School.objects.count())
    call_command("seed_demo")
    assert (User.objects.count(), Membership.objects.count(), School.objects.count()) == counts
    assert School.objects.count() == 2
    held = set(Membership.objects.values_list("roles__role", flat=True))
    assert held >= set(Role.values)
    assert "head@oakfield.example.org.uk" in out and "password" in out.lower()


@pytest.mark.django_db
def test_demo_logins_work(client, capsys):
    from socialgov.people.demo import DEMO_PASSWORD

    call_command("seed_demo")
    response = client.post(
        "/accounts/login/",
        {"username": "teacher@oakfield.example.org.uk", "password": DEMO_PASSWORD},
    )
    assert response.status_code == 302


@pytest.mark.django_db
def test_seed_demo_refuses_in_production(settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="refuses to run in production"):
        call_command("seed_demo")
