from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

from socialgov.access import SignedInRequest, require_POST, require_signed_in
from socialgov.notifications import selectors, services
from socialgov.notifications.access import notification_get_for_user

PAGE_SIZE = 25


@require_signed_in
def notification_list(request: SignedInRequest):
    page = Paginator(selectors.notification_inbox(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "notifications/notification_list.html", {"page": page})


@require_signed_in
def notification_open(request: SignedInRequest, pk: int):
    """Mark it read and go to what it is about (GET from e-mails and the list, or POST)."""
    notification = notification_get_for_user(request.user, pk)
    services.notification_mark_read(notification=notification, actor=request.user)
    target = notification.url
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = "notification_list"
    return redirect(target)


@require_signed_in
@require_POST
def notification_read(request: SignedInRequest, pk: int):
    """Mark it read without opening it."""
    notification = notification_get_for_user(request.user, pk)
    services.notification_mark_read(notification=notification, actor=request.user)
    messages.success(request, "Marked as read.")
    return redirect("notification_list")


@require_signed_in
@require_POST
def notification_read_all(request: SignedInRequest):
    marked = services.notification_mark_all_read(actor=request.user)
    if marked:
        plural = "s" if marked != 1 else ""
        messages.success(request, f"{marked} notification{plural} marked as read.")
    else:
        messages.info(request, "You have no unread notifications.")
    return redirect("notification_list")
