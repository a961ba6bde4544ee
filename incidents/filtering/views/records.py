"""The filtering and monitoring record: the named roles, the check log with its coverage, and
the yearly and out-of-cycle reviews (with the evidence from the record, and a PDF)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from incidents.filtering import access as filtering_access
from incidents.filtering import selectors, services
from incidents.filtering.forms import CheckForm, FilteringReviewForm, RolesForm
from incidents.filtering.models import FilteringCheck, FilteringReview, ReviewKind
from socialgov import access
from socialgov.access import (
    SchoolRequest,
    SignedInRequest,
    require_POST,
    require_role,
    require_signed_in,
)
from socialgov.audit.models import AccessAction
from socialgov.audit.services import access_record_request, access_record_request_many
from socialgov.csv_export import csv_response
from socialgov.dates import today
from socialgov.form_errors import add_service_errors
from socialgov.pdf import render_pdf
from socialgov.terms.models import academic_year_label
from socialgov.terms.selectors import academic_year_of

PAGE_SIZE = 25


def _allowed(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


@require_role()
def filtering_roles(request: SchoolRequest):
    """Who is responsible for filtering and monitoring; the headteacher names them."""
    school, user = request.school, request.user
    _allowed(filtering_access.can_see_reviews(user, school))
    roles = selectors.filtering_roles_of(school)
    editable = filtering_access.can_edit_roles(user, school)
    form = None
    if editable:
        form = RolesForm(
            request.POST or None,
            school=school,
            initial={
                "slt_lead": roles.slt_lead_id,
                "governor": roles.governor_id,
                "it_provider": roles.it_provider_id,
                "it_contractor": roles.it_contractor,
            },
        )
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                services.filtering_roles_save(school=school, actor=user, **data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "Filtering and monitoring roles saved.")
                return redirect("filtering_roles")
    elif request.method == "POST":
        raise PermissionDenied
    return render(
        request,
        "incidents/filtering/filtering_roles.html",
        {"roles": roles, "form": form, "missing": roles.unassigned()},
    )


def _year_asked(request) -> int:
    """The academic year of ?year=2025 (this one when absent or out of range)."""
    current = academic_year_of(today())
    try:
        year = int(request.GET.get("year", current))
    except ValueError:
        return current
    return year if 2000 <= year <= current + 1 else current


@require_role()
def filtering_checks(request: SchoolRequest):
    """The check log of this academic year (or another: ?year=2025), and which device × place ×
    user group combinations have not been checked in it."""
    school, user = request.school, request.user
    _allowed(filtering_access.can_see_checks(user, school))
    year = _year_asked(request)
    current = academic_year_of(today())
    checks = selectors.checks_for_list(user, school, academic_year=year)
    page = Paginator(checks, PAGE_SIZE).get_page(request.GET.get("page"))
    coverage = selectors.check_coverage(school, year)
    return render(
        request,
        "incidents/filtering/check_list.html",
        {
            "page": page,
            "year": year,
            "year_label": academic_year_label(year),
            "years": [(y, academic_year_label(y)) for y in range(current, current - 4, -1)],
            "coverage": coverage,
            "not_checked": [cell for cell in coverage if not cell.checked],
            "can_record": filtering_access.can_record_check(user, school),
        },
    )


@require_role()
def filtering_checks_export(request: SchoolRequest):
    """The check log of one academic year (?year=2025) as CSV, formula injection neutralised;
    every check in the file is an access-log entry (shown to those who may see the check log)."""
    school, user = request.school, request.user
    _allowed(filtering_access.can_see_checks(user, school))
    year = _year_asked(request)
    checks = selectors.checks_for_list(user, school, academic_year=year)
    access_record_request_many(
        request,
        model=FilteringCheck,
        pks=list(checks.values_list("pk", flat=True)),
        school=school,
        action=AccessAction.EXPORTED,
        description=f"Filtering check log {academic_year_label(year)} (CSV)",
    )
    rows = (
        (
            check.checked_on,
            check.checked_by.full_name,
            check.get_device_display(),
            check.get_place_display(),
            check.get_user_group_display(),
            check.tested,
            check.get_result_display(),
            check.actions,
            check.recorded_at,
        )
        for check in checks.iterator(chunk_size=500)
    )
    return csv_response(
        filename=f"filtering-checks-{academic_year_label(year)}.csv",
        header=[
            "Date",
            "Checked by",
            "Device",
            "Where on site",
            "User group",
            "What was tested",
            "Result",
            "Actions that followed",
            "Recorded",
        ],
        rows=rows,
    )


@require_role()
def filtering_check_new(request: SchoolRequest):
    """Log one check. The same form sent twice logs one check."""
    school, user = request.school, request.user
    _allowed(filtering_access.can_record_check(user, school))
    form = CheckForm(request.POST or None, initial={"checked_on": today()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.filtering_check_record(school=school, actor=user, **data)
        except ValidationError as error:
            add_service_errors(form, error)
        except IntegrityError:
            if not FilteringCheck.objects.filter(
                checked_by=user, submission_key=data["submission_key"]
            ).exists():
                raise
            return redirect("filtering_checks")
        else:
            messages.success(request, "Check logged.")
            return redirect("filtering_checks")
    return render(request, "incidents/filtering/check_form.html", {"form": form})


@require_role()
def filtering_reviews(request: SchoolRequest):
    """The school's reviews, and whether this year's is done, due or overdue."""
    school, user = request.school, request.user
    _allowed(filtering_access.can_see_reviews(user, school))
    return render(
        request,
        "incidents/filtering/review_list.html",
        {
            "reviews": selectors.reviews_for_list(user, school),
            "status": selectors.review_status(school, today()),
            "year_label": academic_year_label(academic_year_of(today())),
            "can_record": filtering_access.can_record_review(user, school),
        },
    )


def _review_form(request, *, out_of_cycle: bool):
    school, user = request.school, request.user
    _allowed(filtering_access.can_record_review(user, school))
    roles = selectors.filtering_roles_of(school)
    form = FilteringReviewForm(
        request.POST or None,
        school=school,
        out_of_cycle=out_of_cycle,
        initial={
            "held_on": today(),
            "slt_lead": roles.slt_lead_id,
            "governor": roles.governor_id,
            "it_provider": roles.it_provider_id,
            "it_contractor": roles.it_contractor,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            review, _created = services.filtering_review_record(
                school=school,
                actor=user,
                submission_key=data["submission_key"],
                kind=ReviewKind.OUT_OF_CYCLE if out_of_cycle else ReviewKind.YEARLY,
                trigger=data.get("trigger", ""),
                trigger_detail=data.get("trigger_detail", ""),
                held_on=data["held_on"],
                slt_lead=data["slt_lead"],
                dsl=data["dsl"],
                it_provider=data["it_provider"],
                it_contractor=data["it_contractor"],
                governor=data["governor"],
                points=form.points(),
                findings=data["findings"],
                actions=form.planned_actions(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except IntegrityError:
            review = FilteringReview.objects.filter(
                recorded_by=user, submission_key=data["submission_key"]
            ).first()
            if review is None:
                form.add_error("held_on", "This academic year's yearly review is already recorded.")
            else:
                return redirect("filtering_review_detail", pk=review.pk)
        else:
            messages.success(request, "Review recorded.")
            return redirect("filtering_review_detail", pk=review.pk)
    return render(
        request,
        "incidents/filtering/review_form.html",
        {"form": form, "out_of_cycle": out_of_cycle},
    )


@require_role()
def filtering_review_new(request: SchoolRequest):
    return _review_form(request, out_of_cycle=False)


@require_role()
def filtering_review_new_out_of_cycle(request: SchoolRequest):
    return _review_form(request, out_of_cycle=True)


def _review(request, pk) -> FilteringReview:
    review = filtering_access.filtering_review_get_for_user(request.user, pk)
    access.use_school(request, review.school)
    return review


def _review_context(review: FilteringReview) -> dict:
    """The review with all the evidence of its year (the PDF's context)."""
    evidence = selectors.review_evidence(review)
    return {
        "review": review,
        "year_label": academic_year_label(review.academic_year),
        "evidence": evidence,
        "decision_rows": evidence.decisions,
        "check_rows": evidence.checks,
        "actions": list(review.actions.select_related("owner", "done_by")),
    }


def _evidence_page(rows, count: int, number):
    """A page of the evidence's decisions or checks; their number is known already (no COUNT)."""
    paginator = Paginator(rows, PAGE_SIZE)
    paginator.count = count
    return paginator.get_page(number)


@require_signed_in
def filtering_review_detail(request: SignedInRequest, pk):
    """A review with the evidence from the record, each point marked evidenced or stated; the
    year's decisions and checks a page at a time (?decisions_page=, ?checks_page=)."""
    review = _review(request, pk)
    context = _review_context(review)
    evidence = context["evidence"]
    decisions_page = _evidence_page(
        evidence.decisions, evidence.decision_count, request.GET.get("decisions_page")
    )
    checks_page = _evidence_page(
        evidence.checks, evidence.check_count, request.GET.get("checks_page")
    )
    context.update(
        decisions_page=decisions_page,
        decision_rows=decisions_page.object_list,
        checks_page=checks_page,
        check_rows=checks_page.object_list,
    )
    may_record = filtering_access.can_record_review(request.user, review.school_id)
    for action in context["actions"]:
        action.may_mark_done = not action.is_done and (
            may_record or action.owner_id == request.user.pk
        )
    return render(request, "incidents/filtering/review_detail.html", context)


@require_signed_in
def filtering_review_pdf(request: SignedInRequest, pk):
    """The review as a PDF for the governors' file (its download is in the access log)."""
    review = _review(request, pk)
    pdf = render_pdf(
        template="incidents/filtering/review_pdf.html",
        context=_review_context(review),
        school=review.school,
    )
    access_record_request(
        request,
        obj=review,
        school=review.school,
        action=AccessAction.EXPORTED,
        description="Filtering and monitoring review PDF",
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="filtering-review-{review.held_on:%Y-%m-%d}.pdf"'
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_signed_in
@require_POST
def filtering_review_action_done(request: SignedInRequest, pk):
    """Mark one of a review's actions done (POST): its owner, or whoever records reviews."""
    action = filtering_access.review_action_get_for_user(request.user, pk)
    access.use_school(request, action.review.school)
    _allowed(filtering_access.can_mark_action_done(request.user, action, action.review.school_id))
    _action, marked = services.review_action_mark_done(action=action, actor=request.user)
    if marked:
        messages.success(request, "Action marked done.")
    return redirect("filtering_review_detail", pk=action.review_id)


def _pages() -> dict:
    from incidents.filtering.views import requests as request_views

    return {
        "log": request_views.filtering_log,
        "checks": filtering_checks,
        "check-new": filtering_check_new,
        "reviews": filtering_reviews,
        "roles": filtering_roles,
    }


@require_signed_in
def filtering_in_school(request: SignedInRequest, pk: int, page: str):
    """Switch to school `pk` (404 outside the person's schools), then show the page, which
    applies its own rule (403 without it): the dashboard's links for each school."""
    view = _pages().get(page)
    membership = access.membership_in(request.user, pk)
    if view is None or membership is None:
        raise Http404
    access.use_school(request, membership.school)
    return view(request)
