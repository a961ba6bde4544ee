"""The SLT's comments log and the follower vetting log."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts_registry import access as accounts_access
from accounts_registry.models import (
    CommentLogEntry,
    FollowerVetting,
    OfficialAccount,
    VettingDecision,
)
from accounts_registry.services.common import clean_text, require


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
    incident=None,
) -> CommentLogEntry:
    """An inappropriate comment or abuse on an account or about the school (HT, deputy, SLT)."""
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
    if incident is not None and incident.school_id != school.pk:
        errors["incident"] = ["Choose an incident of the school."]
    if errors:
        raise ValidationError(errors)
    entry = CommentLogEntry(
        school=school,
        account=account,
        seen_at=seen_at,
        where=clean_text(where)[:300],
        what=clean_text(what),
        action_taken=clean_text(action_taken),
        incident=incident,
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
