"""Helpers every filtering service uses: saving with history, checks, the people who hold a role
in a school, and the notifications (a link and a reference: never the site's address)."""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit, urlunsplit

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator

from socialgov.notifications.services import notification_send
from socialgov.people.models import Membership

MAX_URL_LENGTH = 2000
_url_ok = URLValidator(schemes=["http", "https"])
URL_MESSAGE = (
    "Give the site's full web address starting with http:// or https://, like "
    "https://www.example.com/page."
)


def save(obj, actor) -> None:
    obj._history_user = actor
    obj.full_clean()
    obj.save()


def require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def clean_text(value: str | None) -> str:
    return (value or "").strip()


def one_line(value: str | None) -> str:
    return " ".join((value or "").split())


def normalise_url(value: str | None) -> str:
    """The address as it is stored and shown: http or https only (never javascript:, data: or
    file:), scheme and host in lower case, the default port and any #fragment dropped.
    ValidationError({"url": ...}) otherwise."""
    raw = (value or "").strip()
    if not raw:
        raise ValidationError({"url": "Give the full web address of the site."})
    if len(raw) > MAX_URL_LENGTH:
        raise ValidationError({"url": f"A web address can be at most {MAX_URL_LENGTH} characters."})
    if any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in raw):
        raise ValidationError({"url": "A web address has no spaces or line breaks in it."})
    try:
        parts = urlsplit(raw)
    except ValueError:
        raise ValidationError({"url": URL_MESSAGE}) from None
    if parts.scheme.lower() not in ("http", "https"):
        raise ValidationError({"url": URL_MESSAGE})
    host = (parts.hostname or "").lower()
    if not host or parts.username or parts.password:
        raise ValidationError({"url": URL_MESSAGE})
    scheme = parts.scheme.lower()
    try:
        port = parts.port
    except ValueError:
        raise ValidationError({"url": URL_MESSAGE}) from None
    netloc = host if ":" not in host else f"[{host}]"
    if port and not ((scheme == "http" and port == 80) or (scheme == "https" and port == 443)):
        netloc = f"{netloc}:{port}"
    url = urlunsplit((scheme, netloc, parts.path or "/", parts.query, ""))
    try:
        _url_ok(url)
    except ValidationError:
        raise ValidationError({"url": URL_MESSAGE}) from None
    return url


def holders(school, roles: Iterable[str]) -> list:
    """The current, active holders of any of `roles` in `school` (one query)."""
    from socialgov.people.models import User

    return list(
        User.objects.filter(
            is_active=True,
            memberships__in=Membership.objects.current().filter(
                school=school, roles__role__in=sorted(set(roles))
            ),
        )
        .distinct()
        .order_by("full_name", "pk")
    )


def notify(recipients: Iterable, *, kind: str, url: str, school, besides=None, about=None, **ctx):
    """Tell each person (once, and never `besides`) there is something to look at."""
    sent: set[int] = set()
    for recipient in recipients:
        if recipient is None or recipient.pk in sent or (besides and recipient.pk == besides.pk):
            continue
        sent.add(recipient.pk)
        notification_send(
            recipient=recipient, kind=kind, url=url, school=school, context=ctx, about=about
        )


def is_current_member(user, school) -> bool:
    return (
        user is not None and Membership.objects.current().filter(school=school, user=user).exists()
    )
