"""Declarations and policy exceptions: thin views over the gateway, the forms and the services.
Reads of a declaration, an exception and the written agreement go into the access log."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from policies.declarations import access as declaration_access
from policies.declarations import selectors, services
from policies.declarations.forms import (
    ConfirmationForm,
    DecisionForm,
    DeclarationFilterForm,
    DeclarationForm,
    DeclineForm,
    ExceptionForm,
)
from policies.declarations.models import (
    Declaration,
    DeclarationDecision,
    DeclarationStatus,
    ExceptionStatus,
    PolicyException,
)
from socialgov import access
from socialgov.access import SchoolRequest, SignedInRequest, require_role, require_signed_in
from socialgov.audit.history import render_history
from socialgov.audit.models import AccessAction
from socialgov.audit.services import access_record_request
from socialgov.csv_export import csv_response
from socialgov.dates import today
from socialgov.form_errors import add_service_errors
from socialgov.uploads.serving import serve_stored_file

PAGE_SIZE = 25


def _log(request, obj, description, action=AccessAction.VIEWED):
    access_record_request(
        request, obj=obj, school=obj.school, action=action, description=description
    )


def _show(request, filters, default):
    form = DeclarationFilterForm(request.GET or None)
    show = form.cleaned_data.get("show") if form.is_valid() else ""
    return show if show in filters else default


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _pupils(user, school):
    """Pupils on the roll, to link a record to: for those consent lets look pupils up (every
    member of staff; never governors, who see counts only)."""
    from consent import access as consent_access
    from consent import selectors as consent_selectors

    pupils = consent_selectors.current_pupils(school, today()).order_by(
        "legal_surname", "legal_forename", "pk"
    )
    return pupils if consent_access.can_look_up(user, school) else pupils.none()


# --- declarations --------------------------------------------------------------------------


@require_role()
def declaration_list(request: SchoolRequest):
    """The headteacher and the DSL team: every declaration of the school; anyone else: their own,
    with this year's confirmation."""
    on = today()
    sees_all = declaration_access.can_see_all_declarations(request.user, request.school)
    show = _show(request, selectors.DECLARATION_FILTERS, "open")
    if sees_all:
        declarations = selectors.declarations_for_list(
            request.user, request.school, show=show, on=on
        )
    else:
        declarations = selectors.declarations_of(request.user, request.school).select_related(
            "pupil"
        )
    return render(
        request,
        "policies/declarations/declaration_list.html",
        {
            "page": _page(request, declarations),
            "sees_all": sees_all,
            "show": show,
            "filters": selectors.DECLARATION_FILTERS,
            "confirmation": selectors.confirmation_for(request.school, request.user, on),
            "asks_confirmation": request.membership.staff_group in selectors.CONFIRMING_GROUPS,
            "today": on,
        },
    )


