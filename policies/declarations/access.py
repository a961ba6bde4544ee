"""Who sees and does what with declarations and policy exceptions (issue 15). The one gateway:
lists, pages, counts, panels, notifications, history and exports all go through it.

Declarations
- The declarer sees their own declarations and the decisions on them.
- The headteacher and the DSL team (DSL, deputy DSL) see every declaration of their school and
  record decisions — never on their own declaration.
- Nobody else sees any: other staff, governors, trust executives, other schools (404).

Policy exceptions
- The register (every exception of the school): headteacher, deputy headteacher, DSL team, SLT.
- Anyone in the school may ask for one; they see the ones they asked for, and a member of staff
  sees those made for them.
- The headteacher approves or declines (the deputy headteacher when the headteacher asked for
  it); never the person who asked for it.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from policies.declarations.models import Declaration, PolicyException
from socialgov import access
from socialgov.people.roles import Role

__all__ = [
    "DECIDERS",
    "EXCEPTION_APPROVERS",
    "EXCEPTION_REGISTER",
    "can_decide_declaration",
    "can_decide_exception",
    "can_see_all_declarations",
    "can_see_exception_register",
    "declaration_get_for_user",
    "declaration_visible_to",
    "exception_get_for_user",
    "exception_visible_to",
]

DECIDERS = frozenset({Role.HEADTEACHER, Role.DSL, Role.DEPUTY_DSL})
EXCEPTION_REGISTER = frozenset(
    {Role.HEADTEACHER, Role.DEPUTY_HEADTEACHER, Role.DSL, Role.DEPUTY_DSL, Role.SLT}
)
EXCEPTION_APPROVERS = frozenset({Role.HEADTEACHER})
# Approves when the headteacher asked for the exception.
EXCEPTION_STAND_IN = frozenset({Role.DEPUTY_HEADTEACHER})


def _schools_where(user, roles: frozenset[str]) -> list[int]:
    return [m.school_id for m in access.current_memberships(user) if m.role_names & roles]


def can_see_all_declarations(user, school) -> bool:
    """Every declaration of the school: the headteacher and the DSL team."""
    return access.has_role(user, school, *DECIDERS)


def declaration_visible_to(user) -> QuerySet[Declaration]:
    """The declarations the person may see: their own (in their current schools), and every one
    of the schools where they are the headteacher or in the DSL team."""
    if not getattr(user, "is_authenticated", False):
        return Declaration.objects.none()
    own = Q(declarer=user, school_id__in=access.member_school_ids(user))
    return Declaration.objects.filter(own | Q(school_id__in=_schools_where(user, DECIDERS)))


def declaration_get_for_user(user, pk, *, write: bool = False) -> Declaration:
    """One declaration (404 when invisible); `write` (recording a decision): 403 unless the person
    may decide on it."""
    declaration = access.get_visible_or_404(
        declaration_visible_to(user).select_related("school", "declarer", "pupil"), pk
    )
    if write:
        access.require_write(can_decide_declaration(user, declaration))
    return declaration


def can_decide_declaration(user, declaration: Declaration) -> bool:
    """The headteacher or the DSL team of its school; never its declarer."""
    return declaration.declarer_id != user.pk and access.has_role(
        user, declaration.school_id, *DECIDERS
    )


def can_see_exception_register(user, school) -> bool:
    return access.has_role(user, school, *EXCEPTION_REGISTER)


def exception_visible_to(user) -> QuerySet[PolicyException]:
    """The register for leadership and the DSL team; one's own requests, and the exceptions made
    for oneself, for everyone else."""
    if not getattr(user, "is_authenticated", False):
        return PolicyException.objects.none()
    mine = Q(school_id__in=access.member_school_ids(user)) & (
        Q(requested_by=user) | Q(staff_member=user)
    )
    return PolicyException.objects.filter(
        mine | Q(school_id__in=_schools_where(user, EXCEPTION_REGISTER))
    )


def exception_get_for_user(user, pk, *, write: bool = False) -> PolicyException:
    """One exception (404 when invisible); `write` (approve or decline): 403 unless the person may
    decide on it."""
    exception = access.get_visible_or_404(
        exception_visible_to(user).select_related(
            "school", "requested_by", "decided_by", "policy", "agreement", "staff_member"
        ),
        pk,
    )
    if write:
        access.require_write(can_decide_exception(user, exception))
    return exception


def can_decide_exception(user, exception: PolicyException) -> bool:
    """The headteacher (the deputy headteacher when a headteacher asked); never the person who
    asked for it."""
    if exception.requested_by_id == user.pk:
        return False
    school = exception.school_id
    if access.has_role(user, school, *EXCEPTION_APPROVERS):
        return True
    requester_is_head = Role.HEADTEACHER in access.roles_in(exception.requested_by, school)
    return requester_is_head and access.has_role(user, school, *EXCEPTION_STAND_IN)
