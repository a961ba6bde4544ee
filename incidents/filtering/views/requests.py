"""Blocked-content requests: asking, one request's page, each step's form, and the decision log
(with CSV). Gateway → form → service → redirect."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.shortcuts import redirect, render
from django.urls import reverse

from incidents.filtering import access as filtering_access
from incidents.filtering import selectors, services
from incidents.filtering.forms import (
    ConfirmForm,
    DecisionForm,
    LogFilterForm,
    ReviewForm,
    UnblockRequestForm,
)
from incidents.filtering.models import RequestStatus, UnblockRequest
from socialgov import access
from socialgov.access import SchoolRequest, SignedInRequest, require_role, require_signed_in
from socialgov.audit.history import render_history
from socialgov.csv_export import csv_response
from socialgov.dates import today
from socialgov.form_errors import add_service_errors

PAGE_SIZE = 25


def _attempt(form, call):
    """Run a service call for a valid form; None with its refusal shown on the form."""
    try:
        return call()
    except ValidationError as error:
        add_service_errors(form, error)
        return None


@require_role()
def filtering_home(request: SchoolRequest):
    """Blocked content: the person's own requests, and the school's record for those who keep it."""
    school, user = request.school, request.user
    return render(
        request,
        "incidents/filtering/filtering_home.html",
        {
            "requests": selectors.my_requests(user, school)[:50],
            "can_see_log": filtering_access.can_see_log(user, school),
            "can_see_checks": filtering_access.can_see_checks(user, school),
            "can_see_reviews": filtering_access.can_see_reviews(user, school),
        },
    )


@require_role()
def filtering_request_new(request: SchoolRequest):
    """Any member of staff asks for a blocked site. The same form sent twice makes one request."""
    form = UnblockRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = _attempt(
                form,
                lambda: services.unblock_request_submit(
                    school=request.school,
                    requester=request.user,
                    submission_key=data["submission_key"],
                    url=data["url"],
                    site_contents=data["site_contents"],
                    reasons=data["reasons"],
                    risks=data["risks"],
                    control_measures=data["control_measures"],
                    scope=data["scope"],
                    scope_detail=data["scope_detail"],
                    end_date=data["end_date"],
                ),
            )
        except IntegrityError:
            # The same submission committed between the check and the insert: it is there.
            existing = UnblockRequest.objects.filter(
                requester=request.user, submission_key=data["submission_key"]
            ).first()
            if existing is None:
                raise
            result = (existing, False)
        if result is not None:
            unblock, created = result
            if created:
                messages.success(
                    request,
                    f"Your request {unblock.reference} has gone to the network manager to review.",
                )
            else:
                messages.info(request, f"Your request {unblock.reference} was already received.")
            return redirect("filtering_request_detail", pk=unblock.pk)
    return render(request, "incidents/filtering/unblock_request_form.html", {"form": form})


def _visible(request, pk) -> UnblockRequest:
    unblock = filtering_access.unblock_request_get_for_user(request.user, pk)
    access.use_school(request, unblock.school)
    return unblock


@require_signed_in
def filtering_request_detail(request: SignedInRequest, pk):
    """One request with every step: who, when and why."""
    unblock = _visible(request, pk)
    user = request.user
    status = unblock.status
    return render(
        request,
        "incidents/filtering/unblock_request_detail.html",
        {
            "unblock": unblock,
            "can_review": status == RequestStatus.AWAITING_REVIEW
            and filtering_access.can_review(user, unblock),
            "can_decide": status == RequestStatus.AWAITING_DECISION
            and filtering_access.can_decide(user, unblock),
            "can_unblock": status == RequestStatus.APPROVED
            and filtering_access.can_confirm(user, unblock),
            "can_reblock": status in (RequestStatus.ACTIVE, RequestStatus.EXPIRED)
            and filtering_access.can_confirm(user, unblock),
            "can_see_log": filtering_access.can_see_log(user, unblock.school),
        },
    )


@require_signed_in
def filtering_request_history(request: SignedInRequest, pk):
    unblock = _visible(request, pk)
    if not filtering_access.can_see_log(request.user, unblock.school):
        raise PermissionDenied
    return render_history(
        request,
        unblock,
        title=f"History of {unblock.reference}",
        back_url=reverse("filtering_request_detail", args=[unblock.pk]),
    )


def _step(request, unblock, form, *, title: str, submit: str, intro: str = ""):
    return render(
        request,
        "incidents/filtering/unblock_step_form.html",
        {"unblock": unblock, "form": form, "title": title, "submit": submit, "intro": intro},
    )


def _done(request, unblock, message: str):
    messages.success(request, message)
    return redirect("filtering_request_detail", pk=unblock.pk)


@require_signed_in
def filtering_request_review(request: SignedInRequest, pk):
    """The network manager's technical review."""
    unblock = _visible(request, pk)
    access.require_write(filtering_access.can_review(request.user, unblock))
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _attempt(
            form,
            lambda: services.unblock_request_review(
                request=unblock,
                actor=request.user,
                technical_notes=data["technical_notes"],
                never_unblock=data["never_unblock"] or "",
            ),
        ):
            return _done(request, unblock, "Review recorded.")
    return _step(
        request,
        unblock,
        form,
        title=f"Review {unblock.reference}",
        submit="Record the review",
        intro="Check the site in the filter. A site on the IWF or police lists is refused "
        "outright.",
    )


