"""The SLT's comments log and the follower vetting log."""

from __future__ import annotations

import datetime as dt
import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts_registry import access as accounts_access
from accounts_registry.models import (
    CommentLogEntry,
    FollowerVetting,
    OfficialAccount,
    VettingDecision,
)
from accounts_registry.services.common import clean_text, require
from incidents.reports import access as incident_access
from incidents.reports import services as incident_services

# Where the incidents service's field errors belong on the comments log's form.
INCIDENT_FIELDS = {"category": "report_as", "severity": "severity", "description": "what"}


def _incident_errors(error: ValidationError) -> ValidationError:
    if not hasattr(error, "error_dict"):
        return ValidationError({"report_as": error.messages})
    errors: dict[str, list[str]] = {}
    for field, messages in error.message_dict.items():
        errors.setdefault(INCIDENT_FIELDS.get(field, "report_as"), []).extend(messages)
    return ValidationError(errors)


def _incident_description(*, what: str, action_taken: str, account, where: str) -> str:
    place = account.name if account is not None else "about the school, elsewhere"
    if where:
        place = f"{place}: {where}"
    return (
        f"From the official accounts' comments log ({place}).\n\n{what}\n\n"
        f"Action taken: {action_taken}"
    )


@transaction.atomic
def comment_log_record(
    *,
    school,
    actor,
    seen_at: dt.datetime,
    what: str,
    action_taken: str,
    account: OfficialAccount | None = None,
    where: str = "",
    report_as: str = "",
    severity: str = "",
    incident_reference: str = "",
    submission_key: uuid.UUID | None = None,
) -> CommentLogEntry:
    """An inappropriate comment or abuse on an account or about the school (HT, deputy, SLT).
    With `report_as` (an online-safety category) it is also reported as an incident through the
    incidents service, and linked to it; with `incident_reference` it is linked to an incident
    the recorder may open (the incidents gateway). The same form posted twice (the same
    `submission_key`) reports once and logs once."""
    require(accounts_access.can_keep_logs(actor, school), "Only the leadership keep this log.")
    errors: dict[str, list[str]] = {}
    if not clean_text(what):
        errors["what"] = ["Summarise what was said."]
    if not clean_text(action_taken):
        errors["action_taken"] = ["Say what was done about it."]
    if not isinstance(seen_at, dt.datetime):
        errors["seen_at"] = ["Enter when it was seen."]
    if account is not None and account.school_id != school.pk:
        errors["account"] = ["Choose one of the school's accounts."]
    if report_as and incident_reference:
        errors["incident_reference"] = [
            "Either report it as a new incident or give the reference of an existing one."
        ]
    if report_as and submission_key is None:
        errors["report_as"] = ["Reload the page and try again."]
    incident_id = None
    if incident_reference and not errors:
        incident_id = incident_access.incident_for_link(actor, school, incident_reference)
        if incident_id is None:
            errors["incident_reference"] = [
                "No incident of the school with that reference that you can open."
            ]
    if errors:
        raise ValidationError(errors)
    if report_as:
        assert submission_key is not None  # refused above
        try:
            incident, is_new = incident_services.incident_report(
                school=school,
                reporter=actor,
                submission_key=submission_key,
                category=report_as,
                severity=severity,
                occurred_on=timezone.localdate(seen_at),
                description=_incident_description(
                    what=clean_text(what),
                    action_taken=clean_text(action_taken),
                    account=account,
                    where=clean_text(where),
                ),
                platform=account.get_platform_display() if account is not None else "",
            )
        except ValidationError as error:
            raise _incident_errors(error) from None
        if not is_new:
            existing = CommentLogEntry.objects.filter(
                school=school, incident_id=incident.pk
            ).first()
            if existing is not None:
                return existing
        incident_id = incident.pk
    entry = CommentLogEntry(
        school=school,
        account=account,
        seen_at=seen_at,
        where=clean_text(where)[:300],
        what=clean_text(what),
        action_taken=clean_text(action_taken),
        incident_id=incident_id,
        recorded_by=actor,
    )
    entry._history_user = actor
    entry.full_clean()
    entry.save()
    return entry


@transaction.atomic
def follower_vetting_record(
    *,
    account: OfficialAccount,
    actor,
    requester: str,
    requested_on: dt.date,
    decision: str,
    reason: str,
) -> FollowerVetting:
    """A request to follow or befriend an account, approved or refused, and why."""
    require(
        accounts_access.can_keep_logs(actor, account.school_id),
        "Only the headteacher, deputy and SLT vet followers.",
    )
    errors: dict[str, list[str]] = {}
    if not clean_text(requester):
        errors["requester"] = ["Say who asked to follow."]
    if decision not in VettingDecision.values:
        errors["decision"] = ["Choose approved or refused."]
    if not clean_text(reason):
        errors["reason"] = ["Say why."]
    if not isinstance(requested_on, dt.date):
        errors["requested_on"] = ["Enter the date of the request, like 01/09/2026."]
    if errors:
        raise ValidationError(errors)
    entry = FollowerVetting(
        account=account,
        requester=clean_text(requester)[:200],
        requested_on=requested_on,
        decision=decision,
        reason=clean_text(reason),
        decided_by=actor,
    )
    entry._history_user = actor
    entry.full_clean()
    entry.save()
    return entry
