"""Who needs two-factor sign-in, and whose two-factor a person may reset (the app's gateway)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from socialgov import access
from socialgov.people.models import Membership, School, TrustMembership, User
from socialgov.people.roles import Role


def two_factor_required(user) -> bool:
    """True for a superuser, anyone holding a privileged role in a current school membership, any
    trust executive, and everyone in a school that requires two-factor for all.

    The one place this rule lives: the middleware, the enrolment page, the reminder (through
    `selectors.people_needing_two_factor`, tested to agree) and the tests all ask it.
    """
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    for membership in access.current_memberships(user):
        if membership.is_privileged or membership.school.require_two_factor_for_all:
            return True
    return bool(access.current_trust_memberships(user))


def people_reset_reserved_for_superusers() -> QuerySet[User]:
    """People whose two-factor only a deployment administrator (superuser) may reset: superusers,
    current headteachers of any school and trust executives - nobody resets someone who may
    oversee them."""
    headteachers = Membership.objects.current().filter(roles__role=Role.HEADTEACHER)
    return User.objects.filter(
        Q(is_superuser=True)
        | Q(pk__in=headteachers.values("user_id"))
        | Q(pk__in=TrustMembership.objects.current().values("user_id"))
    )


def reset_reserved_for_superusers(person) -> bool:
    return people_reset_reserved_for_superusers().filter(pk=person.pk).exists()


def schools_overseen_by(user) -> set[int]:
    """Schools whose every member's two-factor this person oversees: where they are headteacher,
    and every school of a trust they are a trust executive of."""
    headed = {
        m.school_id for m in access.current_memberships(user) if Role.HEADTEACHER in m.role_names
    }
    trusts = access.trust_ids(user)
    if trusts:
        headed |= set(School.objects.filter(trust_id__in=trusts).values_list("pk", flat=True))
    return headed


def reset_allowed(user, membership: Membership) -> bool:
    """A lost-phone reset removes the person's authenticator for every school they belong to, so
    it is for someone who is headteacher (or trust executive) of *every* school where the person
    holds a current membership; otherwise for a superuser only. Headteachers, trust executives
    and superusers are reset by a superuser only."""
    if getattr(user, "is_superuser", False):
        return True
    if not getattr(user, "is_authenticated", False) or user.pk == membership.user_id:
        return False
    if reset_reserved_for_superusers(membership.user):
        return False
    person_schools = set(
        Membership.objects.current()
        .filter(user_id=membership.user_id)
        .values_list("school_id", flat=True)
    )
    return membership.school_id in person_schools and person_schools <= schools_overseen_by(user)


def reset_membership_visible_to(user) -> QuerySet[Membership]:
    """Current memberships of the person's own schools (every school for a superuser)."""
    if not getattr(user, "is_authenticated", False):
        return Membership.objects.none()
    memberships = Membership.objects.current()
    if user.is_superuser:
        return memberships
    return memberships.filter(school_id__in=access.member_school_ids(user))


def reset_membership_get_for_user(user, pk, *, write: bool = False) -> Membership:
    """One membership whose two-factor may be reset: 404 outside the person's schools, 403 for
    anyone but the headteacher there (or a superuser) when `write`."""
    membership = access.get_visible_or_404(
        reset_membership_visible_to(user).select_related("user", "school"), pk
    )
    if write:
        access.require_write(reset_allowed(user, membership))
    return membership
