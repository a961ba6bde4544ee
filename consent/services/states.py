"""Recomputing the stored state (`ConsentState`) from decisions and competence assessments.

Called inside the transaction of every write it depends on, after that write, so the register,
the check and the history agree the moment it commits. A pupil nobody has said anything about
for a purpose has no row: the check reads the purpose's default (no decision, or allowed for a
public-task purpose).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from consent import rules
from consent.check import competence_rule
from consent.models import (
    CompetenceAssessment,
    ConsentDecision,
    ConsentState,
    GivenBy,
    Pupil,
    Purpose,
)
from consent.rules import AssessmentFact, DecisionFact, Timeline


@dataclass(frozen=True)
class StateChange:
    pupil: Pupil
    purpose: Purpose
    before: Timeline  # the timeline that applied to the pupil, before and after
    after: Timeline

    @property
    def newly_blocked_from(self):
        """The first day the pupil became blocked (see `rules.newly_blocked_from`)."""
        return rules.newly_blocked_from(self.before, self.after)


def person_key(decision: ConsentDecision) -> str:
    return rules.PUPIL if decision.given_by == GivenBy.PUPIL else f"carer:{decision.carer_id}"


def decision_fact(decision: ConsentDecision) -> DecisionFact:
    return DecisionFact(
        pk=decision.pk,
        person=person_key(decision),
        outcome=decision.outcome,
        received_on=decision.received_on,
        effective_on=decision.effective_on,
        expires_on=decision.expires_on,
        corrects_id=decision.corrects_id,
        recorded_at=decision.recorded_at,
    )


def assessment_fact(assessment: CompetenceAssessment) -> AssessmentFact:
    return AssessmentFact(
        assessed_on=assessment.assessed_on,
        competent=assessment.competent,
        recorded_at=assessment.recorded_at,
        pk=assessment.pk,
    )


def timelines_for(
    *, decisions: list[DecisionFact], assessments: list[AssessmentFact], purpose: Purpose
) -> tuple[Timeline, Timeline | None]:
    """The assessed timeline and the presumed one (None when they are the same)."""
    common: dict[str, Any] = {
        "decisions": decisions,
        "assessments": assessments,
        "consent_basis": purpose.needs_consent,
        "valid_for_years": purpose.valid_for_years,
    }
    assessed = rules.timeline_for(**common, presumed=False)
    if not any(d.person == rules.PUPIL for d in decisions):
        return assessed, None
    presumed = rules.timeline_for(**common, presumed=True)
    return assessed, (None if presumed == assessed else presumed)


_DECISION_FIELDS = (
    "pk",
    "pupil_id",
    "purpose_id",
    "given_by",
    "carer_id",
    "outcome",
    "received_on",
    "effective_on",
    "expires_on",
    "corrects_id",
    "recorded_at",
)


def consent_states_recompute(
    *, pupils: Iterable[Pupil | int], purposes: Iterable[Purpose], actor
) -> list[StateChange]:
    """Recompute the stored states of `pupils` × `purposes`; the pairs whose timeline changed.

    Call inside the caller's transaction, after its write. A constant number of queries: the
    pupils, their decisions, their assessments, the existing states, and the bulk writes.
    """
    pupil_ids = [p if isinstance(p, int) else p.pk for p in pupils]
    purposes = list(purposes)
    if not pupil_ids or not purposes:
        return []
    loaded = {p.pk: p for p in Pupil.objects.filter(pk__in=pupil_ids).select_related("school")}
    schools = {p.school_id: p.school for p in loaded.values()}
    purpose_ids = [p.pk for p in purposes]
    decisions: dict[tuple[int, int], list[DecisionFact]] = {}
    for decision in ConsentDecision.objects.filter(
        pupil_id__in=pupil_ids, purpose_id__in=purpose_ids
    ).only(*_DECISION_FIELDS):
        decisions.setdefault((decision.pupil_id, decision.purpose_id), []).append(
            decision_fact(decision)
        )
    assessments: dict[int, list[AssessmentFact]] = {}
    for assessment in CompetenceAssessment.objects.filter(pupil_id__in=pupil_ids):
        assessments.setdefault(assessment.pupil_id, []).append(assessment_fact(assessment))
    existing = {
        (state.pupil_id, state.purpose_id): state
        for state in ConsentState.objects.filter(pupil_id__in=pupil_ids, purpose_id__in=purpose_ids)
    }

    now = timezone.now()
    to_create, to_update, changes = [], [], []
    for pupil_id in pupil_ids:
        pupil = loaded[pupil_id]
        presumed_day = competence_rule(schools[pupil.school_id]).presumed_from(pupil.date_of_birth)
        for purpose in purposes:
            key = (pupil_id, purpose.pk)
            facts = decisions.get(key, [])
            state = existing.get(key)
            if not facts and state is None:
                continue  # nothing said, nothing stored: the purpose's default applies
            timeline, presumed = timelines_for(
                decisions=facts, assessments=assessments.get(pupil_id, []), purpose=purpose
            )
            default = rules.default_timeline(consent_basis=purpose.needs_consent)
            before = (
                default
                if state is None
                else rules.effective_timeline(state.timeline, state.timeline_presumed, presumed_day)
            )
            if state is None:
                state = ConsentState(school_id=pupil.school_id, pupil_id=pupil_id, purpose=purpose)
                to_create.append(state)
            elif state.timeline == timeline and state.timeline_presumed == presumed:
                continue
            else:
                to_update.append(state)
            state.set_timelines(timeline, presumed)
            state.computed_at = now
            after = rules.effective_timeline(timeline, presumed, presumed_day)
            if after != before:
                changes.append(
                    StateChange(pupil=pupil, purpose=purpose, before=before, after=after)
                )
    if to_create:
        bulk_create_with_history(to_create, ConsentState, default_user=actor)
    if to_update:
        bulk_update_with_history(
            to_update,
            ConsentState,
            ["timeline", "timeline_presumed", "settled_on", "settled_status", "computed_at"],
            default_user=actor,
        )
    return changes
