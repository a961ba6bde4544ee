"""The incidents app's models live in its two sub-domains; Django finds them through here.

- incidents.reports.models: incident reports, people involved, the chronology
- incidents.filtering.models: blocked-content requests, filtering checks and reviews
"""

from incidents.filtering.models import (  # noqa: F401, E402
    FilteringCheck,
    FilteringReview,
    FilteringRoles,
    ReviewAction,
    UnblockRequest,
)
from incidents.reports.models import (  # noqa: F401
    Debrief,
    DebriefPolicy,
    HarmThresholdDecision,
    IctAction,
    ImageryDecision,
    Incident,
    IncidentEntry,
    IncidentEvidence,
    IncidentPerson,
)
