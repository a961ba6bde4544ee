"""Writes for two-factor sign-in: enrol an authenticator, check codes, backup codes, resets.

Checking a code is itself a write: a wrong code counts towards django-otp's throttle (the wait
doubles after each wrong code: 1, 2, 4, 8 ... seconds) and a used code cannot be used again. So a
refused code is reported *after* the transaction has committed - raising inside it would roll
the failure count back and make the throttle useless.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import re
from dataclasses import dataclass
from enum import Enum

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from socialgov.notifications.services import notification_send
from socialgov.people.models import Membership, User
from socialgov.twofactor.access import reset_allowed
from socialgov.twofactor.models import TwoFactorReset

BACKUP_CODE_COUNT = 10
AUTHENTICATOR_NAME = "Authenticator app"
BACKUP_DEVICE_NAME = "Backup codes"
_AUTHENTICATOR_CODE = re.compile(r"^\d{6}$")


class Outcome(Enum):
    ACCEPTED = "accepted"
    WRONG = "wrong"
    THROTTLED = "throttled"


logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Attempt:
    outcome: Outcome
    wait_seconds: int = 0


def normalise_code(code: str) -> str:
    """Codes are typed with spaces or dashes ("123 456", "abcd-efgh"); compare without them."""
    return re.sub(r"[\s-]+", "", code or "").lower()


def is_authenticator_code(code: str) -> bool:
    return bool(_AUTHENTICATOR_CODE.match(normalise_code(code)))


def _attempt(device: Device | None, code: str) -> Attempt:
    """Try `code` on a device already locked for update (throttle first, then the code)."""
    if device is None:
        return Attempt(Outcome.WRONG)
    allowed, detail = device.verify_is_allowed()
    if not allowed:
        locked_until = (detail or {}).get("locked_until")
        wait = (locked_until - timezone.now()).total_seconds() if locked_until else 1
        return Attempt(Outcome.THROTTLED, max(1, math.ceil(wait)))
    if device.verify_token(code):
        return Attempt(Outcome.ACCEPTED)
    return Attempt(Outcome.WRONG)


def _refuse(attempt: Attempt, *, wrong: str) -> None:
    if attempt.outcome is Outcome.THROTTLED:
        seconds = attempt.wait_seconds
        raise ValidationError(
            "Too many wrong codes have been tried. For your security, wait %(wait)s and try "
            "again with a new code.",
            code="throttled",
            params={"wait": f"{seconds} second{'s' if seconds != 1 else ''}"},
        )
    if attempt.outcome is Outcome.WRONG:
        raise ValidationError(wrong, code="wrong")


WRONG_AUTHENTICATOR_CODE = (
    "That code is not right, or it has already been used. Enter the 6-digit code your "
    "authenticator app shows now."
)
WRONG_BACKUP_CODE = "That backup code is not right, or it has already been used."


def _lock_person(user) -> User:
    # Serialises enrolment, regeneration and resets of one person (double submits, two tabs).
    return User.objects.select_for_update().get(pk=user.pk)


def _backup_codes_replace(user) -> list[str]:
    """Replace the person's backup codes with new ones; the codes, to show once."""
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name=BACKUP_DEVICE_NAME, defaults={"confirmed": True}
    )
    StaticDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.token_set.all().delete()
    codes: set[str] = set()
    while len(codes) < BACKUP_CODE_COUNT:
        codes.add(StaticToken.random_token())
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    device.throttle_reset()
    return sorted(codes)


# An authenticator waiting to be confirmed works this long after its QR code was first shown.
ENROLMENT_VALID = dt.timedelta(minutes=15)


def _enrolment_waiting(user, device_id, *, now) -> QuerySet[TOTPDevice]:
    return TOTPDevice.objects.filter(
        pk=device_id or 0,
        user=user,
        confirmed=False,
        created_at__gt=now - ENROLMENT_VALID,
    )


@transaction.atomic
def enrolment_start(*, user, device_id: int | None = None) -> TOTPDevice:
    """The authenticator waiting to be confirmed in this enrolment attempt.

    `device_id` is the one this session was shown (kept in the session by the view): reloading
    the page keeps its QR code while it is valid (ENROLMENT_VALID). Any other attempt gets a new
    secret, and every other unconfirmed secret of the person is deleted, so a key seen by
    someone else - another session, an earlier look at the page - never confirms.
    """
    _lock_person(user)
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        raise ValidationError("Two-factor sign-in is already set up for you.", code="enrolled")
    now = timezone.now()
    device = _enrolment_waiting(user, device_id, now=now).first()
    if device is None:
        device = TOTPDevice(user=user, name=AUTHENTICATOR_NAME, confirmed=False)
        device.full_clean()
        device.save()
    TOTPDevice.objects.filter(user=user, confirmed=False).exclude(pk=device.pk).delete()
    return device


