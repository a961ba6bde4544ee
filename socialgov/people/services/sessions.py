"""Ending a person's open sessions when they no longer have access."""

from socialgov.people.models import (
    Membership,
    TrustMembership,
    User,
)
from socialgov.sessions.models import PersonSession


def has_current_access(user: User) -> bool:
    return (
        user.is_superuser
        or Membership.objects.current().filter(user=user).exists()
        or TrustMembership.objects.current().filter(user=user).exists()
    )


def user_sessions_end(*, user: User) -> int:
    """Delete every session of `user`; how many.

    CurrentSchoolMiddleware and the sign-in backend already refuse a person with no current
    membership, so this makes the sign-out immediate and leaves no usable session behind. The
    sessions are found by the person's indexed column (socialgov.sessions): one query, however
    many sessions the site has, so it is cheap under the school's lock.
    """
    deleted, _ = PersonSession.objects.filter(user_id=user.pk).delete()
    return deleted
