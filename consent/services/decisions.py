"""Recording consent decisions: one at a time, as a correction, or a class's forms at once.

Every write locks the pupil rows it touches (`select_for_update`), appends the decisions,
recomputes the stored state in the same transaction and tells the withdrawal listeners when a
pupil became blocked on a day they were allowed before. Nothing is ever edited or deleted.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.urls import reverse
from simple_history.utils import bulk_create_with_history

from consent import access as consent_access
from consent.listeners import Cause, ConsentWithdrawal, withdrawal_listeners_call
from consent.models import (
    CONSENT_OUTCOMES,
    PUBLIC_TASK_OUTCOMES,
    CompetenceAssessment,
    ConsentDecision,
    GivenBy,
    Outcome,
    ParentCarer,
    Pupil,
    Purpose,
    Relationship,
)
from consent.services.states import StateChange, consent_states_recompute
from socialgov.dates import today
from socialgov.notifications.services import notification_send
from socialgov.people.models import Membership
from socialgov.uploads.services import stored_file_create

EVIDENCE_KINDS = frozenset({"pdf", "png", "jpeg"})
COMPETENCE_NEEDED_KIND = "consent_competence_needed"


@dataclass
class DecisionEntry:
    """One decision to record (a form's cleaned values), before it is checked."""

    pupil: Pupil
    purpose: Purpose
    outcome: str
    given_by: str
    method: str
    received_on: dt.date
    carer: ParentCarer | None = None
    carer_name: str = ""
    relationship: str = ""
    effective_on: dt.date | None = None
    expires_on: dt.date | None = None
    evidence: UploadedFile | None = None  # an upload (checked by socialgov.uploads)
    note: str = ""
    corrects: ConsentDecision | None = None
    errors: dict[str, list[str]] = field(default_factory=dict)


def _require_writer(actor, school) -> None:
    if not consent_access.can_write_register(actor, school):
        raise PermissionDenied("Only the office and the DPO record consent decisions.")


def _normal_name(name: str) -> str:
    return " ".join((name or "").split())


def _check(entry: DecisionEntry, *, on: dt.date) -> dict[str, list[str]]:
    """What is wrong with an entry, by field (empty: it may be recorded). No writes."""
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    pupil, purpose = entry.pupil, entry.purpose
    if purpose.school_id != pupil.school_id:
        add("purpose", "Choose one of the school's purposes.")
    if entry.corrects is None:
        allowed: tuple[str, ...] = (
            CONSENT_OUTCOMES if purpose.needs_consent else PUBLIC_TASK_OUTCOMES
        )
        if entry.outcome not in allowed:
            labels = ", ".join(str(Outcome(o).label).lower() for o in allowed)
            add("outcome", f"For “{purpose.name}” record one of: {labels}.")
    else:
        corrected = entry.corrects
        if corrected.pupil_id != pupil.pk or corrected.purpose_id != purpose.pk:
            add("corrects", "A correction is for the same pupil and purpose.")
        allowed = (
            (*CONSENT_OUTCOMES, Outcome.VOID)
            if purpose.needs_consent
            else (*PUBLIC_TASK_OUTCOMES, Outcome.VOID)
        )
        if entry.outcome not in allowed:
            add("outcome", "Choose what the decision should have said.")
    if entry.outcome not in Outcome.values:
        add("outcome", "Choose a decision.")
    if entry.given_by == GivenBy.PUPIL:
        age = pupil.age_on(entry.received_on) if entry.received_on else None
        limit = pupil.school.pupil_competence_age
        if age is not None and age < limit:
            add(
                "given_by",
                f"{pupil.display_name} was {age} then. The school records a pupil's own decision "
                f"from age {limit}: record the decision of a person with parental responsibility.",
            )
    elif entry.given_by == GivenBy.PARENT_CARER:
        if entry.carer is not None:
            if entry.carer.pupil_id != pupil.pk:
                add("carer", "Choose one of this pupil's parents or carers.")
        else:
            if not _normal_name(entry.carer_name):
                add("carer_name", "Enter the name of the person with parental responsibility.")
            if entry.relationship not in Relationship.values:
                add("relationship", "Choose their relationship to the pupil.")
    else:
        add("given_by", "Say who gave the decision.")
    if entry.received_on is None:
        add("received_on", "Enter the date it was received, like 01/09/2026.")
    elif entry.received_on > on:
        add("received_on", "The date received cannot be in the future.")
    effective = entry.effective_on or entry.received_on
    if effective and entry.received_on and effective < entry.received_on:
        add("effective_on", "A decision cannot count from before the school received it.")
    if entry.expires_on is not None:
        if entry.outcome != Outcome.GRANTED:
            add("expires_on", "Only a yes has an expiry date.")
        elif effective and entry.expires_on <= effective:
            add("expires_on", "The expiry date must be after the date it counts from.")
    return errors


def _carer_for(entry: DecisionEntry, actor, carers: dict[str, ParentCarer]) -> ParentCarer | None:
    if entry.given_by != GivenBy.PARENT_CARER:
        return None
    if entry.carer is not None:
        return entry.carer
    name = _normal_name(entry.carer_name)
    carer = carers.get(name.lower())
    if carer is None:
        carer = ParentCarer(
            school_id=entry.pupil.school_id,
            pupil=entry.pupil,
            full_name=name,
            relationship=entry.relationship,
        )
        carer._history_user = actor
        carer.full_clean(validate_constraints=False)
        carer.save()
        carers[name.lower()] = carer
    return carer


def _build(entry: DecisionEntry, *, actor, carers, submission_key) -> ConsentDecision:
    evidence = None
    if entry.evidence is not None:
        evidence = stored_file_create(
            school=entry.pupil.school,
            uploaded_by=actor,
            upload=entry.evidence,
            allowed=EVIDENCE_KINDS,
        )
    decision = ConsentDecision(
        school_id=entry.pupil.school_id,
        pupil=entry.pupil,
        purpose=entry.purpose,
        outcome=entry.outcome,
        given_by=entry.given_by,
        carer=_carer_for(entry, actor, carers),
        method=entry.method,
        received_on=entry.received_on,
        effective_on=entry.effective_on or entry.received_on,
        expires_on=entry.expires_on,
        evidence=evidence,
        corrects=entry.corrects,
        note=entry.note.strip(),
        recorded_by=actor,
        submission_key=submission_key,
    )
    decision._history_user = actor
    decision.full_clean(exclude=["submission_key"], validate_constraints=False)
    return decision


def _carers_of(pupil_ids) -> dict[int, dict[str, ParentCarer]]:
    carers: dict[int, dict[str, ParentCarer]] = {}
    for carer in ParentCarer.objects.filter(pupil_id__in=pupil_ids):
        carers.setdefault(carer.pupil_id, {})[carer.full_name.lower()] = carer
    return carers


def _tell_listeners(changes: list[StateChange], *, actor, fallback_on: dt.date) -> None:
    for change in changes:
        first = change.newly_blocked_from
        if first is False:
            continue
        withdrawal_listeners_call(
            ConsentWithdrawal(
                pupil=change.pupil,
                purpose=change.purpose,
                on=first or fallback_on,
                cause=Cause.DECISION,
                actor=actor,
            )
        )


def _lock_pupils(pupil_ids) -> dict[int, Pupil]:
    return {
        p.pk: p
        for p in Pupil.objects.select_for_update()
        .filter(pk__in=sorted(set(pupil_ids)))
        .select_related("school")
        .order_by("pk")
    }


def _refuse(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def consent_decision_record(
    *,
    pupil: Pupil,
    purpose: Purpose,
    actor,
    outcome: str,
    given_by: str,
    method: str,
    received_on: dt.date,
    carer: ParentCarer | None = None,
    carer_name: str = "",
    relationship: str = "",
    effective_on: dt.date | None = None,
    expires_on: dt.date | None = None,
    evidence=None,
    note: str = "",
    corrects: ConsentDecision | None = None,
    submission_key: uuid.UUID | None = None,
) -> ConsentDecision:
    """Append one decision, recompute the pupil's state for the purpose and tell the withdrawal
    listeners if the pupil became blocked. The same `submission_key` twice records it once."""
    _require_writer(actor, pupil.school)
    locked = _lock_pupils([pupil.pk])[pupil.pk]
    if submission_key is not None:
        earlier = ConsentDecision.objects.filter(
            school_id=locked.school_id, submission_key=submission_key
        ).first()
        if earlier is not None:
            return earlier
    entry = DecisionEntry(
        pupil=locked,
        purpose=purpose,
        outcome=outcome,
        given_by=given_by,
        method=method,
        received_on=received_on,
        carer=carer,
        carer_name=carer_name,
        relationship=relationship,
        effective_on=effective_on,
        expires_on=expires_on,
        evidence=evidence,
        note=note,
        corrects=corrects,
    )
    if corrects is not None and ConsentDecision.objects.filter(corrects=corrects).exists():
        _refuse({"corrects": ["This decision has already been corrected: correct the correction."]})
    _refuse(_check(entry, on=today()))
    decision = _build(
        entry,
        actor=actor,
        carers=_carers_of([locked.pk]).get(locked.pk, {}),
        submission_key=submission_key,
    )
    try:
        with transaction.atomic():
            decision.save()
    except IntegrityError:
        # The same form, sent twice at once, lost the race on `decision_submitted_once`.
        if submission_key is None:
            raise
        return ConsentDecision.objects.get(
            school_id=locked.school_id, submission_key=submission_key
        )
    changes = consent_states_recompute(pupils=[locked], purposes=[purpose], actor=actor)
    _tell_listeners(changes, actor=actor, fallback_on=decision.effective_on)
    if decision.given_by == GivenBy.PUPIL:
        _ask_for_competence_assessment(pupils=[locked], actor=actor)
    return decision


def consent_withdraw(*, pupil: Pupil, purpose: Purpose, actor, **details) -> ConsentDecision:
    """Record that consent is withdrawn (for a public-task purpose: an objection)."""
    outcome = Outcome.WITHDRAWN if purpose.needs_consent else Outcome.OBJECTED
    return consent_decision_record(
        pupil=pupil, purpose=purpose, actor=actor, outcome=outcome, **details
    )


def consent_decision_correct(
    *, decision: ConsentDecision, actor, outcome: str, note: str, **details
) -> ConsentDecision:
    """Record what a decision should have said (or that it was recorded in error, `void`):
    a new decision that replaces it. The corrected decision stays in the chronology."""
    if not (note or "").strip():
        raise ValidationError({"note": ["Say what was wrong with the decision being corrected."]})
    fields: dict[str, Any] = {
        "given_by": decision.given_by,
        "carer": decision.carer,
        "method": decision.method,
        "received_on": decision.received_on,
        "effective_on": decision.effective_on,
        "expires_on": decision.expires_on if outcome == Outcome.GRANTED else None,
    }
    fields.update(details)
    return consent_decision_record(
        pupil=decision.pupil,
        purpose=decision.purpose,
        actor=actor,
        outcome=outcome,
        note=note,
        corrects=decision,
        **fields,
    )


@transaction.atomic
def consent_decisions_record_bulk(
    *, school, actor, entries: list[DecisionEntry], submission_key: uuid.UUID | None = None
) -> list[ConsentDecision]:
    """Record a screenful of decisions (bulk entry for a class) all together or not at all.

    ValidationError when any entry is wrong: its `error_dict` is keyed "<index>-<field>" so a
    page can show each message beside its row. The same `submission_key` twice records once.
    """
    _require_writer(actor, school)
    if not entries:
        raise ValidationError("Nothing to record: fill in at least one decision.")
    locked = _lock_pupils(entry.pupil.pk for entry in entries)
    if submission_key is not None:
        earlier = list(ConsentDecision.objects.filter(school=school, submission_key=submission_key))
        if earlier:
            return earlier
    on = today()
    errors: dict[str, list[str]] = {}
    for index, entry in enumerate(entries):
        entry.pupil = locked.get(entry.pupil.pk, entry.pupil)
        if entry.pupil.school_id != school.pk:
            errors[f"{index}-pupil"] = ["This pupil is not in the school."]
            continue
        for name, messages in _check(entry, on=on).items():
            errors[f"{index}-{name}"] = messages
    _refuse(errors)
    carers = _carers_of(locked)
    decisions = []
    for index, entry in enumerate(entries):
        try:
            decisions.append(
                _build(
                    entry,
                    actor=actor,
                    carers=carers.setdefault(entry.pupil.pk, {}),
                    # One key per screen: on the first decision, so a resubmission finds it.
                    submission_key=submission_key if index == 0 else None,
                )
            )
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                errors[f"{index}-{name}"] = messages
    _refuse(errors)
    try:
        with transaction.atomic():
            decisions = bulk_create_with_history(decisions, ConsentDecision, default_user=actor)
    except IntegrityError:
        if submission_key is None:
            raise
        return list(ConsentDecision.objects.filter(school=school, submission_key=submission_key))
    purposes = {entry.purpose.pk: entry.purpose for entry in entries}
    changes = consent_states_recompute(
        pupils=list(locked), purposes=list(purposes.values()), actor=actor
    )
    _tell_listeners(changes, actor=actor, fallback_on=on)
    own = [locked[d.pupil_id] for d in decisions if d.given_by == GivenBy.PUPIL]
    if own:
        _ask_for_competence_assessment(pupils=own, actor=actor)
    return decisions


# --- Asking for a competence assessment ------------------------------------------------------


def competence_assessors(school) -> list:
    """Who is asked to assess a pupil's competence: the DSL team, and the headteacher."""
    roles = sorted(consent_access.COMPETENCE_ASKED)
    memberships = (
        Membership.objects.current()
        .filter(school=school, roles__role__in=roles, user__is_active=True)
        .select_related("user")
        .distinct()
    )
    return [membership.user for membership in memberships]


def _ask_for_competence_assessment(*, pupils: list[Pupil], actor) -> None:
    """A pupil's own decision waits for a competence assessment (unless one is recorded or the
    school presumes competence): tell the people who assess, once per recording."""
    pupil_ids = {p.pk for p in pupils}
    assessed = set(
        CompetenceAssessment.objects.filter(pupil_id__in=pupil_ids).values_list(
            "pupil_id", flat=True
        )
    )
    waiting = [p for p in pupils if p.pk not in assessed]
    if not waiting:
        return
    school = waiting[0].school
    settings = getattr(school, "consent_settings", None)
    if settings is not None and settings.presume_competence:
        return
    count = len({p.pk for p in waiting})
    for person in competence_assessors(school):
        if actor is not None and person.pk == actor.pk:
            continue
        notification_send(
            recipient=person,
            kind=COMPETENCE_NEEDED_KIND,
            url=reverse("consent_competence_waiting"),
            school=school,
            context={"count": count, "school_name": school.name},
        )


def carers_of_pupil(pupil: Pupil):
    return ParentCarer.objects.filter(pupil=pupil).order_by(Lower("full_name"))
