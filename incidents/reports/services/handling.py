"""Handling an incident: triage, the handler, status changes (each with a reason), the append-only
chronology of actions, notes, corrections and additions, the ICT section, and the decisions on the
harm threshold and on viewing imagery. Nothing here edits or deletes what was recorded."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from incidents.reports import access as incident_access
from incidents.reports import routing
from incidents.reports.models import (
    ActionType,
    Category,
    EntryKind,
    HarmThreshold,
    HarmThresholdDecision,
    IctAction,
    ImageryDecision,
    Incident,
    Route,
    SafeguardingKind,
    Severity,
    Status,
)
from incidents.reports.services.common import (
    clean_text,
    entry_add,
    locked,
    notify,
    one_line,
    require,
    require_handler,
    require_open,
    save,
    withdraw_from,
)
from incidents.reports.services.reporting import apply_routing
from socialgov import access
from socialgov.people.models import Membership

# Status changes other than closing (which needs a debrief: closing.py). Each records a reason.
TRANSITIONS: dict[str, frozenset[str]] = {
    Status.TRIAGED: frozenset({Status.INVESTIGATING, Status.ACTION_TAKEN}),
    Status.INVESTIGATING: frozenset({Status.ACTION_TAKEN}),
    Status.ACTION_TAKEN: frozenset({Status.INVESTIGATING}),
}
ENTRY_KINDS_ADDED_BY_HAND = frozenset({EntryKind.NOTE, EntryKind.CORRECTION, EntryKind.ADDITION})


def _reason(reason: str) -> str:
    reason = clean_text(reason)
    if not reason:
        raise ValidationError({"reason": "Give the reason for this change."})
    return reason


def _check_handler(incident: Incident, handler) -> None:
    """A handler works at the school now and is not a subject of the incident."""
    if handler is None:
        raise ValidationError({"handler": "Choose who will handle it."})
    if not Membership.objects.current().filter(school=incident.school, user=handler).exists():
        raise ValidationError({"handler": "The handler must be a current member of the school."})
    if incident_access.is_subject(handler, incident):
        raise ValidationError(
            {"handler": "A person named as a subject of the incident cannot handle it."}
        )


def _tell_reporter(incident: Incident, actor) -> None:
    """The reporter sees the status of their own report; they are told it changed (no more)."""
    if incident_access.is_subject(incident.reporter, incident):
        return
    notify([incident.reporter], incident, "incident_report_update", besides=actor)


@transaction.atomic
def incident_triage(
    *,
    incident: Incident,
    actor,
    category: str,
    severity: str,
    handler,
    reason: str,
    safeguarding_kind: str = "",
    external_reference: str = "",
) -> Incident:
    """Confirm the category, set the severity and assign a handler: reported → triaged. A changed
    category is routed again at once."""
    incident = locked(incident)
    require_handler(actor, incident)
    if incident.status != Status.REPORTED:
        raise ValidationError("This incident has already been triaged.")
    errors = {}
    if category not in Category.values:
        errors["category"] = "Choose the category."
    if category == Category.SAFEGUARDING and safeguarding_kind not in SafeguardingKind.values:
        errors["safeguarding_kind"] = "Choose what kind of disclosure it is."
    if severity not in Severity.values:
        errors["severity"] = "Choose how serious it is."
    if errors:
        raise ValidationError(errors)
    _check_handler(incident, handler)
    if category != incident.category:
        # Routed again to another group: as when any re-routing clears a handler outside the
        # new group (apply_routing), the handler must hold one of its roles. So the network
        # manager who finds a report is a safeguarding matter passes it on, and keeps nothing.
        decision = routing.decide_for(incident, category=category)
        if not access.roles_in(handler, incident.school_id) & decision.roles:
            raise ValidationError(
                {
                    "handler": (
                        f"This category goes to “{Route(decision.route).label}”: choose one "
                        "of them to handle it (they can ask someone else afterwards)."
                    )
                }
            )
    reason = _reason(reason)

    changes = []
    if category != incident.category:
        changes.append(
            f"Category confirmed as “{Category(category).label}” "
            f"(reported as “{Category(incident.category_reported).label}”)."
        )
    else:
        changes.append(f"Category confirmed as “{Category(category).label}”.")
    if severity != incident.severity:
        changes.append(f"Severity set to {Severity(severity).label.lower()}.")
    category_changed = category != incident.category
    incident.category = category
    incident.safeguarding_kind = safeguarding_kind if category == Category.SAFEGUARDING else ""
    incident.severity = severity
    reference = one_line(external_reference)
    if reference and reference != incident.external_reference:
        changes.append(f"External reference: {reference}.")
        incident.external_reference = reference
    now = timezone.now()
    incident.status = Status.TRIAGED
    incident.triaged_at = now
    incident.last_action_at = now
    save(incident, actor)
    entry_add(
        incident,
        actor,
        EntryKind.TRIAGED,
        status_from=Status.REPORTED,
        status_to=Status.TRIAGED,
        notes=" ".join([*changes, f"Reason: {reason}"]),
    )
    if category_changed:
        apply_routing(incident, actor=actor, why="The category was confirmed as a different one.")
    _assign(incident, actor, handler, f"Assigned at triage. {reason}")
    _tell_reporter(incident, actor)
    return incident


def _assign(incident: Incident, actor, handler, notes: str) -> None:
    previous = incident.handler
    if previous is not None and previous.pk == handler.pk:
        return
    incident.handler = handler
    save(incident, actor)
    entry_add(incident, actor, EntryKind.HANDLER, done_by=handler, notes=notes)
    if previous is not None and not incident_access.can_handle(previous, incident):
        withdraw_from([previous], incident, actor=actor)
    notify([handler], incident, "incident_assigned", besides=actor)


@transaction.atomic
def incident_assign(*, incident: Incident, actor, handler, reason: str) -> Incident:
    """Choose (or change) who handles a triaged incident."""
    incident = locked(incident)
    require_handler(actor, incident)
    require_open(incident)
    if incident.status == Status.REPORTED:
        raise ValidationError("Triage the incident first: triage assigns its handler.")
    _check_handler(incident, handler)
    if incident.handler_id == handler.pk:
        raise ValidationError({"handler": f"{handler.full_name} already handles it."})
    _assign(incident, actor, handler, _reason(reason))
    return incident


@transaction.atomic
def incident_status_change(*, incident: Incident, actor, status: str, reason: str) -> Incident:
    """Move a triaged incident on (triaged → investigating → action taken), with a reason."""
    incident = locked(incident)
    require_handler(actor, incident)
    allowed = TRANSITIONS.get(incident.status, frozenset())
    if status == Status.CLOSED:
        raise ValidationError({"status": "Closing needs a debrief: use “Close with a debrief”."})
    if status not in allowed:
        raise ValidationError(
            {
                "status": f"An incident that is {incident.get_status_display().lower()} cannot "
                f"move to {Status(status).label.lower() if status in Status.values else status}."
            }
        )
    reason = _reason(reason)
    previous = incident.status
    incident.status = status
    save(incident, actor)
    entry_add(
        incident,
        actor,
        EntryKind.STATUS,
        status_from=previous,
        status_to=status,
        notes=reason,
    )
    _tell_reporter(incident, actor)
    return incident


def _happened_at(value: dt.datetime | None) -> dt.datetime:
    now = timezone.now()
    if value is None:
        return now
    if value > now + dt.timedelta(minutes=5):
        raise ValidationError({"happened_at": "An action cannot be recorded in the future."})
    return value


@transaction.atomic
def incident_action_record(
    *,
    incident: Incident,
    actor,
    action_type: str,
    notes: str,
    done_by=None,
    happened_at: dt.datetime | None = None,
):
    """Add an action to the chronology (site blocked, parent spoken to, LADO consulted, ...)."""
    incident = locked(incident)
    require_handler(actor, incident)
    require_open(incident)
    if action_type not in ActionType.values:
        raise ValidationError({"action_type": "Choose what was done."})
    done_by = done_by or actor
    if not incident.school.memberships.filter(user=done_by).exists():
        raise ValidationError({"done_by": "Choose a member of the school."})
    entry = entry_add(
        incident,
        actor,
        EntryKind.ACTION,
        action_type=action_type,
        happened_at=_happened_at(happened_at),
        done_by=done_by,
        notes=clean_text(notes),
    )
    incident.last_action_at = timezone.now()
    save(incident, actor)
    return entry


@transaction.atomic
def incident_entry_add(*, incident: Incident, actor, kind: str, notes: str):
    """A note, a correction or an addition: the original report and earlier entries stay as they
    were (also after closing)."""
    incident = locked(incident)
    require_handler(actor, incident)
    if kind not in ENTRY_KINDS_ADDED_BY_HAND:
        raise ValidationError({"kind": "Choose a note, a correction or an addition."})
    notes = clean_text(notes)
    if not notes:
        raise ValidationError({"notes": "Write the note, correction or addition."})
    return entry_add(incident, actor, kind, notes=notes)


@transaction.atomic
def incident_ict_record(
    *, incident: Incident, actor, action_taken: str, done_by, done_on: dt.date
) -> IctAction:
    """The network manager's section of the inappropriate content report: action taken, by whom,
    when (once; later actions are chronology entries)."""
    incident = locked(incident)
    require(
        incident_access.can_complete_ict(actor, incident),
        "Only the network manager (or the handler) completes the ICT section.",
    )
    require_open(incident)
    if IctAction.objects.filter(incident=incident).exists():
        raise ValidationError("The ICT section is already complete: add an action instead.")
    errors = {}
    if not clean_text(action_taken):
        errors["action_taken"] = "Say what was done."
    if done_on is None:
        errors["done_on"] = "Enter the date it was done, like 01/09/2026."
    elif done_on > timezone.localdate():
        errors["done_on"] = "The date cannot be in the future."
    if done_by is None or not incident.school.memberships.filter(user=done_by).exists():
        errors["done_by"] = "Choose who did it."
    if errors:
        raise ValidationError(errors)
    ict = IctAction(
        incident=incident,
        action_taken=clean_text(action_taken),
        done_by=done_by,
        done_on=done_on,
        recorded_by=actor,
    )
    save(ict, actor)
    entry_add(incident, actor, EntryKind.ICT, done_by=done_by, notes=ict.action_taken)
    incident.last_action_at = timezone.now()
    save(incident, actor)
    return ict


@transaction.atomic
def incident_threshold_decide(
    *,
    incident: Incident,
    actor,
    threshold_met: bool,
    reasons: str,
    lado_consulted_at: dt.datetime | None = None,
    lado_advice: str = "",
    context: str = "",
    action_taken: str = "",
) -> HarmThresholdDecision:
    """The case manager's decision on a staff-conduct concern: the harm threshold met (and when
    the LADO was consulted), or a low-level concern (with its context and the action taken)."""
    incident = locked(incident)
    require(
        incident_access.can_decide_threshold(actor, incident),
        "Only the case manager decides whether the harm threshold is met.",
    )
    require_open(incident)
    errors = {}
    if not clean_text(reasons):
        errors["reasons"] = "Give the reasons for the decision."
    if threshold_met:
        if lado_consulted_at is None:
            errors["lado_consulted_at"] = "Enter when the LADO was consulted."
        elif lado_consulted_at > timezone.now() + dt.timedelta(minutes=5):
            errors["lado_consulted_at"] = "The LADO cannot have been consulted in the future."
    else:
        if not clean_text(context):
            errors["context"] = "Describe the context of the low-level concern."
        if not clean_text(action_taken):
            errors["action_taken"] = "Say what action was taken."
    if errors:
        raise ValidationError(errors)
    decision = HarmThresholdDecision(
        incident=incident,
        threshold_met=threshold_met,
        reasons=clean_text(reasons),
        lado_consulted_at=lado_consulted_at if threshold_met else None,
        lado_advice=clean_text(lado_advice) if threshold_met else "",
        context="" if threshold_met else clean_text(context),
        action_taken="" if threshold_met else clean_text(action_taken),
        decided_by=actor,
    )
    save(decision, actor)
    incident.harm_threshold = HarmThreshold.MET if threshold_met else HarmThreshold.NOT_MET
    incident.last_action_at = timezone.now()
    save(incident, actor)
    if threshold_met:
        consulted = timezone.localtime(lado_consulted_at)
        notes = f"Harm threshold met; LADO consulted {consulted:%d/%m/%Y %H:%M}."
    else:
        notes = "Harm threshold not met: recorded as a low-level concern."
    entry_add(incident, actor, EntryKind.THRESHOLD, notes=f"{notes} {decision.reasons}")
    return decision


@transaction.atomic
def incident_imagery_decide(
    *,
    incident: Incident,
    actor,
    anyone_viewed: bool,
    reason: str,
    headteacher_informed: bool,
    viewed_by: str = "",
    viewed_at: dt.datetime | None = None,
) -> ImageryDecision:
    """The DSL's decision whether anyone viewed nude or semi-nude imagery: who, when, why, and
    whether the headteacher was told. The imagery itself is never stored."""
    incident = locked(incident)
    require(
        incident_access.can_decide_imagery(actor, incident),
        "Only the DSL team records the decision about viewing imagery.",
    )
    errors = {}
    if not clean_text(reason):
        errors["reason"] = "Give the reason for the decision."
    if anyone_viewed:
        if not one_line(viewed_by):
            errors["viewed_by"] = "Say who viewed it."
        if viewed_at is None:
            errors["viewed_at"] = "Enter when it was viewed."
        elif viewed_at > timezone.now() + dt.timedelta(minutes=5):
            errors["viewed_at"] = "It cannot have been viewed in the future."
    if errors:
        raise ValidationError(errors)
    decision = ImageryDecision(
        incident=incident,
        anyone_viewed=anyone_viewed,
        viewed_by=one_line(viewed_by) if anyone_viewed else "",
        viewed_at=viewed_at if anyone_viewed else None,
        reason=clean_text(reason),
        headteacher_informed=headteacher_informed,
        decided_by=actor,
    )
    save(decision, actor)
    told = (
        "The headteacher was informed."
        if headteacher_informed
        else "The headteacher was not informed."
    )
    seen = (
        "Someone viewed the imagery on the DSL's decision."
        if anyone_viewed
        else "Nobody viewed the imagery."
    )
    entry_add(incident, actor, EntryKind.IMAGERY, notes=f"{seen} {told} {decision.reason}")
    return decision
