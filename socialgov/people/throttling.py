"""Sign-in throttling: django-axes, counting what sign-in itself would accept.

Failed sign-ins are counted (in the database, for AXES_COOLOFF_MINUTES) three ways, each with its
own limit, and a sign-in is refused while any count is at its limit:

- one account from one client address: `AXES_FAILURE_LIMIT` (5) - someone guessing, or a person
  mistyping their own password;
- one client address, any accounts: `SIGN_IN_CLIENT_FAILURE_LIMIT` (30) - password spraying, a
  few common passwords tried on many accounts;
- one account, any client addresses: `SIGN_IN_ACCOUNT_FAILURE_LIMIT` (20) - guessing spread over
  many addresses.

The account is the one sign-in would open: the address is looked up exactly as
`UserManager.get_by_natural_key` does (surrounding spaces ignored, case ignored), so `TA@…`,
`ta@…` and `" ta@…"` share one count. An address with no account is counted under its
lower-cased form.

The account-wide limit is the one a stranger could use to keep someone out. It is made costly:
the stranger needs wrong passwords from several addresses (each stops at 5) and the lock lasts
only the cool-off, while the person it was aimed at lifts it at once by choosing a new password
through a reset link sent to their own mailbox (`account_unlock`, called when a reset
completes) - the locked-out page offers that link. A successful sign-in clears only the
person's own failures from that address, never another address's, nor the client's count
(otherwise a sprayer could clear their count by signing in to an account of their own).
"""

from __future__ import annotations

import math

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_lockout_parameters
from axes.models import AccessAttempt
from django.conf import settings

from socialgov.people.models import User

_REQUEST_CACHE = "_socialgov_throttle_accounts"


def _limit(parameters) -> int:
    """The limit of one of AXES_LOCKOUT_PARAMETERS' parameter sets."""
    names = frozenset([parameters] if isinstance(parameters, str) else parameters)
    if names == {"username", "ip_address"}:
        return settings.AXES_FAILURE_LIMIT
    if names == {"ip_address"}:
        return settings.SIGN_IN_CLIENT_FAILURE_LIMIT
    if names == {"username"}:
        return settings.SIGN_IN_ACCOUNT_FAILURE_LIMIT
    raise ValueError(f"no sign-in limit for the lockout parameters {sorted(names)}")


def account_key(address: str | None) -> str | None:
    """The account an address signs in to (its stored address), or the address lower-cased."""
    typed = (address or "").strip()
    if not typed:
        return None
    stored = (
        User.objects.filter(email__iexact=typed).order_by("pk").values_list("email", flat=True)
    ).first()
    return stored or typed.lower()


def throttle_username(request, credentials: dict | None = None) -> str | None:
    """AXES_USERNAME_CALLABLE: the account key of the address being signed in with."""
    field = settings.AXES_USERNAME_FORM_FIELD
    if credentials is not None:
        typed = credentials.get(field)
    else:
        typed = getattr(request, "POST", {}).get(field)
    if not isinstance(typed, str):
        return None
    # django-axes asks several times per sign-in: one look-up per request.
    cache = getattr(request, _REQUEST_CACHE, None)
    if cache is None:
        cache = {}
        if request is not None:
            setattr(request, _REQUEST_CACHE, cache)
    if typed not in cache:
        cache[typed] = account_key(typed)
    return cache[typed]


class SignInThrottle(AxesDatabaseHandler):
    """django-axes' database handler with one limit per parameter set (see the module)."""

    def get_failures(self, request, credentials: dict | None = None) -> int:
        """The failures that count, scaled so that AXES_FAILURE_LIMIT means "at a limit": the
        largest of count × AXES_FAILURE_LIMIT ÷ that count's own limit."""
        base = settings.AXES_FAILURE_LIMIT
        limits = [_limit(p) for p in get_lockout_parameters(request, credentials)]
        scaled = 0
        counts = self.get_user_attempts(request, credentials)
        for attempts, limit in zip(counts, limits, strict=True):
            failures = sum(attempts.values_list("failures_since_start", flat=True))
            scaled = max(scaled, math.floor(failures * base / limit))
        return scaled

    def reset_user_attempts(self, request, credentials: dict | None = None) -> int:
        """After a successful sign-in: the person's own failures from this address only."""
        username = get_client_username(request, credentials)
        deleted, _ = AccessAttempt.objects.filter(
            username=username, ip_address=request.axes_ip_address
        ).delete()
        return deleted


def account_unlock(user) -> int:
    """Lift every sign-in lock on this person's account (they have just chosen a new password
    through a link sent to their own mailbox); the number of records cleared."""
    deleted, _ = AccessAttempt.objects.filter(username=user.email).delete()
    return deleted
