"""The registry: the school's accounts, one account with its people, posts and reviews, and the
forms that change them."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse

from accounts_registry import access as accounts_access
from accounts_registry import selectors, services
from accounts_registry.forms import AccountForm, MemberForm, ReviewForm
from accounts_registry.models import AccountMember, MemberRole
from socialgov import access
from socialgov.access import (
    SchoolRequest,
    SignedInRequest,
    require_POST,
    require_role,
    require_signed_in,
)
from socialgov.audit.history import render_history
from socialgov.form_errors import add_service_errors


@require_role(*accounts_access.STAFF_ROLES)
def account_list(request: SchoolRequest):
    """Every account of the school, with who has not signed the AUP and who is flagged."""
    school = request.school
    accounts = list(selectors.accounts_for_registry(request.user, school))
    aup = selectors.aup_status(school)
    rows = []
    for account in accounts:
        members = list(account.members.all())
        admins = [m for m in members if m.role == MemberRole.ADMINISTRATOR]
        rows.append(
            {
                "account": account,
                "administrators": admins,
                "posters": [m for m in members if m.role == MemberRole.POSTER],
                "unsigned": [m for m in members if not aup.has_signed(m.user_id)],
                "flagged": [m for m in members if m.flagged_at],
                "short": len([m for m in admins if not m.flagged_at]) < 2,
            }
        )
    return render(
        request,
        "accounts_registry/account_list.html",
        {
            "rows": rows,
            "aup": aup,
            "can_request": accounts_access.can_request(request.user, school),
            "can_keep_logs": accounts_access.can_keep_logs(request.user, school),
        },
    )


@require_signed_in
def account_detail(request: SignedInRequest, pk):
    account = accounts_access.account_get_for_user(request.user, pk)
    access.use_school(request, account.school)
    account = selectors.account_with_members(account)
    aup = selectors.aup_status(account.school)
    members = list(account.members.all())
    return render(
        request,
        "accounts_registry/account_detail.html",
        {
            "account": account,
            "members": [{"member": m, "signed": aup.has_signed(m.user_id)} for m in members],
            "aup": aup,
            "posts": list(selectors.posts_for_account(request.user, account)[:50]),
            "reviews": list(account.reviews.select_related("reviewed_by")[:10]),
            "vetting": list(account.follower_vetting.select_related("decided_by")[:20])
            if accounts_access.can_keep_logs(request.user, account.school)
            else [],
            "short": len(
                [m for m in members if m.role == MemberRole.ADMINISTRATOR and m.flagged_at is None]
            )
            < 2,
            "can_manage": accounts_access.can_manage_account(request.user, account),
            "can_manage_members": accounts_access.can_manage_members(request.user, account),
            "can_draft": accounts_access.can_draft_on(request.user, account),
            "can_keep_logs": accounts_access.can_keep_logs(request.user, account.school),
        },
    )


@require_signed_in
def account_edit(request: SignedInRequest, pk):
    account = accounts_access.account_get_for_user(request.user, pk, write=True)
    access.use_school(request, account.school)
    form = AccountForm(request.POST or None, instance=account)
    if request.method == "POST" and form.is_valid():
        try:
            services.account_update(
                account=account,
                actor=request.user,
                **{name: form.cleaned_data[name] for name in form.Meta.fields},
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Account details saved.")
            return redirect("accounts_account_detail", pk=account.pk)
    return render(
        request, "accounts_registry/account_form.html", {"form": form, "account": account}
    )


@require_signed_in
def member_add(request: SignedInRequest, pk):
    account = accounts_access.account_get_for_user(request.user, pk)
    access.use_school(request, account.school)
    access.require_write(accounts_access.can_manage_members(request.user, account))
    form = MemberForm(request.POST or None, school=account.school)
    if request.method == "POST" and form.is_valid():
        try:
            services.account_member_add(
                account=account,
                actor=request.user,
                user=form.cleaned_data["user"],
                role=form.cleaned_data["role"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Added.")
            return redirect("accounts_account_detail", pk=account.pk)
    return render(request, "accounts_registry/member_form.html", {"form": form, "account": account})


@require_signed_in
@require_POST
def member_remove(request: SignedInRequest, pk):
    visible = AccountMember.objects.filter(
        account__in=accounts_access.account_visible_to(request.user), ended_at__isnull=True
    ).select_related("account", "account__school")
    member = access.get_visible_or_404(visible, pk)
    access.use_school(request, member.account.school)
    access.require_write(accounts_access.can_manage_members(request.user, member.account))
    try:
        services.account_member_remove(member=member, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{member.user} no longer has that role on the account.")
    return redirect("accounts_account_detail", pk=member.account_id)


@require_signed_in
def review_create(request: SignedInRequest, pk):
    account = accounts_access.account_get_for_user(request.user, pk, write=True)
    access.use_school(request, account.school)
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.account_review_record(account=account, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Review recorded.")
            return redirect("accounts_account_detail", pk=account.pk)
    return render(request, "accounts_registry/review_form.html", {"form": form, "account": account})


@require_signed_in
def account_history(request: SignedInRequest, pk):
    account = accounts_access.account_get_for_user(request.user, pk)
    access.use_school(request, account.school)
    access.require_write(accounts_access.can_manage_account(request.user, account))
    return render_history(
        request,
        account,
        title=f"History of {account.name}",
        back_url=reverse("accounts_account_detail", args=[account.pk]),
    )
