"""Two-factor sign-in and the idle timeout, enforced on every request (DESIGN §6: Security).

Every signed-in session idle for longer than its timeout is signed out and the person is sent to
sign in: SOCIALGOV_IDLE_TIMEOUT_MINUTES for people who need two-factor (privileged roles),
the longer SOCIALGOV_IDLE_TIMEOUT_OTHERS_MINUTES for everyone else (shared school computers).

For a signed-in person who needs two-factor (`access.two_factor_required`):
- until the session is verified with a code, only the pages named in `OPEN_BEFORE_VERIFIED`
  (and static files) open; everything else redirects to enrolment (no authenticator yet) or to
  the verify-a-code page, keeping ?next= so the person lands where they were going.
Deny by default: a new page is closed to unverified sessions without anyone having to remember.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.messages.storage import default_storage
from django.http import HttpResponse, HttpResponseRedirect, QueryDict
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone

from socialgov.twofactor.access import two_factor_required
from socialgov.twofactor.selectors import has_authenticator

# Named URL patterns (with their namespace, if any) an unverified session may open.
OPEN_BEFORE_VERIFIED = frozenset(
    {"twofactor_enrol", "twofactor_verify", "logout", "healthz", "invitation_accept"}
)
LAST_ACTIVITY_KEY = "socialgov_last_activity"
# The stored time is refreshed at most once a minute (every five for the longer timeout), so a
# busy session is not written on every request; the timeout can therefore fall up to that much
# early, never late.
ACTIVITY_RESOLUTION_SECONDS = 60
ACTIVITY_RESOLUTION_OTHERS_SECONDS = 300
IDLE_MESSAGE = (
    "You were signed out because SocialGov had not been used for %(minutes)s minutes. "
    "Sign in again to carry on."
)


def note_activity(session) -> None:
    """Start the idle clock now (signing in and verifying count as activity)."""
    session[LAST_ACTIVITY_KEY] = int(timezone.now().timestamp())


def idle_timeout_minutes(*, privileged: bool = True) -> int:
    if privileged:
        return settings.SOCIALGOV_IDLE_TIMEOUT_MINUTES
    return settings.SOCIALGOV_IDLE_TIMEOUT_OTHERS_MINUTES


def idle_timeout_seconds(*, privileged: bool = True) -> int:
    return idle_timeout_minutes(privileged=privileged) * 60


def _view_name(request) -> str | None:
    try:
        return resolve(request.path_info).view_name
    except Resolver404:
        return None


def _with_next(url_name: str, request) -> str:
    url = reverse(url_name)
    query = QueryDict(mutable=True)
    query["next"] = request.get_full_path()
    return f"{url}?{query.urlencode(safe='/')}"


def _redirect(request, url: str) -> HttpResponse:
    if request.headers.get("HX-Request"):
        # htmx would follow a 302 inside the page; ask it to load the whole page instead.
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return HttpResponseRedirect(url)


class TwoFactorRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if not user.is_authenticated:
            return self.get_response(request)
        privileged = two_factor_required(user)

        now = int(timezone.now().timestamp())
        last = request.session.get(LAST_ACTIVITY_KEY)
        if isinstance(last, int) and now - last > idle_timeout_seconds(privileged=privileged):
            return self._sign_out_idle(request, minutes=idle_timeout_minutes(privileged=privileged))
        resolution = (
            ACTIVITY_RESOLUTION_SECONDS if privileged else ACTIVITY_RESOLUTION_OTHERS_SECONDS
        )
        if not isinstance(last, int) or now - last >= resolution:
            note_activity(request.session)
        if not privileged:
            return self.get_response(request)

        if user.is_verified() or self._open_before_verified(request):
            return self.get_response(request)
        target = "twofactor_verify" if has_authenticator(user) else "twofactor_enrol"
        return _redirect(request, _with_next(target, request))

    @staticmethod
    def _open_before_verified(request) -> bool:
        if request.path_info.startswith(settings.STATIC_URL):
            return True
        return _view_name(request) in OPEN_BEFORE_VERIFIED

    @staticmethod
    def _sign_out_idle(request, *, minutes: int) -> HttpResponse:
        logout(request)
        response = _redirect(request, _with_next(settings.LOGIN_URL, request))
        # MessageMiddleware runs after this one, so the message is stored directly in the new
        # (signed-out) session for the sign-in page to show.
        storage = default_storage(request)
        storage.add(messages.INFO, IDLE_MESSAGE % {"minutes": minutes})
        storage.update(response)
        return response
