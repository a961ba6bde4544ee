"""Enrolment on first sign-in: QR code and key, a code to confirm, ten backup codes shown once."""

import re

import pytest
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from socialgov.twofactor.qr import device_secret
from tests.twofactor.helpers import authenticator_for, code_for, wrong_code_for

ENROL = reverse("twofactor_enrol")
BACKUP = reverse("twofactor_backup_codes")


def test_enrolment_page_shows_an_inline_qr_code_and_the_key(client_for, headteacher):
    client = client_for(headteacher, verified=False)
    response = client.get(ENROL)
    assert response.status_code == 200
    device = TOTPDevice.objects.get(user=headteacher)
    assert not device.confirmed
    html = response.content.decode()
    assert re.search(r'<svg [^>]*role="img"[^>]*aria-label="QR code', html)
    assert device_secret(device) in html
    # CSP: no inline script, no style attribute, no data: URL for the QR code.
    assert "style=" not in html and "data:image" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)
    assert "no-store" in response["Cache-Control"]


def test_reloading_keeps_the_same_key(client_for, headteacher):
    client = client_for(headteacher, verified=False)
    client.get(ENROL)
    client.get(ENROL)
    assert TOTPDevice.objects.filter(user=headteacher).count() == 1


def test_wrong_code_is_refused_and_nothing_is_confirmed(client_for, headteacher):
    client = client_for(headteacher, verified=False)
    client.get(ENROL)
    device = TOTPDevice.objects.get(user=headteacher)
    response = client.post(ENROL, {"code": wrong_code_for(device)})
    assert response.status_code == 200
    assert "That code is not right" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    assert not StaticToken.objects.filter(device__user=headteacher).exists()
    assert DEVICE_ID_SESSION_KEY not in client.session


@pytest.mark.parametrize("code", ["", "12345", "abcdefgh", "1234567"])
def test_malformed_codes_get_a_clear_error(client_for, headteacher, code):
    client = client_for(headteacher, verified=False)
    client.get(ENROL)
    response = client.post(ENROL, {"code": code})
    assert response.status_code == 200
    assert response.context["form"].errors["code"]
    assert not TOTPDevice.objects.get(user=headteacher).confirmed


def test_right_code_confirms_verifies_and_shows_ten_backup_codes_once(client_for, headteacher):
    client = client_for(headteacher, verified=False)
    client.get(f"{ENROL}?next=/people/")
    device = TOTPDevice.objects.get(user=headteacher)
    response = client.post(ENROL, {"code": code_for(device), "next": "/people/"})
    assert response.status_code == 302 and response["Location"] == BACKUP
    device.refresh_from_db()
    assert device.confirmed
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id

    page = client.get(BACKUP)
    tokens = set(
        StaticToken.objects.filter(device__user=headteacher).values_list("token", flat=True)
    )
    assert len(tokens) == 10
    assert all(token in page.content.decode() for token in tokens)

    done = client.post(BACKUP)
    assert done.status_code == 302 and done["Location"] == "/people/"
    again = client.get(BACKUP)
    assert again.status_code == 302 and again["Location"] == reverse("twofactor_security")
    assert not any(token in client.get(again["Location"]).content.decode() for token in tokens)


def test_a_next_to_another_site_is_ignored(client_for, headteacher):
    client = client_for(headteacher, verified=False)
    client.get(ENROL)
    device = TOTPDevice.objects.get(user=headteacher)
    client.post(ENROL, {"code": code_for(device), "next": "https://evil.example/"})
    assert client.post(BACKUP)["Location"] == reverse("dashboard")


def test_an_enrolled_person_cannot_enrol_a_second_authenticator(client_for, headteacher):
    authenticator_for(headteacher)
    verified = client_for(headteacher)
    response = verified.get(ENROL)
    assert response.status_code == 302 and response["Location"] == reverse("twofactor_security")
    assert TOTPDevice.objects.filter(user=headteacher).count() == 1


def test_unverified_enrolled_person_is_sent_to_verify_not_enrolment(client_for, headteacher):
    authenticator_for(headteacher)
    response = client_for(headteacher, verified=False).post(ENROL, {"code": "123456"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("twofactor_verify"))
    assert TOTPDevice.objects.filter(user=headteacher).count() == 1


def test_staff_who_do_not_need_it_are_not_enrolled(client_for, staff):
    response = client_for(staff).get(ENROL)
    assert response.status_code == 302 and response["Location"] == reverse("twofactor_security")
    assert not TOTPDevice.objects.filter(user=staff).exists()


def test_enrolment_needs_sign_in(client):
    response = client.get(ENROL)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


# --- Issue 7.3: a secret per enrolment attempt, bound to its session, expiring ---------------


def _two_sessions(headteacher):
    from django.test import Client

    from tests.conftest import sign_in_client

    first, second = Client(), Client()
    sign_in_client(first, headteacher, verified=False)
    sign_in_client(second, headteacher, verified=False)
    return first, second


def test_each_session_gets_its_own_secret_and_a_seen_one_never_confirms(headteacher):
    first, second = _two_sessions(headteacher)
    first.get(ENROL)
    seen = TOTPDevice.objects.get(user=headteacher)  # whoever looked first keeps a copy
    seen_key = seen.key
    second.get(ENROL)
    fresh = TOTPDevice.objects.get(user=headteacher, confirmed=False)
    assert fresh.key != seen_key
    # The copy seen in the first session is gone: a code from it confirms nothing anywhere.
    seen_code = f"{totp(seen.bin_key, step=seen.step, t0=seen.t0, digits=seen.digits):06d}"
    for client in (first, second):
        response = client.post(ENROL, {"code": seen_code})
        assert response.status_code == 200
    assert not TOTPDevice.objects.filter(user=headteacher, confirmed=True).exists()


def test_a_code_confirms_only_in_the_session_that_was_shown_the_secret(headteacher):
    first, second = _two_sessions(headteacher)
    first.get(ENROL)
    device = TOTPDevice.objects.get(user=headteacher)
    response = second.post(ENROL, {"code": code_for(device)})
    assert response.status_code == 200
    assert not TOTPDevice.objects.filter(user=headteacher, confirmed=True).exists()


def test_an_unconfirmed_secret_expires(client_for, headteacher):
    import datetime as dt

    import time_machine
    from django.utils import timezone

    client = client_for(headteacher, verified=False)
    client.get(ENROL)
    old = TOTPDevice.objects.get(user=headteacher)
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=16)):
        response = client.post(ENROL, {"code": code_for(old)})
        assert response.status_code == 200
        assert b"The set-up has expired" in response.content
        assert not TOTPDevice.objects.filter(user=headteacher, confirmed=True).exists()
        new = TOTPDevice.objects.get(user=headteacher)
        assert new.pk != old.pk and new.key != old.key  # a new QR code is shown
        assert new.key.encode() != b"" and device_secret(new).encode() in response.content
