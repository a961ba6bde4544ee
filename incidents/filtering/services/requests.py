"""Blocked-content requests, step by step: submit → the network manager's review → the
headteacher's (or deputy's) decision with reasons → the network manager confirms the unblock →
after the end date it expires (once) → the network manager confirms the re-block."""

from __future__ import annotations

import datetime as dt
import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from incidents.filtering import access as filtering_access
from incidents.filtering.models import (
    NeverUnblock,
    Outcome,
    RequestStatus,
    Scope,
    UnblockRequest,
)
from incidents.filtering.services.common import (
    clean_text,
    holders,
    normalise_url,
    notify,
    one_line,
    require,
    save,
)
from socialgov.dates import today
from socialgov.people.models import School
from socialgov.people.roles import Role

NEVER_UNBLOCK_MESSAGE = (
    "This site is on a list that nobody can override (the IWF child sexual abuse list or the "
    "police terrorism list): it stays blocked."
)


def reference_for(year: int, number: int) -> str:
    return f"UNB-{year}-{number:04d}"


def request_url(request: UnblockRequest) -> str:
    return reverse("filtering_request_detail", args=[request.pk])


def _locked(request: UnblockRequest) -> UnblockRequest:
    return (
        UnblockRequest.objects.select_for_update(of=("self",))
        .select_related("school", "requester")
        .get(pk=request.pk)
    )


def _tell(recipients, request: UnblockRequest, kind: str, *, besides=None) -> None:
    notify(
        recipients,
        kind=kind,
        url=request_url(request),
        school=request.school,
        besides=besides,
        about=request,
        reference=request.reference,
    )


def _deciders(request: UnblockRequest) -> list:
    """Who may decide it: the headteacher and the deputy, never its requester."""
    return [
        u
        for u in holders(request.school, filtering_access.DECIDERS)
        if u.pk != request.requester_id
    ]


def _network_managers(school) -> list:
    return holders(school, [Role.NETWORK_MANAGER])


def _request_problems(
    *, url, site_contents, reasons, risks, control_measures, scope, scope_detail, end_date
) -> tuple[dict[str, list[str]], str]:
    errors: dict[str, list[str]] = {}
    try:
        url = normalise_url(url)
    except ValidationError as error:
        errors["url"] = error.message_dict["url"]
    for name, value, message in (
        ("site_contents", site_contents, "Say what the site contains."),
        ("reasons", reasons, "Give your reasons for needing access."),
        ("risks", risks, "Say what the risks are (write “none known” if there are none)."),
        ("control_measures", control_measures, "Say how the risks will be controlled."),
    ):
        if not clean_text(value):
            errors[name] = [message]
    if scope not in Scope.values:
        errors["scope"] = ["Choose who needs access."]
    elif scope == Scope.CLASS and not one_line(scope_detail):
        errors["scope_detail"] = ["Say which class or group needs access."]
    if end_date is None:
        errors["end_date"] = ["Give the date access is needed until."]
    elif end_date < today():
        errors["end_date"] = ["The end date cannot be in the past."]
    elif end_date > today() + dt.timedelta(days=366):
        errors["end_date"] = ["Ask for at most a year; a new request can follow."]
    return errors, url


@transaction.atomic
def unblock_request_submit(
    *,
    school: School,
    requester,
    submission_key: uuid.UUID,
    url: str,
    site_contents: str,
    reasons: str,
    risks: str,
    control_measures: str,
    scope: str,
    end_date: dt.date | None,
    scope_detail: str = "",
) -> tuple[UnblockRequest, bool]:
    """A member of staff asks for a blocked site; the request and whether it is new (the same
    form sent twice gives the first request). The network managers are told."""
    errors, url = _request_problems(
        url=url,
        site_contents=site_contents,
        reasons=reasons,
        risks=risks,
        control_measures=control_measures,
        scope=scope,
        scope_detail=scope_detail,
        end_date=end_date,
    )
    if errors:
        raise ValidationError(errors)
    assert end_date is not None
    # The school's row is the lock for its numbering, and makes an identical second submit wait
    # for the first, then find it.
    school = School.objects.select_for_update().get(pk=school.pk)
    existing = UnblockRequest.objects.filter(
        requester=requester, submission_key=submission_key
    ).first()
    if existing is not None:
        return existing, False
    now = timezone.now()
    year = timezone.localtime(now).year
    number = (
        UnblockRequest.objects.filter(school=school, year=year).aggregate(n=Max("number"))["n"] or 0
    ) + 1
    request = UnblockRequest(
        school=school,
        year=year,
        number=number,
        reference=reference_for(year, number),
        submission_key=submission_key,
        requester=requester,
        requested_at=now,
        url=url,
        site_contents=clean_text(site_contents),
        reasons=clean_text(reasons),
        risks=clean_text(risks),
        control_measures=clean_text(control_measures),
        scope=scope,
        scope_detail=one_line(scope_detail) if scope == Scope.CLASS else "",
        end_date=end_date,
        status=RequestStatus.AWAITING_REVIEW,
    )
    save(request, requester)
    _tell(_network_managers(school), request, "unblock_to_review", besides=requester)
    return request, True


