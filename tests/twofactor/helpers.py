"""Shared bits for the two-factor tests: real codes computed from a device's key."""

from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import TEST_PASSWORD


def code_for(device: TOTPDevice) -> str:
    """The 6-digit code an authenticator app holding this device's key shows now."""
    device.refresh_from_db()
    value = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return f"{value:0{device.digits}d}"


def wrong_code_for(device: TOTPDevice) -> str:
    right = int(code_for(device))
    return f"{(right + 500_000) % 1_000_000:06d}"


def authenticator_for(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Phone", confirmed=True)


def password_sign_in(client, user, password: str = TEST_PASSWORD):
    response = client.post("/accounts/login/", {"username": user.email, "password": password})
    assert response.status_code == 302, "password sign-in failed"
    return response
