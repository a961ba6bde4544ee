"""Access gateway for schools and memberships: the pattern every app copies (socialgov.access).

Schools: every member of a school sees it, and so does an executive of its trust; only its
headteacher changes its details.

Memberships (the people list): the headteacher and the office keep a school's people list and see
everyone on it. Changing or ending a membership is `may_manage`: the headteacher manages everyone;
office staff manage people who hold no privileged role (those needing two-factor), so they cannot
lock the headteacher or the DSL out. Which roles may be given is the services' rule
(`socialgov.people.services.rules.role_change_problem`).
"""

from django.db.models import Q, QuerySet

from socialgov import access
from socialgov.people.models import JoinInvitation, Membership, School, StaffImport
from socialgov.people.roles import PEOPLE_MANAGERS, PRIVILEGED_ROLES, Role

# Who changes a school's own details.
SCHOOL_EDITORS = frozenset({Role.HEADTEACHER})


def school_visible_to(user) -> QuerySet[School]:
    """Schools the person belongs to, and every school of a trust they are an executive of."""
    if not getattr(user, "is_authenticated", False):
        return School.objects.none()
    return School.objects.filter(
        Q(pk__in=access.member_school_ids(user)) | Q(trust_id__in=access.trust_ids(user))
    ).select_related("trust")


def school_may_edit(user, school: School) -> bool:
    """Whether the person may change the school's details: its headteacher."""
    return access.has_role(user, school, *SCHOOL_EDITORS)


def school_get_for_user(user, pk, *, write: bool = False) -> School:
    """One school: 404 outside the person's schools; writes need the headteacher there (403)."""
    school = access.get_visible_or_404(school_visible_to(user), pk)
    if write:
        access.require_write(school_may_edit(user, school))
    return school


def may_manage(*, actor_roles: frozenset[str], membership_roles: frozenset[str]) -> bool:
    """Whether someone holding `actor_roles` in a school may change or end a membership holding
    `membership_roles` there: the headteacher manages everyone, office staff people without a
    privileged role. (Also the services' and the staff import's check, with roles read fresh.)"""
    if Role.HEADTEACHER in actor_roles:
        return True
    return bool(actor_roles & PEOPLE_MANAGERS) and not membership_roles & PRIVILEGED_ROLES


def may_grant_privileged_roles(user, school: School) -> bool:
    """Whether the person may give or take away privileged roles in `school`: its headteacher
    (the forms offer those roles only then; the services refuse them to anyone else)."""
    return access.has_role(user, school, Role.HEADTEACHER)


def membership_may_manage(user, membership: Membership) -> bool:
    """`may_manage` for the person in the membership's school (its roles prefetched or read)."""
    return may_manage(
        actor_roles=access.roles_in(user, membership.school_id),
        membership_roles=membership.role_names,
    )


def membership_visible_to(user) -> QuerySet[Membership]:
    """Memberships (leavers too) of the schools whose people list the person keeps (headteacher,
    office)."""
    if not getattr(user, "is_authenticated", False):
        return Membership.objects.none()
    school_ids = [
        m.school_id for m in access.current_memberships(user) if m.role_names & PEOPLE_MANAGERS
    ]
    return Membership.objects.filter(school_id__in=school_ids)


def membership_get_for_user(user, pk, *, write: bool = False) -> Membership:
    """One membership, user, school and roles loaded: 404 outside the person's schools; 403 in
    their school unless they keep its people list; with `write`, 403 also unless they may manage
    this person (`may_manage`)."""
    in_my_schools = Membership.objects.filter(school_id__in=access.member_school_ids(user))
    membership = access.get_visible_or_404(
        in_my_schools.select_related("user", "school").prefetch_related("roles"), pk
    )
    access.require_write(access.has_role(user, membership.school, *PEOPLE_MANAGERS))
    if write:
        access.require_write(membership_may_manage(user, membership))
    return membership


def staff_import_visible_to(user) -> QuerySet[StaffImport]:
    """Staff imports (background jobs) of the schools whose people list the person keeps."""
    if not getattr(user, "is_authenticated", False):
        return StaffImport.objects.none()
    school_ids = [
        m.school_id for m in access.current_memberships(user) if m.role_names & PEOPLE_MANAGERS
    ]
    return StaffImport.objects.filter(school_id__in=school_ids)


def staff_import_get_for_user(user, pk) -> StaffImport:
    """One staff import: 404 outside the person's schools, 403 in their school unless they keep
    its people list."""
    in_my_schools = StaffImport.objects.filter(school_id__in=access.member_school_ids(user))
    job = access.get_visible_or_404(in_my_schools.select_related("school", "created_by"), pk)
    access.require_write(access.has_role(user, job.school, *PEOPLE_MANAGERS))
    return job


def join_invitation_visible_to(user) -> QuerySet[JoinInvitation]:
    """An invitation to join a school is seen by the person invited only (not even the school:
    its page lists only those who accepted)."""
    if not getattr(user, "is_authenticated", False):
        return JoinInvitation.objects.none()
    return JoinInvitation.objects.filter(user=user)


def join_invitation_get_for_user(user, pk) -> JoinInvitation:
    return access.get_visible_or_404(
        join_invitation_visible_to(user).select_related("school", "created_by"), pk
    )
