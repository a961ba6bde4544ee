"""Access gateway for schools and memberships: the pattern every app copies (socialgov.access)."""

from django.db.models import Q, QuerySet

from socialgov import access
from socialgov.people.models import Membership, School
from socialgov.people.roles import PEOPLE_MANAGERS, Role


def school_visible_to(user) -> QuerySet[School]:
    """Schools the person belongs to, and every school of a trust they are an executive of."""
    if not getattr(user, "is_authenticated", False):
        return School.objects.none()
    return School.objects.filter(
        Q(pk__in=access.member_school_ids(user)) | Q(trust_id__in=access.trust_ids(user))
    ).select_related("trust")


def school_get_for_user(user, pk, *, write: bool = False) -> School:
    """One school: 404 outside the person's schools; writes need the headteacher there."""
    school = access.get_visible_or_404(school_visible_to(user), pk)
    if write:
        access.require_write(access.has_role(user, school, Role.HEADTEACHER))
    return school


def membership_visible_to(user) -> QuerySet[Membership]:
    """Memberships of the schools where the person keeps the people list (headteacher, office)."""
    if not getattr(user, "is_authenticated", False):
        return Membership.objects.none()
    school_ids = [
        m.school_id for m in access.current_memberships(user) if m.role_names & PEOPLE_MANAGERS
    ]
    return Membership.objects.filter(school_id__in=school_ids)


def membership_get_for_user(user, pk, *, write: bool = False) -> Membership:
    """One membership: 404 outside the person's schools; 403 in their school unless they keep its
    people list (headteacher, office) — reading and writing alike. Which roles office staff may
    change is decided by the services (socialgov.people.services)."""
    in_my_schools = Membership.objects.filter(school_id__in=access.member_school_ids(user))
    membership = access.get_visible_or_404(
        in_my_schools.select_related("user", "school").prefetch_related("roles"), pk
    )
    access.require_write(access.has_role(user, membership.school, *PEOPLE_MANAGERS))
    return membership
