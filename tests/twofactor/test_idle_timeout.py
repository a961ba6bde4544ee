"""People who need two-factor are signed out after 30 minutes without using the site."""

import datetime as dt

import time_machine
from django.urls import reverse
from django.utils import timezone

START = timezone.now().replace(microsecond=0)


def test_29_minutes_idle_is_fine_31_minutes_signs_out(client_for, headteacher):
    with time_machine.travel(START, tick=False) as clock:
        client = client_for(headteacher)
        assert client.get("/").status_code == 200
        clock.move_to(START + dt.timedelta(minutes=29))
        assert client.get("/people/").status_code == 200
        # The clock restarts with each use: another 29 minutes is still fine ...
        clock.move_to(START + dt.timedelta(minutes=58))
        assert client.get("/people/").status_code == 200
        # ... and 31 minutes without use signs the person out.
        clock.move_to(START + dt.timedelta(minutes=89))
        response = client.get("/people/")
        assert response.status_code == 302
        assert response["Location"] == f"{reverse('login')}?next=/people/"
        login_page = client.get(response["Location"])
        assert "had not been used for 30 minutes" in login_page.content.decode()
        assert "_auth_user_id" not in client.session
        again = client.get("/")
        assert again.status_code == 302 and again["Location"].startswith(reverse("login"))


def test_the_timeout_applies_before_the_code_is_entered_too(client_for, headteacher):
    with time_machine.travel(START, tick=False) as clock:
        client = client_for(headteacher, verified=False)
        assert client.get(reverse("twofactor_enrol")).status_code == 200
        clock.move_to(START + dt.timedelta(minutes=31))
        response = client.get(reverse("twofactor_enrol"))
        assert response["Location"].startswith(reverse("login"))


def test_everyone_else_is_signed_out_after_the_longer_idle_timeout(client_for, staff, settings):
    """Issue 7.9: an idle timeout for every signed-in person, not only privileged ones."""
    settings.SOCIALGOV_IDLE_TIMEOUT_OTHERS_MINUTES = 120
    with time_machine.travel(START, tick=False) as clock:
        client = client_for(staff)
        assert client.get("/").status_code == 200
        clock.move_to(START + dt.timedelta(minutes=31))  # past the privileged timeout: fine
        assert client.get("/").status_code == 200
        clock.move_to(START + dt.timedelta(minutes=31 + 121))
        response = client.get("/people/")
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
        login_page = client.get(response["Location"])
        assert "had not been used for 120 minutes" in login_page.content.decode()
        assert "_auth_user_id" not in client.session


def test_the_idle_timeouts_are_configurable(client_for, staff, headteacher, settings):
    settings.SOCIALGOV_IDLE_TIMEOUT_OTHERS_MINUTES = 10
    settings.SOCIALGOV_IDLE_TIMEOUT_MINUTES = 5
    with time_machine.travel(START, tick=False) as clock:
        plain = client_for(staff)
        assert plain.get("/").status_code == 200
        clock.move_to(START + dt.timedelta(minutes=11))
        assert plain.get("/").status_code == 302
    with time_machine.travel(START, tick=False) as clock:
        privileged = client_for(headteacher)
        assert privileged.get("/").status_code == 200
        clock.move_to(START + dt.timedelta(minutes=6))
        assert privileged.get("/").status_code == 302
