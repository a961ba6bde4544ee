"""Writes to pupils: added, changed, marked as left. Pupils are never deleted.

`actor` is the member of staff making the change, or None for `manage.py import_pupils` (run by
the people who operate the deployment).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from consent import access as consent_access
from consent.listeners import Cause
from consent.models import Pupil
from consent.services.decisions import _lock_pupils
from consent.services.restrictions import tell_listeners_for_every_purpose

PUPIL_FIELDS = (
    "legal_forename",
    "legal_surname",
    "preferred_forename",
    "preferred_surname",
    "date_of_birth",
    "year_group",
    "registration_group",
    "admission_date",
    "leaving_date",
    "upn",
    "admission_number",
)


def _require_writer(actor, school) -> None:
    if actor is not None and not consent_access.can_write_register(actor, school):
        raise PermissionDenied("Only the office and the DPO keep the pupil list.")


def normalise_pupil_fields(fields: dict) -> dict:
    text = {
        "legal_forename",
        "legal_surname",
        "preferred_forename",
        "preferred_surname",
        "registration_group",
        "admission_number",
    }
    clean = {}
    for name, value in fields.items():
        if name not in PUPIL_FIELDS:
            raise TypeError(f"not a pupil field: {name}")
        if name in text:
            value = " ".join((value or "").split())
        elif name == "upn":
            value = (value or "").strip().upper()
        clean[name] = value
    return clean


def _save(pupil: Pupil) -> None:
    """Save, turning a race lost on a unique identifier into the message the form shows."""
    try:
        with transaction.atomic():
            pupil.save()
    except IntegrityError:
        raise ValidationError(
            "Another pupil of the school has this UPN or admission number."
        ) from None


def _leaving_moved_earlier(before: dt.date | None, after: dt.date | None) -> bool:
    return after is not None and (before is None or after < before)


@transaction.atomic
def pupil_create(*, school, actor, **fields) -> Pupil:
    """Add a pupil (ValidationError by field when something is wrong or already taken)."""
    _require_writer(actor, school)
    pupil = Pupil(school=school, **normalise_pupil_fields(fields))
    pupil._history_user = actor
    pupil.full_clean()
    _save(pupil)
    return pupil


@transaction.atomic
def pupil_update(*, pupil: Pupil, actor, **fields) -> Pupil:
    """Change a pupil's details. A leaving date newly set (or moved earlier) tells the withdrawal
    listeners, for every purpose in use, from that date."""
    _require_writer(actor, pupil.school)
    locked = _lock_pupils([pupil.pk])[pupil.pk]
    before = locked.leaving_date
    changed = False
    for name, value in normalise_pupil_fields(fields).items():
        if getattr(locked, name) != value:
            setattr(locked, name, value)
            changed = True
    if not changed:
        return locked
    locked._history_user = actor
    locked.full_clean()
    _save(locked)
    if locked.leaving_date is not None and _leaving_moved_earlier(before, locked.leaving_date):
        tell_listeners_for_every_purpose(
            pupil=locked, on=locked.leaving_date, cause=Cause.LEFT, actor=actor
        )
    return locked


def pupil_mark_left(*, pupil: Pupil, actor, leaving_date: dt.date) -> Pupil:
    """Record that the pupil leaves (has left) the school from `leaving_date`."""
    return pupil_update(pupil=pupil, actor=actor, leaving_date=leaving_date)