@require_signed_in
def filtering_request_decide(request: SignedInRequest, pk):
    """The headteacher's (or deputy's) decision, with reasons."""
    unblock = _visible(request, pk)
    access.require_write(filtering_access.can_decide(request.user, unblock))
    form = DecisionForm(request.POST or None, initial={"approved_until": unblock.end_date})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _attempt(
            form,
            lambda: services.unblock_request_decide(
                request=unblock,
                actor=request.user,
                outcome=data["outcome"],
                reasons=data["reasons"],
                approved_until=data["approved_until"],
            ),
        ):
            return _done(request, unblock, "Decision recorded.")
    return _step(
        request, unblock, form, title=f"Decide {unblock.reference}", submit="Record the decision"
    )


@require_signed_in
def filtering_request_unblocked(request: SignedInRequest, pk):
    """The network manager confirms the site is unblocked as approved."""
    unblock = _visible(request, pk)
    access.require_write(filtering_access.can_confirm(request.user, unblock))
    form = ConfirmForm(request.POST or None)
    confirmed = (
        request.method == "POST"
        and form.is_valid()
        and _attempt(
            form,
            lambda: services.unblock_request_confirm_unblocked(
                request=unblock, actor=request.user, notes=form.cleaned_data["notes"]
            ),
        )
    )
    if confirmed:
        return _done(request, unblock, "Unblock confirmed.")
    return _step(
        request,
        unblock,
        form,
        title=f"Confirm {unblock.reference} is unblocked",
        submit="Confirm it is unblocked",
        intro=f"Open the site for the approved scope until {unblock.approved_until:%d/%m/%Y}."
        if unblock.approved_until
        else "",
    )


@require_signed_in
def filtering_request_reblocked(request: SignedInRequest, pk):
    """The network manager confirms the site is blocked again."""
    unblock = _visible(request, pk)
    access.require_write(filtering_access.can_confirm(request.user, unblock))
    form = ConfirmForm(request.POST or None)
    confirmed = (
        request.method == "POST"
        and form.is_valid()
        and _attempt(
            form,
            lambda: services.unblock_request_confirm_reblocked(
                request=unblock, actor=request.user, notes=form.cleaned_data["notes"]
            ),
        )
    )
    if confirmed:
        return _done(request, unblock, "Re-block confirmed.")
    return _step(
        request,
        unblock,
        form,
        title=f"Confirm {unblock.reference} is blocked again",
        submit="Confirm it is blocked again",
    )


def _log_filters(request):
    form = LogFilterForm(request.GET or None)
    if form.is_valid():
        data = form.cleaned_data
        return form, data.get("start"), data.get("end"), data.get("outcome") or ""
    return form, None, None, ""


def _log_allowed(request) -> None:
    if not filtering_access.can_see_log(request.user, request.school):
        raise PermissionDenied


@require_role()
def filtering_log(request: SchoolRequest):
    """The school's decision log: every request and decision, by date and outcome."""
    _log_allowed(request)
    form, start, end, outcome = _log_filters(request)
    requests = selectors.decision_log(
        request.user, request.school, start=start, end=end, outcome=outcome
    )
    page = Paginator(requests, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "incidents/filtering/decision_log.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


@require_role()
def filtering_log_export(request: SchoolRequest):
    """The same filtered log as CSV (formula injection neutralised)."""
    _log_allowed(request)
    _form, start, end, outcome = _log_filters(request)
    requests = selectors.decision_log(
        request.user, request.school, start=start, end=end, outcome=outcome
    )

    def when(value):
        return f"{value:%d/%m/%Y}" if value else ""

    rows = (
        (
            r.reference,
            when(r.requested_at),
            r.requester.full_name,
            r.url,
            r.get_scope_display(),
            r.scope_detail,
            r.reasons,
            r.reviewed_by.full_name if r.reviewed_by else "",
            r.get_never_unblock_display() if r.never_unblock else "",
            r.technical_notes,
            r.get_outcome_display() if r.outcome else "",
            r.decided_by.full_name if r.decided_by else "",
            when(r.decided_at),
            r.decision_reasons,
            when(r.approved_until),
            when(r.unblocked_at),
            when(r.reblocked_at),
            r.get_status_display(),
        )
        for r in requests.iterator(chunk_size=500)
    )
    return csv_response(
        filename=f"blocked-content-decisions-{today():%Y-%m-%d}.csv",
        header=[
            "Reference",
            "Requested",
            "Requested by",
            "Web address",
            "Who needs access",
            "Class or group",
            "Reasons for access",
            "Reviewed by",
            "Never-unblock list",
            "Technical notes",
            "Decision",
            "Decided by",
            "Decided",
            "Reasons for the decision",
            "Unblocked until",
            "Unblocked",
            "Blocked again",
            "Status",
        ],
        rows=rows,
    )
