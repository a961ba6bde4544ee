"""seed_demo prints an authenticator secret for each privileged demo person, and none for staff."""

import re
from base64 import b32decode
from io import StringIO

from django.core.management import call_command
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from socialgov.people.models import User
from socialgov.twofactor import services


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def secret_after(output: str, email: str) -> str | None:
    lines = output.splitlines()
    index = next(i for i, line in enumerate(lines) if line.strip().startswith(email))
    following = lines[index + 1] if index + 1 < len(lines) else ""
    match = re.search(r"two-factor secret ([A-Z2-7]+)\s+(otpauth://\S+)", following)
    return match.group(1) if match else None


def test_headteacher_gets_a_working_secret_and_staff_none(db):
    output = seed()
    secret = secret_after(output, "head@oakfield.example.org.uk")
    assert secret
    assert f"otpauth://totp/SocialGov%3Ahead%40oakfield.example.org.uk?secret={secret}" in output
    assert secret_after(output, "teacher@oakfield.example.org.uk") is None
    assert secret_after(output, "governor@oakfield.example.org.uk") is None
    assert secret_after(output, "ceo@riverside-trust.example.org.uk")

    head = User.objects.get(email="head@oakfield.example.org.uk")
    code = f"{totp(b32decode(secret)):06d}"
    assert services.code_verify(user=head, code=code).user_id == head.pk
    assert not TOTPDevice.objects.filter(user__email="teacher@oakfield.example.org.uk").exists()


def test_seeding_twice_keeps_one_authenticator_with_the_same_secret(db):
    first = secret_after(seed(), "dsl@oakfield.example.org.uk")
    second = secret_after(seed(), "dsl@oakfield.example.org.uk")
    assert first == second
    assert TOTPDevice.objects.filter(user__email="dsl@oakfield.example.org.uk").count() == 1
