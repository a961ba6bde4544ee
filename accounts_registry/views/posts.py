"""Posts: drafting, the post page with the step the person may take, the approval queue, and the
post's images. Every step is `services.post_transition` (its transition table decides)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from accounts_registry import access as accounts_access
from accounts_registry import selectors, services
from accounts_registry.forms import PostActionForm, PostForm
from accounts_registry.models import PostAction, PostImage
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
from socialgov.uploads.serving import serve_stored_file

QUEUE_PAGE_SIZE = 25


def _images(form) -> list:
    upload = form.cleaned_data.get("image")
    return [(upload, form.cleaned_data.get("image_description", ""))] if upload else []


@require_signed_in
def post_create(request: SignedInRequest, pk):
    account = accounts_access.account_get_for_user(request.user, pk)
    access.use_school(request, account.school)
    access.require_write(accounts_access.can_draft_on(request.user, account))
    form = PostForm(request.POST or None, request.FILES or None, user=request.user, account=account)
    if request.method == "POST" and form.is_valid():
        try:
            post = services.post_create(
                account=account,
                actor=request.user,
                text=form.cleaned_data["text"],
                planned_on=form.cleaned_data["planned_on"],
                pupils=list(form.cleaned_data["pupils"]),
                submission_key=str(form.cleaned_data.get("submission_key") or ""),
                images=_images(form),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Draft saved. Submit it when it is ready.")
            return redirect("accounts_post_detail", pk=post.pk)
    return render(
        request,
        "accounts_registry/post_form.html",
        {"form": form, "account": account, "post": None},
    )


@require_signed_in
def post_edit(request: SignedInRequest, pk):
    post = accounts_access.post_get_for_user(request.user, pk)
    access.use_school(request, post.school)
    access.require_write(accounts_access.can_edit_post(request.user, post))
    initial = {
        "text": post.text,
        "planned_on": post.planned_on,
        "pupils": list(post.shown.values_list("pupil_id", flat=True)),
    }
    form = PostForm(
        request.POST or None,
        request.FILES or None,
        initial=initial,
        user=request.user,
        account=post.account,
        creating=False,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.post_update(
                post=post,
                actor=request.user,
                text=form.cleaned_data["text"],
                planned_on=form.cleaned_data["planned_on"],
                pupils=list(form.cleaned_data["pupils"]),
            )
            for upload, description in _images(form):
                services.post_image_add(
                    post=post, actor=request.user, upload=upload, description=description
                )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Draft saved.")
            return redirect("accounts_post_detail", pk=post.pk)
    return render(
        request,
        "accounts_registry/post_form.html",
        {"form": form, "account": post.account, "post": post},
    )


def _post_page(request, post, *, form=None, status=200):
    user = request.user
    steps = {
        "submit": accounts_access.can_edit_post(user, post)
        and accounts_access.is_account_member(user, post.account),
        "agree": accounts_access.can_agree_post(user, post),
        "approve": accounts_access.can_approve_post(user, post),
        "return": accounts_access.can_return_post(user, post),
        "publish": accounts_access.can_publish_post(user, post),
    }
    return render(
        request,
        "accounts_registry/post_detail.html",
        {
            "post": post,
            "account": post.account,
            "pupils": list(selectors.post_pupils(post)),
            "images": list(post.images.select_related("stored_file")),
            "events": list(selectors.post_events(post)),
            "takedowns": list(post.takedowns.select_related("pupil")),
            "form": form or PostActionForm(),
            "steps": steps,
            "can_edit": accounts_access.can_edit_post(user, post),
        },
        status=status,
    )


@require_signed_in
def post_detail(request: SignedInRequest, pk):
    post = accounts_access.post_get_for_user(request.user, pk)
    access.use_school(request, post.school)
    return _post_page(request, post)


@require_signed_in
@require_POST
def post_step(request: SignedInRequest, pk, action):
    """Take one step (submit, agree, approve, request_changes, reject, publish); a refusal shows
    the post again with the reasons, nothing changed."""
    post = accounts_access.post_get_for_user(request.user, pk)
    access.use_school(request, post.school)
    if action not in services.TRANSITIONS or action == PostAction.TAKE_DOWN:
        raise Http404
    form = PostActionForm(request.POST)
    if form.is_valid():
        try:
            services.post_transition(
                post=post,
                actor=request.user,
                action=action,
                reason=form.cleaned_data["reason"],
                acknowledge_names=form.cleaned_data["acknowledge_names"],
                published_url=form.cleaned_data["published_url"],
                published_on=form.cleaned_data["published_on"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{PostAction(action).label}.")
            return redirect("accounts_post_detail", pk=post.pk)
    post.refresh_from_db()
    return _post_page(request, post, form=form)


@require_role(*accounts_access.STAFF_ROLES)
def approval_queue(request: SchoolRequest):
    """Posts (a page of them, soonest planned first) and account requests waiting for this
    person."""
    posts = selectors.posts_waiting_for(request.user, request.school)
    return render(
        request,
        "accounts_registry/approval_queue.html",
        {
            "page": Paginator(posts, QUEUE_PAGE_SIZE).get_page(request.GET.get("page")),
            "requests": selectors.requests_waiting_for(request.user, request.school),
        },
    )


@require_signed_in
def post_image(request: SignedInRequest, pk):
    visible = PostImage.objects.filter(
        post__in=accounts_access.post_visible_to(request.user)
    ).select_related("stored_file")
    image = access.get_visible_or_404(visible, pk)
    return serve_stored_file(request, image.stored_file, as_attachment=False)


@require_signed_in
def post_history(request: SignedInRequest, pk):
    post = accounts_access.post_get_for_user(request.user, pk)
    access.use_school(request, post.school)
    return render_history(
        request,
        post,
        title="History of the post",
        back_url=reverse("accounts_post_detail", args=[post.pk]),
    )
