"""Signing in: password, then a code from the authenticator or a backup code (each works once);
wrong codes are throttled."""

import datetime as dt
from urllib.parse import urlsplit

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

from socialgov.twofactor import services
from tests.twofactor.helpers import authenticator_for, code_for, password_sign_in, wrong_code_for

VERIFY = reverse("twofactor_verify")


def enrolled_with_backup_codes(user):
    device = authenticator_for(user)
    static = StaticDevice.objects.create(user=user, name="Backup codes", confirmed=True)
    codes = [f"code{n:04d}" for n in range(3)]
    for code in codes:
        static.token_set.create(token=code)
    return device, codes


def test_password_then_code_lands_on_the_page_asked_for(client, dsl):
    device = authenticator_for(dsl)
    password_sign_in(client, dsl)
    response = client.get("/people/")
    assert response.status_code == 302
    assert response["Location"] == f"{VERIFY}?next=/people/"
    assert client.get(response["Location"]).status_code == 200
    done = client.post(VERIFY, {"code": code_for(device), "next": "/people/"})
    assert done.status_code == 302 and done["Location"] == "/people/"
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert client.get("/").status_code == 200


def test_verifying_gives_the_session_a_new_key(client, dsl):
    device = authenticator_for(dsl)
    password_sign_in(client, dsl)
    before = client.session.session_key
    client.post(VERIFY, {"code": code_for(device)})
    assert client.session.session_key != before


def test_a_code_cannot_be_used_twice(client, dsl):
    device = authenticator_for(dsl)
    with time_machine.travel(timezone.now(), tick=False):
        code = code_for(device)
        password_sign_in(client, dsl)
        assert client.post(VERIFY, {"code": code}).status_code == 302
        client.post(reverse("logout"))
        password_sign_in(client, dsl)
        response = client.post(VERIFY, {"code": code})
    assert response.status_code == 200
    assert "already been used" in response.content.decode()
    assert DEVICE_ID_SESSION_KEY not in client.session


def test_a_backup_code_works_once(client, dsl):
    _device, codes = enrolled_with_backup_codes(dsl)
    password_sign_in(client, dsl)
    first = client.post(VERIFY, {"code": codes[0].upper()})
    assert first.status_code == 302 and first["Location"] == reverse("dashboard")
    assert client.get("/").status_code == 200
    assert not StaticToken.objects.filter(token=codes[0]).exists()

    client.post(reverse("logout"))
    password_sign_in(client, dsl)
    second = client.post(VERIFY, {"code": codes[0]})
    assert second.status_code == 200
    assert "backup code is not right, or it has already been used" in second.content.decode()
    assert client.get("/").status_code == 302
    assert StaticToken.objects.filter(device__user=dsl).count() == 2


def test_signing_in_with_a_backup_code_says_how_many_are_left(client, dsl):
    _device, codes = enrolled_with_backup_codes(dsl)
    password_sign_in(client, dsl)
    response = client.post(VERIFY, {"code": codes[1]}, follow=True)
    assert "You have 2 left" in response.content.decode()


def test_repeated_wrong_codes_are_throttled_even_the_right_one(client, dsl):
    device = authenticator_for(dsl)
    password_sign_in(client, dsl)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        first = client.post(VERIFY, {"code": wrong_code_for(device)})
        assert "That code is not right" in first.content.decode()
        second = client.post(VERIFY, {"code": wrong_code_for(device)})
        assert "Too many wrong codes" in second.content.decode()
        assert "wait 1 second" in second.content.decode()
        # While throttled, even the right code is refused.
        third = client.post(VERIFY, {"code": code_for(device)})
        assert "Too many wrong codes" in third.content.decode()
    assert DEVICE_ID_SESSION_KEY not in client.session
    device.refresh_from_db()
    assert device.throttling_failure_count == 1

    with time_machine.travel(start + dt.timedelta(seconds=2), tick=False):
        assert client.post(VERIFY, {"code": wrong_code_for(device)}).status_code == 200
        throttled = client.post(VERIFY, {"code": code_for(device)})
        assert "wait 2 seconds" in throttled.content.decode()
    with time_machine.travel(start + dt.timedelta(seconds=5), tick=False):
        ok = client.post(VERIFY, {"code": code_for(device)})
    assert ok.status_code == 302
    device.refresh_from_db()
    assert device.throttling_failure_count == 0


def test_wrong_backup_codes_are_throttled_too(dsl):
    _device, codes = enrolled_with_backup_codes(dsl)
    with time_machine.travel(timezone.now(), tick=False):
        with pytest.raises(ValidationError) as wrong:
            services.code_verify(user=dsl, code="nothere1")
        assert wrong.value.code == "wrong"
        with pytest.raises(ValidationError) as throttled:
            services.code_verify(user=dsl, code=codes[0])
        assert throttled.value.code == "throttled"
    assert StaticToken.objects.filter(token=codes[0]).exists()


def test_verify_page_without_an_authenticator_goes_to_enrolment(client_for, headteacher):
    response = client_for(headteacher, verified=False).get(f"{VERIFY}?next=/people/")
    assert response.status_code == 302
    assert urlsplit(response["Location"]).path == reverse("twofactor_enrol")
    assert "next=%2Fpeople%2F" in response["Location"] or "next=/people/" in response["Location"]


def test_verify_page_needs_the_password_first(client):
    response = client.get(VERIFY)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
