"""Reads for two-factor sign-in: devices, resets, and who still has to enrol."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from socialgov.dates import today
from socialgov.people.models import Membership, School, TrustMembership, User
from socialgov.people.roles import PRIVILEGED_ROLES
from socialgov.twofactor.access import people_reset_reserved_for_superusers
from socialgov.twofactor.models import TwoFactorReset


def authenticator_of(user) -> TOTPDevice | None:
    """The person's confirmed authenticator app, if they have enrolled one."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def has_authenticator(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def backup_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def resets_of(person) -> QuerySet[TwoFactorReset]:
    """A person's own two-factor resets, newest first."""
    return TwoFactorReset.objects.filter(person=person).select_related("school", "reset_by")


def people_needing_two_factor(*, on: dt.date | None = None) -> QuerySet[User]:
    """Active people who need two-factor on `on` (the queryset form of
    `access.two_factor_required`)."""
    on = on or today()
    in_schools = (
        Membership.objects.current(on)
        .filter(Q(roles__role__in=PRIVILEGED_ROLES) | Q(school__require_two_factor_for_all=True))
        .values("user_id")
    )
    in_trusts = TrustMembership.objects.current(on).values("user_id")
    return User.objects.filter(is_active=True).filter(
        Q(is_superuser=True) | Q(pk__in=in_schools) | Q(pk__in=in_trusts)
    )


def people_yet_to_enrol(*, on: dt.date | None = None) -> QuerySet[User]:
    """People who need two-factor and have no confirmed authenticator, each with their current
    memberships (school loaded) in `current_memberships_on`."""
    on = on or today()
    enrolled = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
    return (
        people_needing_two_factor(on=on)
        .filter(~Exists(enrolled))
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.current(on)
                .select_related("school")
                .order_by("school__name"),
                to_attr="current_memberships_on",
            )
        )
        .order_by("pk")
    )


@dataclass(frozen=True)
class PersonTwoFactor:
    membership: Membership
    needs_two_factor: bool
    authenticator: TOTPDevice | None
    reset_reserved: bool  # only a superuser may reset this person's two-factor


def two_factor_status_of_school(school: School) -> list[PersonTwoFactor]:
    """Everyone currently in `school` with their two-factor state. Five queries whatever the size:
    memberships, roles, who needs it, authenticators, who only a superuser may reset."""
    memberships = list(
        Membership.objects.current()
        .filter(school=school)
        .select_related("user")
        .prefetch_related("roles")
        .order_by("user__full_name")
    )
    user_ids = [m.user_id for m in memberships]
    needing = set(people_needing_two_factor().filter(pk__in=user_ids).values_list("pk", flat=True))
    authenticators = {
        device.user_id: device
        for device in TOTPDevice.objects.filter(user_id__in=user_ids, confirmed=True).order_by(
            "-pk"
        )
    }
    reserved = set(
        people_reset_reserved_for_superusers().filter(pk__in=user_ids).values_list("pk", flat=True)
    )
    return [
        PersonTwoFactor(
            membership=m,
            needs_two_factor=m.user_id in needing,
            authenticator=authenticators.get(m.user_id),
            reset_reserved=m.user_id in reserved,
        )
        for m in memberships
    ]


def static_device_of(user) -> StaticDevice | None:
    return StaticDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def paused_until(user):
    """When the pause that wrong codes put on the person's two-factor ends (None: not paused)."""
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    ends = []
    for model in (TOTPDevice, StaticDevice):
        for device in model.objects.filter(user=user, throttling_failure_count__gt=0):
            allowed, data = device.verify_is_allowed()
            if not allowed and data and data.get("locked_until"):
                ends.append(data["locked_until"])
    return max(ends) if ends else None