@transaction.atomic
def unblock_request_review(
    *, request: UnblockRequest, actor, technical_notes: str, never_unblock: str = ""
) -> UnblockRequest:
    """The network manager's review: technical notes, and whether the site is on a list that can
    never be unblocked (then it is refused outright, and nobody can approve it)."""
    require(filtering_access.can_review(actor, request), "Only the network manager reviews.")
    request = _locked(request)
    if request.status != RequestStatus.AWAITING_REVIEW:
        raise ValidationError("This request has already been reviewed.")
    if never_unblock not in NeverUnblock.values:
        raise ValidationError({"never_unblock": "Choose one of the answers."})
    if not clean_text(technical_notes):
        raise ValidationError({"technical_notes": "Write your technical notes."})
    request.reviewed_by = actor
    request.reviewed_at = timezone.now()
    request.technical_notes = clean_text(technical_notes)
    request.never_unblock = never_unblock
    if never_unblock:
        request.status = RequestStatus.REFUSED_OUTRIGHT
        save(request, actor)
        _tell([request.requester], request, "unblock_decided", besides=actor)
    else:
        request.status = RequestStatus.AWAITING_DECISION
        save(request, actor)
        _tell(_deciders(request), request, "unblock_to_decide", besides=actor)
    return request


@transaction.atomic
def unblock_request_decide(
    *,
    request: UnblockRequest,
    actor,
    outcome: str,
    reasons: str,
    approved_until: dt.date | None = None,
) -> UnblockRequest:
    """The headteacher's (or deputy's) decision, always with reasons; never on one's own request,
    never approving a site on the IWF or police lists."""
    require(
        filtering_access.can_decide(actor, request),
        "Only the headteacher or the deputy headteacher decides, and never on their own request.",
    )
    request = _locked(request)
    if request.never_unblock:
        raise ValidationError(NEVER_UNBLOCK_MESSAGE)
    if request.status != RequestStatus.AWAITING_DECISION:
        raise ValidationError("This request is not waiting for a decision.")
    errors: dict[str, list[str]] = {}
    if outcome not in Outcome.values:
        errors["outcome"] = ["Choose whether to approve or refuse it."]
    if not clean_text(reasons):
        errors["reasons"] = ["Give the reasons for the decision: they are kept for the review."]
    if outcome == Outcome.APPROVED:
        if approved_until is None:
            errors["approved_until"] = ["Give the date the site is unblocked until."]
        elif approved_until < today():
            errors["approved_until"] = ["The end date cannot be in the past."]
        elif approved_until > today() + dt.timedelta(days=366):
            errors["approved_until"] = ["Approve it for at most a year."]
    if errors:
        raise ValidationError(errors)
    request.decided_by = actor
    request.decided_at = timezone.now()
    request.outcome = outcome
    request.decision_reasons = clean_text(reasons)
    if outcome == Outcome.APPROVED:
        request.approved_until = approved_until
        request.status = RequestStatus.APPROVED
    else:
        request.status = RequestStatus.REFUSED
    save(request, actor)
    _tell([request.requester], request, "unblock_decided", besides=actor)
    if outcome == Outcome.APPROVED:
        _tell(_network_managers(request.school), request, "unblock_to_unblock", besides=actor)
    return request


@transaction.atomic
def unblock_request_confirm_unblocked(
    *, request: UnblockRequest, actor, notes: str = ""
) -> UnblockRequest:
    """The network manager confirms the site is unblocked as approved."""
    require(filtering_access.can_confirm(actor, request), "Only the network manager confirms.")
    request = _locked(request)
    if request.status != RequestStatus.APPROVED:
        raise ValidationError("This request is not waiting to be unblocked.")
    request.unblocked_by = actor
    request.unblocked_at = timezone.now()
    request.unblock_notes = clean_text(notes)
    request.status = RequestStatus.ACTIVE
    save(request, actor)
    _tell([request.requester], request, "unblock_done", besides=actor)
    return request


@transaction.atomic
def unblock_request_confirm_reblocked(
    *, request: UnblockRequest, actor, notes: str = ""
) -> UnblockRequest:
    """The network manager confirms the site is blocked again (after it ended, or early)."""
    require(filtering_access.can_confirm(actor, request), "Only the network manager confirms.")
    request = _locked(request)
    if request.status not in (RequestStatus.ACTIVE, RequestStatus.EXPIRED):
        raise ValidationError("This site is not unblocked.")
    now = timezone.now()
    if request.expired_at is None:
        request.expired_at = now
    request.reblocked_by = actor
    request.reblocked_at = now
    request.reblock_notes = clean_text(notes)
    request.status = RequestStatus.REBLOCKED
    save(request, actor)
    _tell([request.requester], request, "unblock_reblocked", besides=actor)
    return request


def unblock_requests_expire(on: dt.date | None = None) -> int:
    """Unblocks whose end date has passed expire, each once: the request waits for the network
    manager to confirm the re-block (they are told now, and reminded daily until they do). Those
    approved but never unblocked expire too: the network manager confirms the block stands."""
    on = on or today()
    due = list(
        UnblockRequest.objects.filter(
            status__in=[RequestStatus.APPROVED, RequestStatus.ACTIVE], approved_until__lt=on
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    expired = 0
    for pk in due:
        with transaction.atomic():
            request = (
                UnblockRequest.objects.select_for_update(of=("self",))
                .select_related("school")
                .get(pk=pk)
            )
            if request.status not in (RequestStatus.APPROVED, RequestStatus.ACTIVE):
                continue
            request.status = RequestStatus.EXPIRED
            request.expired_at = timezone.now()
            save(request, None)
            _tell(_network_managers(request.school), request, "unblock_expired")
            expired += 1
    return expired
