"""The rules every change to a school's people list obeys: who may change which roles, and that
a school always keeps a current headteacher.

Who may do what (DESIGN §1, §3): the headteacher and the office keep the people list. Office
staff may add people and give them the unprivileged roles (staff, governor); only the
headteacher gives or takes away a privileged role (those needing two-factor), and only the
headteacher changes or ends the membership of someone holding one — otherwise office staff
could lock the headteacher or the DSL out. A school always keeps a current headteacher.
"""

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError

from socialgov.dates import today
from socialgov.people.models import (
    Membership,
    MembershipRole,
    School,
)
from socialgov.people.roles import PEOPLE_MANAGERS, PRIVILEGED_ROLES, Role, StaffGroup


def role_labels(roles: Iterable[str]) -> str:
    """'Designated safeguarding lead, Staff' — roles in a stable order, by their labels."""
    return ", ".join(Role(r).label for r in sorted(roles))


def manager_roles(actor, school: School) -> frozenset[str]:
    """The actor's roles in `school` read fresh from the database; PermissionDenied unless they
    keep its people list (headteacher or office)."""
    roles = frozenset(
        MembershipRole.objects.filter(
            membership__in=Membership.objects.current().filter(user=actor, school=school)
        ).values_list("role", flat=True)
    )
    if not roles & PEOPLE_MANAGERS:
        raise PermissionDenied
    return roles


def lock_school(school: School) -> School:
    """People changes in one school run one at a time: the last-headteacher rule and duplicate
    checks are then race-free."""
    return School.objects.select_for_update().get(pk=school.pk)


def clean_roles(roles: Iterable[str]) -> frozenset[str]:
    chosen = frozenset(roles)
    unknown = chosen - set(Role.values)
    if unknown:
        raise ValidationError({"roles": f"Unknown role: {', '.join(sorted(unknown))}."})
    if not chosen:
        raise ValidationError({"roles": "Choose at least one role."})
    return chosen


def clean_staff_group(staff_group: str) -> str:
    if staff_group not in StaffGroup.values:
        raise ValidationError({"staff_group": "Choose a staff group from the list."})
    return staff_group


def role_change_problem(
    *,
    actor_roles: frozenset[str],
    old_roles: frozenset[str],
    new_roles: frozenset[str],
    headteacher_gap: dt.date | None = None,
) -> str | None:
    """Why this change of roles is not allowed, or None (shared with the CSV import).
    `headteacher_gap` is `selectors.headteacher_gap_after(...)` for the change, when it takes the
    headteacher role away."""
    changed = (old_roles ^ new_roles) & PRIVILEGED_ROLES
    if changed and Role.HEADTEACHER not in actor_roles:
        return (
            "Only the headteacher can give or take away these roles: "
            f"{role_labels(changed)}. Office staff can give the Staff and Governor roles."
        )
    if Role.HEADTEACHER in old_roles - new_roles and headteacher_gap is not None:
        return headteacher_gap_message(headteacher_gap, "before taking it away")
    return None


def headteacher_gap_message(gap: dt.date, before: str) -> str:
    """What to do when a change would leave the school without a headteacher from `gap`."""
    if gap <= today():
        return (
            "This is the school's only headteacher. Give another person the headteacher role "
            f"{before}."
        )
    return (
        f"This is the school's only headteacher from {gap:%d/%m/%Y}: the school would have none "
        f"from then. Give another person the headteacher role (starting by then) {before}."
    )


def roles_set(*, membership: Membership, roles: frozenset[str], actor) -> None:
    """Make the membership hold exactly `roles`, each change recorded in history."""
    held = {r.role: r for r in MembershipRole.objects.filter(membership=membership)}
    for role, row in held.items():
        if role not in roles:
            row._history_user = actor
            row.delete()
    for role in sorted(roles - set(held)):
        row = MembershipRole(membership=membership, role=role)
        row._history_user = actor
        row.full_clean()
        row.save()
