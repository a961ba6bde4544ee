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


def test_people_who_do_not_need_two_factor_keep_the_normal_session(client_for, staff):
    with time_machine.travel(START, tick=False) as clock:
        client = client_for(staff)
        assert client.get("/").status_code == 200
        clock.move_to(START + dt.timedelta(minutes=31))
        assert client.get("/").status_code == 200
        clock.move_to(START + dt.timedelta(hours=3))
        assert client.get("/").status_code == 200
