"""Account requests (the approval form): submitted by staff, the brand approved by the marketing
officer when the school has one, decided by the headteacher (the deputy for the headteacher's own
request). Approval creates the registry entry."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts_registry import access as accounts_access
from accounts_registry.models import (
    AccountMember,
    AccountRequest,
    Audience,
    MemberRole,
    OfficialAccount,
    Platform,
    RequestStatus,
)
from accounts_registry.services.common import a_year_after, clean_text, require, staff_of

REQUIRED_TEXT = {
    "proposed_name": "Enter the proposed name or handle.",
    "team": "Enter the team and department.",
    "purpose": "Say what the account is for.",
    "aims": "Write the aims.",
    "proposed_content": "Describe the proposed content.",
    "host": "Enter the host (the platform's company or the site's host).",
    "security_measures": "Describe the security measures.",
    "risk_assessment": "Write the risk assessment.",
}
TEXT_FIELDS = (
    *REQUIRED_TEXT,
    "pupil_ages",
    "audience_other",
    "external_vetting",
    "contributor_recruitment",
    "parental_consent",
)


def _validate(*, school, fields: dict, administrators, moderator, consent_purpose) -> dict:
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, Any] = {name: clean_text(fields.get(name)) for name in TEXT_FIELDS}
    for name, message in REQUIRED_TEXT.items():
        if not cleaned[name]:
            errors[name] = [message]
    audience = list(dict.fromkeys(fields.get("audience") or []))
    unknown = set(audience) - set(Audience.values)
    if unknown or not audience:
        errors["audience"] = ["Tick who the account is for and who contributes."]
    if Audience.PUPILS in audience and not cleaned["pupil_ages"]:
        errors["pupil_ages"] = ["Give the ages of the pupils involved."]
    if Audience.PUPILS in audience and not cleaned["parental_consent"]:
        errors["parental_consent"] = ["Say how parental consent is obtained."]
    if Audience.OTHER in audience and not cleaned["audience_other"]:
        errors["audience_other"] = ["Say who else."]
    admins = list({user.pk: user for user in administrators or []}.values())
    if len(admins) < 2:
        errors["administrators"] = ["Name at least two administrators (members of staff)."]
    else:
        try:
            staff_of(school, admins, "administrators")
        except ValidationError as error:
            errors.update(error.message_dict)
    if moderator is None:
        errors["moderator"] = ["Choose the moderator."]
    else:
        try:
            staff_of(school, [moderator], "moderator")
        except ValidationError as error:
            errors.update(error.message_dict)
    if consent_purpose is None or consent_purpose.school_id != school.pk:
        errors["consent_purpose"] = ["Choose the image consent purpose posts are checked against."]
    go_live_on = fields.get("go_live_on")
    if not isinstance(go_live_on, dt.date):
        errors["go_live_on"] = ["Enter the proposed go-live date, like 01/09/2026."]
    if fields.get("platform") not in Platform.values:
        errors["platform"] = ["Choose the platform."]
    if errors:
        raise ValidationError(errors)
    cleaned.update(audience=audience, go_live_on=go_live_on, platform=fields["platform"])
    return cleaned


@transaction.atomic
def account_request_submit(
    *,
    school,
    actor,
    administrators,
    moderator,
    consent_purpose,
    submission_key: str = "",
    **fields,
) -> AccountRequest:
    """Any member of staff asks for an official account. The same form posted twice (its
    `submission_key`) makes one request."""
    require(accounts_access.can_request(actor, school), "Only staff of the school may ask.")
    cleaned = _validate(
        school=school,
        fields=fields,
        administrators=administrators,
        moderator=moderator,
        consent_purpose=consent_purpose,
    )
    if submission_key:
        existing = AccountRequest.objects.filter(
            requested_by=actor, submission_key=submission_key
        ).first()
        if existing is not None:
            return existing
    request = AccountRequest(
        school=school,
        requested_by=actor,
        submission_key=submission_key[:64],
        moderator=moderator,
        consent_purpose=consent_purpose,
        **cleaned,
    )
    request._history_user = actor
    request.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            request.save()
    except IntegrityError:
        return AccountRequest.objects.get(requested_by=actor, submission_key=submission_key)
    request.administrators.set(list({user.pk: user for user in administrators}.values()))
    from accounts_registry.services import notify

    notify.request_waiting(request)
    return request


def _lock(request: AccountRequest) -> AccountRequest:
    return AccountRequest.objects.select_for_update().select_related("school").get(pk=request.pk)


@transaction.atomic
def account_request_brand_decide(
    *, request: AccountRequest, actor, approve: bool, note: str = ""
) -> AccountRequest:
    """The marketing officer approves the aims, content and use of the brand (or rejects, with a
    reason)."""
    request = _lock(request)
    if request.status != RequestStatus.SUBMITTED:
        raise ValidationError("This request is no longer waiting for the marketing officer.")
    require(
        accounts_access.can_brand_decide(actor, request),
        "Only the school's marketing officer approves the brand (never on their own request).",
    )
    note = clean_text(note)
    if not approve and not note:
        raise ValidationError({"reason": ["Write the reason for the rejection."]})
    request.brand_decided_by = actor
    request.brand_decided_at = timezone.now()
    request.brand_note = note
    request.status = RequestStatus.BRAND_APPROVED if approve else RequestStatus.REJECTED
    if not approve:
        request.decided_by, request.decided_at, request.decision_reason = (
            actor,
            timezone.now(),
            note,
        )
    request._history_user = actor
    request.save()
    from accounts_registry.services import notify

    if approve:
        notify.request_waiting(request)
    else:
        notify.request_decided(request)
    return request


@transaction.atomic
def account_request_decide(
    *, request: AccountRequest, actor, approve: bool, reason: str = ""
) -> AccountRequest:
    """The headteacher (the deputy for the headteacher's own request) approves — creating the
    registry entry with the named administrators — or rejects with a reason."""
    request = _lock(request)
    if not request.is_open:
        raise ValidationError("This request has already been decided.")
    require(
        accounts_access.can_decide_request(actor, request),
        "Only the headteacher decides (the deputy headteacher for the headteacher's own request), "
        "after the marketing officer when the school has one.",
    )
    reason = clean_text(reason)
    if not approve and not reason:
        raise ValidationError({"reason": ["Write the reason for the rejection."]})
    request.decided_by = actor
    request.decided_at = timezone.now()
    request.decision_reason = reason
    request.status = RequestStatus.APPROVED if approve else RequestStatus.REJECTED
    request._history_user = actor
    request.save()
    if approve:
        _create_account(request, actor)
    from accounts_registry.services import notify

    notify.request_decided(request)
    return request


def _create_account(request: AccountRequest, actor) -> OfficialAccount:
    account = OfficialAccount(
        school=request.school,
        request=request,
        platform=request.platform,
        name=request.proposed_name,
        purpose=request.purpose,
        consent_purpose=request.consent_purpose,
        moderator=request.moderator,
        review_due_on=a_year_after(timezone.localdate()),
    )
    account._history_user = actor
    account.full_clean()
    account.save()
    AccountMember.objects.bulk_create(
        AccountMember(account=account, user=user, role=MemberRole.ADMINISTRATOR, added_by=actor)
        for user in request.administrators.all()
    )
    from accounts_registry.services import notify

    notify.aup_to_sign(account, list(request.administrators.all()))
    return account
