"""Writes to incident reports; import from here (`from incidents.reports import services`).

- reporting.py: making a report, naming people, evidence, routing and re-routing, leavers
- handling.py: triage, handler, status changes, the chronology, ICT section, decisions
- closing.py: closing with a debrief (flags policies for review through the policies app)

There is deliberately no service that edits or deletes a report or a chronology entry.
"""

from incidents.reports.services.closing import close_problems, incident_close
from incidents.reports.services.handling import (
    TRANSITIONS,
    incident_action_record,
    incident_assign,
    incident_entry_add,
    incident_ict_record,
    incident_imagery_decide,
    incident_status_change,
    incident_threshold_decide,
    incident_triage,
)
from incidents.reports.services.reporting import (
    PersonNamed,
    clean_urls,
    incident_evidence_add,
    incident_person_add,
    incident_report,
    incident_reroute,
    incidents_reroute_after_leaving,
)

__all__ = [
    "TRANSITIONS",
    "PersonNamed",
    "clean_urls",
    "close_problems",
    "incident_action_record",
    "incident_assign",
    "incident_close",
    "incident_entry_add",
    "incident_evidence_add",
    "incident_ict_record",
    "incident_imagery_decide",
    "incident_person_add",
    "incident_report",
    "incident_reroute",
    "incident_status_change",
    "incident_threshold_decide",
    "incident_triage",
    "incidents_reroute_after_leaving",
]
