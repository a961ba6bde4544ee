"""An accounts page of a school, whatever school is current (the dashboard's links)."""

from __future__ import annotations

from django.http import Http404

from accounts_registry.views import posts, registry, takedowns
from socialgov import access
from socialgov.access import SignedInRequest, require_signed_in

PAGES = {
    "registry": registry.account_list,
    "approvals": posts.approval_queue,
    "takedowns": takedowns.takedown_list,
}


@require_signed_in
def accounts_in_school(request: SignedInRequest, pk: int, page: str):
    """Switch to school `pk` (404 outside the person's schools), then show the page, which
    applies its own role rule (403 without it)."""
    view = PAGES.get(page)
    membership = access.membership_in(request.user, pk)
    if view is None or membership is None:
        raise Http404
    access.use_school(request, membership.school)
    return view(request)
