"""Account requests: the approval form, the list, a request with its decisions."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render

from accounts_registry import access as accounts_access
from accounts_registry import selectors, services
from accounts_registry.forms import AccountRequestForm, DecisionForm
from accounts_registry.models import RequestStatus
from socialgov import access
from socialgov.access import SchoolRequest, SignedInRequest, require_role, require_signed_in
from socialgov.form_errors import add_service_errors


@require_role(*accounts_access.STAFF_ROLES)
def request_create(request: SchoolRequest):
    form = AccountRequestForm(request.POST or None, school=request.school)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.account_request_submit(
                school=request.school, actor=request.user, **form.service_arguments()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Your request is sent for approval.")
            return redirect("accounts_request_detail", pk=created.pk)
    return render(request, "accounts_registry/request_form.html", {"form": form})


@require_role(*accounts_access.STAFF_ROLES)
def request_list(request: SchoolRequest):
    return render(
        request,
        "accounts_registry/request_list.html",
        {"requests": list(selectors.requests_for_list(request.user, request.school)[:200])},
    )


@require_signed_in
def request_detail(request: SignedInRequest, pk):
    account_request = accounts_access.request_get_for_user(request.user, pk)
    access.use_school(request, account_request.school)
    brand = accounts_access.can_brand_decide(request.user, account_request)
    final = accounts_access.can_decide_request(request.user, account_request)
    form = DecisionForm(request.POST or None) if (brand or final) else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            approve = form.cleaned_data["decision"] == "approve"
            try:
                if brand:
                    services.account_request_brand_decide(
                        request=account_request,
                        actor=request.user,
                        approve=approve,
                        note=form.cleaned_data["reason"],
                    )
                else:
                    services.account_request_decide(
                        request=account_request,
                        actor=request.user,
                        approve=approve,
                        reason=form.cleaned_data["reason"],
                    )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "Decision recorded.")
                return redirect("accounts_request_detail", pk=account_request.pk)
    account = getattr(account_request, "account", None)
    return render(
        request,
        "accounts_registry/request_detail.html",
        {
            "account_request": account_request,
            "administrators": list(account_request.administrators.order_by("full_name")),
            "form": form,
            "step": "brand" if brand else "final",
            "account": account if account_request.status == RequestStatus.APPROVED else None,
        },
    )
