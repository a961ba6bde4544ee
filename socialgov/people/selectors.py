"""Reads of schools and people, with their related rows loaded (no N+1 in lists)."""

import datetime as dt
from collections.abc import Iterable

from django.db.models import Prefetch, Q, QuerySet

from socialgov.people.models import Invitation, Membership, MembershipRole, School


def people_of_school(
    school: School,
    *,
    include_leavers: bool = False,
    search: str = "",
    staff_group: str = "",
    role: str = "",
) -> QuerySet[Membership]:
    """Everyone in a school (or those matching a search by name or e-mail, a staff group, a
    role), with user and roles loaded: 2 queries whatever the size."""
    memberships = Membership.objects.filter(school=school)
    if not include_leavers:
        memberships = memberships.current()
    if search:
        memberships = memberships.filter(
            Q(user__full_name__icontains=search) | Q(user__email__icontains=search)
        )
    if staff_group:
        memberships = memberships.filter(staff_group=staff_group)
    if role:
        memberships = memberships.filter(
            pk__in=MembershipRole.objects.filter(role=role).values("membership_id")
        )
    return (
        memberships.select_related("user")
        .prefetch_related(Prefetch("roles", queryset=MembershipRole.objects.order_by("role")))
        .order_by("user__full_name", "pk")
    )


def role_holders(
    school: School | int | Iterable[School | int], *roles: str, on: dt.date | None = None
) -> QuerySet[Membership]:
    """Current members (on `on`, default today) holding any of `roles`, of one school or of
    several, with their user loaded (one query)."""
    schools = [school] if isinstance(school, School | int) else list(school)
    school_ids = {getattr(s, "pk", s) for s in schools}
    return (
        Membership.objects.current(on)
        .filter(school_id__in=school_ids, roles__role__in=roles)
        .select_related("user")
        .distinct()
    )


def invitation_latest(membership: Membership) -> Invitation | None:
    """The most recent invitation of a membership (who sent it loaded), or None."""
    return (
        Invitation.objects.filter(membership=membership)
        .select_related("created_by")
        .order_by("-created_at", "-pk")
        .first()
    )
