"""Writes to the consent register, split by sub-domain; import from here
(`from consent import services`):

- decisions.py: consent_decision_record, consent_withdraw, consent_decision_correct,
  consent_decisions_record_bulk
- competence.py: competence_assessment_record
- restrictions.py: photo_restriction_set, photo_restriction_lift
- pupils.py: pupil_create, pupil_update, pupil_mark_left
- purposes.py: purpose_defaults_create, purpose_create, purpose_update, consent_settings_update
- states.py: consent_states_recompute (called by the others, inside their transactions)

`consent_check` (a read) lives in consent.check and is re-exported here and in consent.selectors.
"""

from consent.check import ConsentCheck, PupilCheck, consent_check
from consent.rules import Status
from consent.services.competence import competence_assessment_record
from consent.services.decisions import (
    DecisionEntry,
    consent_decision_correct,
    consent_decision_record,
    consent_decisions_record_bulk,
    consent_withdraw,
)
from consent.services.pupils import pupil_create, pupil_mark_left, pupil_update
from consent.services.purposes import (
    DEFAULT_PURPOSES,
    consent_settings_for,
    consent_settings_update,
    purpose_create,
    purpose_defaults_create,
    purpose_update,
)
from consent.services.restrictions import photo_restriction_lift, photo_restriction_set
from consent.services.states import consent_states_recompute

__all__ = [
    "DEFAULT_PURPOSES",
    "ConsentCheck",
    "DecisionEntry",
    "PupilCheck",
    "Status",
    "competence_assessment_record",
    "consent_check",
    "consent_decision_correct",
    "consent_decision_record",
    "consent_decisions_record_bulk",
    "consent_settings_for",
    "consent_settings_update",
    "consent_states_recompute",
    "consent_withdraw",
    "photo_restriction_lift",
    "photo_restriction_set",
    "pupil_create",
    "pupil_mark_left",
    "pupil_update",
    "purpose_create",
    "purpose_defaults_create",
    "purpose_update",
]
