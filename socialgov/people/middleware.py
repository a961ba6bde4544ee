from django.conf import settings
from django.contrib.auth import SESSION_KEY, logout
from django.shortcuts import redirect
from django.urls import reverse

from socialgov import access


class CurrentSchoolMiddleware:
    """Sets request.school / membership / roles, and signs out people with no current membership.

    Checked on every request (two indexed queries), so a leaver's open session stops working at
    once rather than when it expires.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.school = None
        request.membership = None
        request.roles = frozenset()
        user = request.user
        if not user.is_authenticated and SESSION_KEY in request.session:
            # The session names a person the backend no longer accepts (their last membership
            # ended): end the session now and say why.
            logout(request)
            return redirect(f"{reverse(settings.LOGIN_URL)}?ended=1")
        if user.is_authenticated:
            memberships = access.current_memberships(user)
            if (
                not memberships
                and not user.is_superuser
                and not access.current_trust_memberships(user)
            ):
                logout(request)
                return redirect(f"{reverse(settings.LOGIN_URL)}?ended=1")
            if memberships:
                wanted = request.session.get(access.SESSION_SCHOOL_KEY)
                membership = next((m for m in memberships if m.school_id == wanted), memberships[0])
                request.school = membership.school
                request.membership = membership
                request.roles = membership.role_names
        return self.get_response(request)
