"""Takedown tasks and the leadership's logs (comments, follower vetting)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone

from accounts_registry import access as accounts_access
from accounts_registry import selectors, services
from accounts_registry.forms import CommentLogForm, FollowerVettingForm, TakedownCloseForm
from socialgov import access
from socialgov.access import SchoolRequest, SignedInRequest, require_role, require_signed_in
from socialgov.form_errors import add_service_errors


@require_role(*accounts_access.STAFF_ROLES)
def takedown_list(request: SchoolRequest):
    return render(
        request,
        "accounts_registry/takedown_list.html",
        {"tasks": list(selectors.takedowns_for_list(request.user, request.school)[:200])},
    )


@require_signed_in
def takedown_detail(request: SignedInRequest, pk):
    task = accounts_access.takedown_get_for_user(request.user, pk)
    access.use_school(request, task.school)
    can_close = accounts_access.can_close_takedown(request.user, task)
    form = TakedownCloseForm(request.POST or None) if can_close else None
    if request.method == "POST":
        access.require_write(can_close)
        if form is not None and form.is_valid():
            try:
                services.takedown_close(task=task, actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "Takedown closed.")
                return redirect("accounts_takedown_detail", pk=task.pk)
    return render(
        request,
        "accounts_registry/takedown_detail.html",
        {"task": task, "form": form, "post": task.post},
    )


@require_role(*accounts_access.LOG_KEEPERS)
def comment_log(request: SchoolRequest):
    form = CommentLogForm(request.POST or None, school=request.school)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        seen_at = timezone.make_aware(dt.datetime.combine(data["seen_on"], dt.time(12)))
        try:
            services.comment_log_record(
                school=request.school,
                actor=request.user,
                seen_at=seen_at,
                what=data["what"],
                action_taken=data["action_taken"],
                account=data["account"],
                where=data["where"],
                report_as=data["report_as"],
                severity=data["severity"],
                incident_reference=data["incident_reference"],
                submission_key=data["submission_key"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Added to the log.")
            return redirect("accounts_comment_log")
    entries = list(
        accounts_access.comment_log_visible_to(request.user)
        .filter(school=request.school)
        .select_related("account", "recorded_by")[:200]
    )
    links = accounts_access.comment_log_incident_links(request.user, entries)
    for entry in entries:
        entry.incident_link = links.get(entry.pk)
    return render(request, "accounts_registry/comment_log.html", {"form": form, "entries": entries})


@require_signed_in
def follower_vetting(request: SignedInRequest, pk):
    account = accounts_access.account_get_for_user(request.user, pk)
    access.use_school(request, account.school)
    access.require_write(accounts_access.can_keep_logs(request.user, account.school))
    form = FollowerVettingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.follower_vetting_record(
                account=account, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Recorded.")
            return redirect("accounts_follower_vetting", pk=account.pk)
    entries = account.follower_vetting.select_related("decided_by")[:200]
    return render(
        request,
        "accounts_registry/follower_vetting.html",
        {"form": form, "account": account, "entries": list(entries)},
    )