def enrolment_confirm(
    *, user, code: str, device_id: int | None = None
) -> tuple[TOTPDevice, list[str]]:
    """Confirm this session's waiting authenticator (`device_id`) with a code from it; returns it
    and new backup codes. Another session's secret, or one past ENROLMENT_VALID, does not confirm.

    Not one @transaction.atomic: a wrong code must stay counted (see the module docstring).
    """
    with transaction.atomic():
        _lock_person(user)
        if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            raise ValidationError("Two-factor sign-in is already set up for you.", code="enrolled")
        device = _enrolment_waiting(user, device_id, now=timezone.now()).select_for_update().first()
        if device is None:
            raise ValidationError(
                "The set-up has expired. Scan the new QR code below and enter its code.",
                code="gone",
            )
        attempt = _attempt(device, normalise_code(code))
        codes: list[str] = []
        if attempt.outcome is Outcome.ACCEPTED:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
            codes = _backup_codes_replace(user)
    _refuse(attempt, wrong=WRONG_AUTHENTICATOR_CODE)
    return device, codes


def code_verify(*, user, code: str) -> Device:
    """Check a sign-in code: 6 digits go to the authenticator, anything else is a backup code
    (each works once). Returns the device that accepted it; ValidationError otherwise."""
    code = normalise_code(code)
    by_authenticator = is_authenticator_code(code)
    model = TOTPDevice if by_authenticator else StaticDevice
    with transaction.atomic():
        device = (
            model.objects.select_for_update()
            .filter(user=user, confirmed=True)
            .order_by("pk")
            .first()
        )
        attempt = _attempt(device, code)
    _refuse(attempt, wrong=WRONG_AUTHENTICATOR_CODE if by_authenticator else WRONG_BACKUP_CODE)
    return device


def backup_codes_regenerate(*, user, code: str) -> list[str]:
    """New backup codes (the old ones stop working) after a code from the authenticator."""
    code = normalise_code(code)
    with transaction.atomic():
        _lock_person(user)
        device = (
            TOTPDevice.objects.select_for_update()
            .filter(user=user, confirmed=True)
            .order_by("pk")
            .first()
        )
        if device is None:
            raise ValidationError("Set up two-factor sign-in first.", code="not_enrolled")
        attempt = _attempt(device, code) if is_authenticator_code(code) else Attempt(Outcome.WRONG)
        codes = _backup_codes_replace(user) if attempt.outcome is Outcome.ACCEPTED else []
    _refuse(attempt, wrong=WRONG_AUTHENTICATOR_CODE)
    return codes


@transaction.atomic
def two_factor_reset(*, membership: Membership, actor, reason: str) -> TwoFactorReset:
    """Remove a person's authenticator and backup codes (lost phone) so they enrol again at their
    next sign-in; recorded, and the person is told."""
    if not reset_allowed(actor, membership):
        raise PermissionDenied
    person = _lock_person(membership.user)
    reset = TwoFactorReset(
        person=person,
        school=membership.school,
        reset_by=actor,
        reason=" ".join((reason or "").split()),
    )
    reset._history_user = actor
    reset.full_clean()
    reset.save()
    TOTPDevice.objects.filter(user=person).delete()
    StaticDevice.objects.filter(user=person).delete()
    notification_send(
        recipient=person,
        kind="twofactor_reset",
        url=reverse("twofactor_security"),
        school=membership.school,
        context={"reset_by_name": actor.full_name},
    )
    return reset


@transaction.atomic
def two_factor_throttle_clear(*, membership: Membership, actor) -> int:
    """Lift the pause that repeated wrong codes put on the person's authenticator and backup
    codes (it doubles with each wrong code, to hours): for whoever may reset their two-factor
    (twofactor.access.reset_allowed). The devices stay; the number of devices cleared."""
    if not reset_allowed(actor, membership):
        raise PermissionDenied
    person = _lock_person(membership.user)
    cleared = 0
    for model in (TOTPDevice, StaticDevice):
        cleared += model.objects.filter(user=person, throttling_failure_count__gt=0).update(
            throttling_failure_count=0, throttling_failure_timestamp=None
        )
    logger.info("Two-factor pause of user %s lifted by user %s", person.pk, actor.pk)
    return cleared
