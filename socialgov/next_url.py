"""Where to go after a form: a `?next=` (or posted `next`) checked once, for every view.

`redirect()` reads a bare word ("dashboard", "ab") as a URL pattern name and raises when there is
none, so an unchecked `next` is a 500; `url_has_allowed_host_and_scheme` alone lets such words,
and control characters after the first, through. Only a path on this site is kept.
"""

from __future__ import annotations

from django.utils.http import url_has_allowed_host_and_scheme


def local_next(request, candidate: str | None) -> str:
    """`candidate` when it is a path on this site ("/policies/4/?page=2"), else ""."""
    candidate = candidate or ""
    if not candidate.startswith("/") or candidate.startswith("//"):
        return ""
    if any(ord(char) < 32 or ord(char) == 127 for char in candidate):
        return ""
    if not url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return ""
    return candidate
