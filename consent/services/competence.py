"""Recording competence assessments: whether a pupil's own decisions count."""

from __future__ import annotations

import datetime as dt
import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from consent import access as consent_access
from consent.models import CompetenceAssessment, Pupil, Purpose
from consent.services.decisions import _lock_pupils, _tell_listeners
from consent.services.states import consent_states_recompute
from socialgov.dates import today
from socialgov.people.models import Membership


@transaction.atomic
def competence_assessment_record(
    *,
    pupil: Pupil,
    actor,
    assessed_by,
    assessed_on: dt.date,
    competent: bool,
    note: str,
    submission_key: uuid.UUID | None = None,
) -> CompetenceAssessment:
    """Record an assessment and recompute the pupil's states for every purpose: from
    `assessed_on` the pupil's own decisions count (or, if not competent, stop counting). When
    that makes the pupil blocked (their own refusal now counts) the withdrawal listeners hear."""
    if not consent_access.can_record_competence(actor, pupil.school):
        raise PermissionDenied("Your role does not record competence assessments.")
    locked = _lock_pupils([pupil.pk])[pupil.pk]
    if submission_key is not None:
        earlier = CompetenceAssessment.objects.filter(
            school_id=locked.school_id, submission_key=submission_key
        ).first()
        if earlier is not None:
            return earlier
    errors: dict[str, list[str]] = {}
    if assessed_on is None:
        errors["assessed_on"] = ["Enter the date of the assessment, like 01/09/2026."]
    elif assessed_on > today():
        errors["assessed_on"] = ["The assessment date cannot be in the future."]
    if not (note or "").strip():
        errors["note"] = ["Write how the pupil showed they understand (or do not)."]
    if assessed_by is None or not (
        Membership.objects.current().filter(school_id=locked.school_id, user=assessed_by).exists()
    ):
        errors["assessed_by"] = ["Choose the member of staff who assessed the pupil."]
    if errors:
        raise ValidationError(errors)
    assessment = CompetenceAssessment(
        school_id=locked.school_id,
        pupil=locked,
        competent=competent,
        assessed_by=assessed_by,
        assessed_on=assessed_on,
        note=note.strip(),
        recorded_by=actor,
        submission_key=submission_key,
    )
    assessment._history_user = actor
    assessment.full_clean(exclude=["submission_key"], validate_constraints=False)
    try:
        with transaction.atomic():
            assessment.save()
    except IntegrityError:
        if submission_key is None:
            raise
        return CompetenceAssessment.objects.get(
            school_id=locked.school_id, submission_key=submission_key
        )
    purposes = Purpose.objects.filter(school_id=locked.school_id)
    changes = consent_states_recompute(pupils=[locked], purposes=purposes, actor=actor)
    _tell_listeners(changes, actor=actor, fallback_on=assessed_on)
    return assessment
