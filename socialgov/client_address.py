"""The visitor's IP address, the same for sign-in throttling, signatures and audit entries.

Behind `PROXY_COUNT` trusted reverse proxies (1 behind Caddy in docker compose), each proxy
appends the address it received the request from to `X-Forwarded-For`; the visitor's address is
therefore the PROXY_COUNT-th entry from the right. Entries to the left of it were written by the
visitor and are never trusted. With no proxy (the embedded default) it is `REMOTE_ADDR`.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings


def _valid(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    """The visitor's address as the outermost trusted proxy saw it, or None when unknown."""
    remote = _valid(request.META.get("REMOTE_ADDR") or "")
    proxies = settings.PROXY_COUNT
    if proxies <= 0:
        return remote
    hops = [hop for hop in (request.META.get("HTTP_X_FORWARDED_FOR") or "").split(",") if hop]
    if len(hops) < proxies:
        # Not through every trusted proxy (a direct request to the web container): the
        # connection's own address is the only one known.
        return remote
    return _valid(hops[-proxies]) or remote