@require_role()
def declaration_create(request: SchoolRequest):
    """Any member of the school declares a relationship or situation."""
    form = DeclarationForm(request.POST or None, pupils=_pupils(request.user, request.school))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            declaration, created = services.declaration_make(
                school=request.school,
                declarer=request.user,
                submission_key=data["submission_key"],
                concerns=data["concerns"],
                concerns_name=data["concerns_name"],
                nature=data["nature"],
                platforms=data["platforms"],
                since=data["since"],
                pupil=data.get("pupil"),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except IntegrityError:
            declaration = Declaration.objects.filter(
                declarer=request.user, submission_key=data["submission_key"]
            ).first()
            if declaration is None:
                raise
            return redirect("declaration_detail", pk=declaration.pk)
        else:
            if created:
                messages.success(
                    request,
                    "Thank you. Your declaration has gone to the headteacher and the DSL, who "
                    "will discuss it with you and record their decision here.",
                )
            return redirect("declaration_detail", pk=declaration.pk)
    return render(request, "policies/declarations/declaration_form.html", {"form": form})


@require_signed_in
def declaration_detail(request: SignedInRequest, pk):
    """A declaration and its decisions: its declarer, the headteacher and the DSL team."""
    declaration = declaration_access.declaration_get_for_user(request.user, pk)
    access.use_school(request, declaration.school)
    _log(request, declaration, "Declaration")
    can_decide = declaration_access.can_decide_declaration(request.user, declaration)
    return render(
        request,
        "policies/declarations/declaration_detail.html",
        {
            "declaration": declaration,
            "decisions": list(selectors.declaration_decisions(declaration)),
            "can_decide": can_decide and declaration.status != DeclarationStatus.ENDED,
            "can_end": declaration.status != DeclarationStatus.ENDED
            and (can_decide or declaration.declarer_id == request.user.pk),
            "can_see_history": can_decide,
            "review_due": declaration.review_due(today()),
        },
    )


@require_signed_in
def declaration_decide(request: SignedInRequest, pk):
    """The headteacher or the DSL team records the decision and advice (not on their own)."""
    declaration = declaration_access.declaration_get_for_user(request.user, pk, write=True)
    access.use_school(request, declaration.school)
    if declaration.status == DeclarationStatus.ENDED:
        messages.info(request, "This declaration no longer applies: there is nothing to decide.")
        return redirect("declaration_detail", pk=declaration.pk)
    form = DecisionForm(
        request.POST or None, initial={"decisions_seen": declaration.decisions_made}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.declaration_decide(
                declaration=declaration,
                actor=request.user,
                outcome=data["outcome"],
                advice=data["advice"],
                conditions=data["conditions"],
                discussed_with=data["discussed_with"],
                review_on=data["review_on"],
                decisions_seen=data["decisions_seen"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Decision recorded. The declarer has been told.")
            return redirect("declaration_detail", pk=declaration.pk)
    return render(
        request,
        "policies/declarations/declaration_decide.html",
        {
            "declaration": declaration,
            "form": form,
            "decisions": list(selectors.declaration_decisions(declaration)),
        },
    )


@require_signed_in
@access.require_POST
def declaration_end(request: SignedInRequest, pk):
    """The relationship or situation no longer applies (its declarer, the headteacher or the
    DSL team)."""
    declaration = declaration_access.declaration_get_for_user(request.user, pk)
    access.use_school(request, declaration.school)
    allowed = declaration.declarer_id == request.user.pk or (
        declaration_access.can_decide_declaration(request.user, declaration)
    )
    access.require_write(allowed)
    services.declaration_end(declaration=declaration, actor=request.user)
    messages.success(request, "Marked as no longer applying.")
    return redirect("declaration_detail", pk=declaration.pk)


@require_signed_in
def declaration_history(request: SignedInRequest, pk):
    """Who changed what: the headteacher and the DSL team (not on their own declaration)."""
    declaration = declaration_access.declaration_get_for_user(request.user, pk, write=True)
    access.use_school(request, declaration.school)
    _log(request, declaration, "Declaration history")
    return render_history(
        request,
        declaration,
        title=f"History of declaration {declaration.reference}",
        back_url=reverse("declaration_detail", args=[declaration.pk]),
        also=[DeclarationDecision.history.filter(declaration_id=declaration.pk)],
        hidden_fields=["submission_key"],
    )


@require_role()
def declaration_confirm(request: SchoolRequest):
    """This year's answer: my declarations are still accurate, or I have nothing to declare."""
    on = today()
    existing = selectors.confirmation_for(request.school, request.user, on)
    form = ConfirmationForm(request.POST or None)
    if request.method == "POST" and existing is None and form.is_valid():
        try:
            services.declaration_confirm(
                school=request.school, person=request.user, kind=form.cleaned_data["kind"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Thank you: your answer for this year is recorded.")
            return redirect("declaration_list")
    return render(
        request,
        "policies/declarations/declaration_confirm.html",
        {
            "form": form,
            "existing": existing,
            "declarations": list(
                selectors.declarations_of(request.user, request.school).exclude(
                    status=DeclarationStatus.ENDED
                )
            ),
        },
    )


@require_role(*declaration_access.DECIDERS)
def declaration_export(request: SchoolRequest):
    """Every declaration of the school, with the decision in force (CSV)."""
    show = _show(request, selectors.DECLARATION_FILTERS, "all")
    declarations = selectors.declarations_for_list(
        request.user, request.school, show=show, on=today()
    )
    access_record_request(
        request,
        obj=request.school,
        school=request.school,
        action=AccessAction.EXPORTED,
        description="Declarations (CSV)",
    )
    rows = (
        (
            d.reference,
            d.declarer.full_name,
            d.get_concerns_display(),
            d.concerns_name,
            d.platforms,
            d.since,
            d.declared_at,
            d.get_status_display(),
            d.get_outcome_display() if d.outcome else "",
            d.review_on,
        )
        for d in declarations.iterator(chunk_size=500)
    )
    return csv_response(
        filename=f"declarations-{request.school.urn}.csv",
        header=[
            "Reference",
            "Declared by",
            "Concerns",
            "Who",
            "Platforms",
            "Since",
            "Declared",
            "Status",
            "Decision",
            "Review date",
        ],
        rows=rows,
    )


# --- exceptions ----------------------------------------------------------------------------


@require_role()
def exception_list(request: SchoolRequest):
    """The register of exceptions (leadership and the DSL team); anyone else sees the ones they
    asked for or that were made for them."""
    on = today()
    show = _show(request, selectors.EXCEPTION_FILTERS, "current")
    exceptions = selectors.exceptions_for_register(request.user, request.school, show=show, on=on)
    return render(
        request,
        "policies/declarations/exception_list.html",
        {
            "page": _page(request, exceptions),
            "show": show,
            "filters": selectors.EXCEPTION_FILTERS,
            "register": declaration_access.can_see_exception_register(request.user, request.school),
            "today": on,
        },
    )


def _exception_form(request: SchoolRequest):
    from policies.models import Policy
    from socialgov.people.models import User

    staff = User.objects.filter(
        pk__in=access_memberships(request.school).values("user_id")
    ).order_by("full_name")
    return ExceptionForm(
        request.POST or None,
        request.FILES or None,
        pupils=_pupils(request.user, request.school),
        staff=staff,
        policies=Policy.objects.filter(school=request.school).order_by("title"),
    )


def access_memberships(school):
    from socialgov.people.models import Membership

    return Membership.objects.current().filter(school=school)


@require_role()
def exception_create(request: SchoolRequest):
    """Anyone in the school asks for an exception; the headteacher approves it."""
    form = _exception_form(request)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            exception, created = services.exception_request(
                school=request.school,
                actor=request.user,
                submission_key=data["submission_key"],
                for_kind=data["for_kind"],
                for_name=data["for_name"],
                pupil=data.get("pupil"),
                staff_member=data.get("staff_member"),
                policy=data.get("policy"),
                rule=data["rule"],
                reason=data["reason"],
                risk_assessment=data["risk_assessment"],
                conditions=data["conditions"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                agreement=data.get("agreement"),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except IntegrityError:
            exception = PolicyException.objects.filter(
                requested_by=request.user, submission_key=data["submission_key"]
            ).first()
            if exception is None:
                raise
            return redirect("exception_detail", pk=exception.pk)
        else:
            if created:
                messages.success(request, "Sent to the headteacher for approval.")
            return redirect("exception_detail", pk=exception.pk)
    return render(request, "policies/declarations/exception_form.html", {"form": form})


@require_signed_in
def exception_detail(request: SignedInRequest, pk):
    exception = declaration_access.exception_get_for_user(request.user, pk)
    access.use_school(request, exception.school)
    _log(request, exception, "Policy exception")
    can_decide = declaration_access.can_decide_exception(request.user, exception)
    return render(
        request,
        "policies/declarations/exception_detail.html",
        {
            "exception": exception,
            "state": exception.state_label(today()),
            "can_decide": can_decide and exception.status == ExceptionStatus.REQUESTED,
            "can_see_history": declaration_access.can_see_exception_register(
                request.user, exception.school
            ),
            "decline_form": DeclineForm(),
        },
    )


@require_signed_in
@access.require_POST
def exception_approve(request: SignedInRequest, pk):
    exception = declaration_access.exception_get_for_user(request.user, pk, write=True)
    access.use_school(request, exception.school)
    try:
        services.exception_approve(exception=exception, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Exception approved. The person who asked has been told.")
    return redirect("exception_detail", pk=exception.pk)


@require_signed_in
def exception_decline(request: SignedInRequest, pk):
    exception = declaration_access.exception_get_for_user(request.user, pk, write=True)
    access.use_school(request, exception.school)
    if exception.status != ExceptionStatus.REQUESTED:
        messages.info(request, "This exception has already been decided.")
        return redirect("exception_detail", pk=exception.pk)
    form = DeclineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.exception_decline(
                exception=exception, actor=request.user, reason=form.cleaned_data["decline_reason"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Exception declined. The person who asked has been told.")
            return redirect("exception_detail", pk=exception.pk)
    return render(
        request,
        "policies/declarations/exception_decline.html",
        {"exception": exception, "form": form},
    )


@require_signed_in
def exception_agreement(request: SignedInRequest, pk):
    """The signed written agreement (those who see the exception; logged)."""
    exception = declaration_access.exception_get_for_user(request.user, pk)
    access.use_school(request, exception.school)
    if exception.agreement is None:
        raise Http404
    _log(request, exception, "Written agreement", action=AccessAction.DOWNLOADED)
    return serve_stored_file(request, exception.agreement, as_attachment=False)


@require_signed_in
def exception_history(request: SignedInRequest, pk):
    """Who changed what: the register's readers."""
    exception = declaration_access.exception_get_for_user(request.user, pk)
    access.use_school(request, exception.school)
    access.require_write(
        declaration_access.can_see_exception_register(request.user, exception.school)
    )
    _log(request, exception, "Policy exception history")
    return render_history(
        request,
        exception,
        title=f"History of exception {exception.reference}",
        back_url=reverse("exception_detail", args=[exception.pk]),
        hidden_fields=["submission_key"],
    )


@require_role(*declaration_access.EXCEPTION_REGISTER)
def exception_export(request: SchoolRequest):
    show = _show(request, selectors.EXCEPTION_FILTERS, "all")
    on = today()
    exceptions = selectors.exceptions_for_register(request.user, request.school, show=show, on=on)
    access_record_request(
        request,
        obj=request.school,
        school=request.school,
        action=AccessAction.EXPORTED,
        description="Policy exceptions (CSV)",
    )
    rows = (
        (
            e.reference,
            e.get_for_kind_display(),
            e.for_name,
            e.policy.title if e.policy else "",
            e.rule,
            e.conditions,
            e.starts_on,
            e.ends_on,
            e.state_label(on),
            e.requested_by.full_name,
            e.decided_by.full_name if e.decided_by else "",
        )
        for e in exceptions.iterator(chunk_size=500)
    )
    return csv_response(
        filename=f"policy-exceptions-{request.school.urn}.csv",
        header=[
            "Reference",
            "For",
            "Name",
            "Policy",
            "Rule",
            "Conditions",
            "Starts",
            "Ends",
            "State",
            "Asked for by",
            "Decided by",
        ],
        rows=rows,
    )


_SCHOOL_PAGES = {
    "declarations": declaration_list,
    "confirm": declaration_confirm,
    "exceptions": exception_list,
}


@require_signed_in
def declarations_in_school(request: SignedInRequest, pk: int, page: str):
    """One of these lists at a given school, whatever school is current: the dashboard links here
    for the items of a person's other schools (404 outside the person's schools)."""
    view = _SCHOOL_PAGES.get(page)
    membership = access.membership_in(request.user, pk)
    if view is None or membership is None:
        raise Http404
    access.use_school(request, membership.school)
    return view(request)
