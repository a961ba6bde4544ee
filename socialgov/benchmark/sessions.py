"""Signed-in sessions made directly (no password typed, no code): the benchmark's visitors."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.utils.module_loading import import_string

from socialgov.access import SESSION_SCHOOL_KEY

BACKEND = "socialgov.people.backends.MembershipBackend"


def session_cookie(user, school) -> str:
    """A `Cookie` header value for a new session of `user`, working in `school` (or none), its
    two-factor step done with the person's confirmed authenticator when they need one."""
    import django_otp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from socialgov.twofactor.access import two_factor_required
    from socialgov.twofactor.middleware import note_activity

    request = RequestFactory().get("/")
    request.session = import_string(f"{settings.SESSION_ENGINE}.SessionStore")()
    request.user = AnonymousUser()  # login() replaces it only when the request has one
    login(request, user, backend=BACKEND)
    if two_factor_required(user):
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            raise LookupError(f"{user.email} needs two-factor but has no authenticator")
        django_otp.login(request, device)
    note_activity(request.session)
    if school is not None:
        request.session[SESSION_SCHOOL_KEY] = school.pk
    request.session.save()
    return f"{settings.SESSION_COOKIE_NAME}={request.session.session_key}"
