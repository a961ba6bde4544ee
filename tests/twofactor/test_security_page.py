"""The person's Security page: whether two-factor is on, and new backup codes after a code."""

import datetime as dt

import time_machine
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

from tests.twofactor.helpers import authenticator_for, code_for, wrong_code_for

SECURITY = reverse("twofactor_security")


def test_enrolled_person_sees_two_factor_is_on(client_for, dsl):
    authenticator_for(dsl)
    response = client_for(dsl).get(SECURITY)
    assert response.status_code == 200
    assert "<strong>On.</strong>" in response.content.decode()


def test_staff_are_told_they_do_not_need_it(client_for, staff):
    response = client_for(staff).get(SECURITY)
    assert response.status_code == 200
    assert "Not needed for your roles" in response.content.decode()
    assert "Make new backup codes" not in response.content.decode()


def test_security_page_needs_sign_in(client):
    assert client.get(SECURITY)["Location"].startswith(reverse("login"))


def test_new_backup_codes_after_a_current_code_and_old_ones_stop_working(client_for, dsl):
    device = authenticator_for(dsl)
    old = StaticDevice.objects.create(user=dsl, name="Backup codes", confirmed=True)
    old.token_set.create(token="oldcode1")
    client = client_for(dsl)
    response = client.post(SECURITY, {"code": code_for(device)})
    assert response.status_code == 302 and response["Location"] == reverse("twofactor_backup_codes")
    tokens = list(StaticToken.objects.filter(device__user=dsl).values_list("token", flat=True))
    assert len(tokens) == 10 and "oldcode1" not in tokens
    page = client.get(response["Location"]).content.decode()
    assert all(token in page for token in tokens)
    assert client.post(reverse("twofactor_backup_codes"))["Location"] == SECURITY


def test_no_new_backup_codes_without_a_right_code(client_for, dsl):
    device = authenticator_for(dsl)
    old = StaticDevice.objects.create(user=dsl, name="Backup codes", confirmed=True)
    old.token_set.create(token="oldcode1")
    client = client_for(dsl)
    for code in (wrong_code_for(device), "oldcode1", ""):
        with time_machine.travel(timezone.now() + dt.timedelta(minutes=1), tick=False):
            response = client.post(SECURITY, {"code": code})
        assert response.status_code == 200
        assert response.context["form"].errors["code"]
    assert list(StaticToken.objects.filter(device__user=dsl).values_list("token", flat=True)) == [
        "oldcode1"
    ]
