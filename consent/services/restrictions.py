"""Photo restrictions: set and lifted by the DSL team or the headteacher only."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from consent import access as consent_access
from consent.listeners import Cause, ConsentWithdrawal, withdrawal_listeners_call
from consent.models import PhotoRestriction, Pupil, Purpose
from consent.services.decisions import _lock_pupils
from socialgov.dates import today


def _require_setter(actor, school) -> None:
    if not consent_access.can_set_restriction(actor, school):
        raise PermissionDenied("Only the DSL team and the headteacher set photo restrictions.")


def tell_listeners_for_every_purpose(*, pupil: Pupil, on: dt.date, cause: str, actor) -> None:
    """A restriction or a leaver blocks the pupil for every purpose in use."""
    for purpose in Purpose.objects.filter(school_id=pupil.school_id, is_active=True):
        withdrawal_listeners_call(
            ConsentWithdrawal(pupil=pupil, purpose=purpose, on=on, cause=cause, actor=actor)
        )


@transaction.atomic
def photo_restriction_set(
    *, pupil: Pupil, actor, reason: str, starts_on: dt.date | None = None
) -> PhotoRestriction:
    """From `starts_on` (default today) the pupil may not appear for any purpose, whatever the
    consents say. One open restriction per pupil; the withdrawal listeners hear at once."""
    _require_setter(actor, pupil.school)
    locked = _lock_pupils([pupil.pk])[pupil.pk]
    starts_on = starts_on or today()
    if not (reason or "").strip():
        raise ValidationError(
            {"reason": ["Write the reason (only the DSL team and the headteacher will see it)."]}
        )
    if PhotoRestriction.objects.filter(pupil=locked, lifted_on__isnull=True).exists():
        raise ValidationError("This pupil already has a photo restriction.")
    restriction = PhotoRestriction(
        school_id=locked.school_id,
        pupil=locked,
        reason=reason.strip(),
        starts_on=starts_on,
        set_by=actor,
    )
    restriction._history_user = actor
    restriction.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            restriction.save()
    except IntegrityError:
        raise ValidationError("This pupil already has a photo restriction.") from None
    tell_listeners_for_every_purpose(
        pupil=locked, on=starts_on, cause=Cause.RESTRICTION, actor=actor
    )
    return restriction


@transaction.atomic
def photo_restriction_lift(
    *, restriction: PhotoRestriction, actor, reason: str, lifted_on: dt.date | None = None
) -> PhotoRestriction:
    """End a restriction from `lifted_on` (default today); the consents apply again from then."""
    _require_setter(actor, restriction.school)
    restriction = PhotoRestriction.objects.select_for_update().get(pk=restriction.pk)
    if restriction.lifted_on is not None:
        raise ValidationError("This restriction has already been lifted.")
    lifted_on = lifted_on or today()
    errors = {}
    if not (reason or "").strip():
        errors["lift_reason"] = ["Write why the restriction is lifted."]
    if lifted_on <= restriction.starts_on:
        errors["lifted_on"] = ["A restriction is lifted after the day it started."]
    if errors:
        raise ValidationError(errors)
    restriction.lifted_on = lifted_on
    restriction.lifted_by = actor
    restriction.lift_reason = reason.strip()
    restriction._history_user = actor
    restriction.full_clean(validate_constraints=False)
    restriction.save()
    return restriction
