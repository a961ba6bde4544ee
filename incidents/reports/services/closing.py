"""Closing an incident with its debrief: lessons learnt, a governor-safe summary, and the policies
needing review — flagged in the policies app through its own service, never by writing to it."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from incidents.reports.access import is_subject
from incidents.reports.models import (
    Debrief,
    DebriefPolicy,
    EntryKind,
    ImageryDecision,
    Incident,
    Status,
)
from incidents.reports.services.common import (
    clean_text,
    entry_add,
    locked,
    names_in,
    notify,
    people_names,
    require_handler,
    save,
)
from policies import services as policy_services

CLOSABLE = frozenset({Status.TRIAGED, Status.INVESTIGATING, Status.ACTION_TAKEN})
DEFAULT_REVIEW_REASON = "Asked for after a debrief: see the lessons in the incident log."


def close_problems(incident: Incident) -> list[str]:
    """What must be recorded before the incident can be closed (empty: it can be)."""
    problems = []
    if incident.status not in CLOSABLE:
        problems.append(
            "Only a triaged incident can be closed."
            if incident.status == Status.REPORTED
            else "This incident is already closed."
        )
    if incident.is_staff_conduct and incident.harm_threshold == "undecided":
        problems.append("Record whether the harm threshold is met before closing.")
    if incident.takes_no_imagery and not ImageryDecision.objects.filter(incident=incident).exists():
        problems.append("The DSL must record the decision about viewing the imagery first.")
    return problems


@transaction.atomic
def incident_close(
    *,
    incident: Incident,
    actor,
    reason: str,
    lessons_learnt: str,
    governor_summary: str,
    policies=(),
    policy_changes: str = "",
) -> Debrief:
    """Close with a debrief. Each policy named is flagged for review in the policies app (its
    owner and headteacher are told there); the reporter is told their report is closed."""
    incident = locked(incident)
    require_handler(actor, incident)
    problems = close_problems(incident)
    if problems:
        raise ValidationError(problems)
    errors: dict[str, str] = {}
    reason, lessons_learnt = clean_text(reason), clean_text(lessons_learnt)
    governor_summary, policy_changes = clean_text(governor_summary), clean_text(policy_changes)
    if not reason:
        errors["reason"] = "Give the reason for closing it."
    if not lessons_learnt:
        errors["lessons_learnt"] = "Write the lessons learnt (or that there are none, and why)."
    if not governor_summary:
        errors["governor_summary"] = "Write a short summary for governors."
    names = people_names(incident)
    named = names_in(governor_summary, names)
    if named:
        errors["governor_summary"] = (
            f"Leave names out of the summary for governors (it mentions {', '.join(named)})."
        )
    named_in_changes = names_in(policy_changes, names)
    if named_in_changes:
        errors["policy_changes"] = (
            "The policy's owner and the headteacher read this: leave names out "
            f"(it mentions {', '.join(named_in_changes)})."
        )
    policies = list(policies)
    if any(policy.school_id != incident.school_id for policy in policies):
        errors["policies"] = "Choose policies of this school."
    if errors:
        raise ValidationError(errors)

    debrief = Debrief(
        incident=incident,
        lessons_learnt=lessons_learnt,
        governor_summary=governor_summary,
        policy_changes=policy_changes,
        recorded_by=actor,
    )
    save(debrief, actor)
    for policy in policies:
        save(DebriefPolicy(debrief=debrief, policy=policy), actor)
        # The reason is read by the policy's owner and the headteacher (who may not see this
        # incident): it never names the incident, only what should change.
        policy_services.policy_review_request(
            policy=policy, actor=actor, reason=policy_changes or DEFAULT_REVIEW_REASON
        )
    previous = incident.status
    incident.status = Status.CLOSED
    incident.closed_at = timezone.now()
    save(incident, actor)
    flagged = (
        " Policies flagged for review: " + ", ".join(p.title for p in policies) + "."
        if policies
        else ""
    )
    entry_add(
        incident,
        actor,
        EntryKind.CLOSED,
        status_from=previous,
        status_to=Status.CLOSED,
        notes=f"{reason}{flagged}",
    )
    if not is_subject(incident.reporter, incident):
        notify([incident.reporter], incident, "incident_report_update", besides=actor)
    return debrief
