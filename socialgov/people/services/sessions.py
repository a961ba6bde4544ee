"""Ending a person's open sessions when they no longer have access."""

from importlib import import_module

from django.conf import settings
from django.utils import timezone

from socialgov.people.models import (
    Membership,
    TrustMembership,
    User,
)


def has_current_access(user: User) -> bool:
    return (
        user.is_superuser
        or Membership.objects.current().filter(user=user).exists()
        or TrustMembership.objects.current().filter(user=user).exists()
    )


def user_sessions_end(*, user: User) -> int:
    """Delete every open session of `user` (database-backed session engines); how many.

    CurrentSchoolMiddleware and the sign-in backend already refuse a person with no current
    membership, so this makes the sign-out immediate and leaves no usable session behind. It reads
    the unexpired sessions once: a few thousand rows even for a trust.
    """
    engine = import_module(settings.SESSION_ENGINE)
    store_class = engine.SessionStore
    session_model = store_class.get_model_class()
    wanted = str(user.pk)
    keys = [
        session.session_key
        for session in session_model.objects.filter(expire_date__gt=timezone.now()).iterator()
        if str(session.get_decoded().get("_auth_user_id")) == wanted
    ]
    for key in keys:
        store_class(session_key=key).delete()
    return len(keys)
