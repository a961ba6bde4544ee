"""Where an incident goes: DESIGN §4's routing table, decided here and nowhere else.

| category                                               | route                              |
|--------------------------------------------------------|------------------------------------|
| inappropriate content accessed; bypassing filtering     | network manager (+ DSL team when a |
|                                                        | pupil is involved)                 |
| cyberbullying; pupil's online behaviour; safeguarding   | DSL team                           |
| disclosure; harmful misinformation; other              |                                    |
| contact to a staff member's personal account           | DSL team and headteacher           |
| abusive post; comment on an official account; parent's | headteacher and SLT                |
| online conduct                                         |                                    |
| image published without consent                        | headteacher and DPO                |
| a staff member's online conduct                        | headteacher as case manager; the   |
|                                                        | chair when the headteacher is a    |
|                                                        | subject                            |

A *subject* (a member of staff named as subject of concern or alleged perpetrator) makes any
incident a staff-conduct concern, and never receives it. When nobody (but subjects) holds a role
of the group, the incident falls back along FALLBACK_CHAIN — the headteacher first, the chair
when the headteacher is a subject — and the gap is an alert. Nothing is routed to nobody.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from incidents.reports.models import (
    ROUTE_ROLES,
    TECHNICAL_CATEGORIES,
    Category,
    Incident,
    PersonKind,
    Route,
)
from socialgov.people.models import Membership, User
from socialgov.people.roles import Role

CATEGORY_ROUTES: dict[str, str] = {
    Category.INAPPROPRIATE_CONTENT: Route.ICT,
    Category.FILTER_BYPASS: Route.ICT,
    Category.CYBERBULLYING: Route.DSL,
    Category.PUPIL_BEHAVIOUR: Route.DSL,
    Category.SAFEGUARDING: Route.DSL,
    Category.MISINFORMATION: Route.DSL,
    Category.OTHER: Route.DSL,
    Category.PERSONAL_CONTACT: Route.DSL_AND_HEAD,
    Category.ABUSIVE_POST: Route.HEAD_AND_SLT,
    Category.ACCOUNT_COMMENT: Route.HEAD_AND_SLT,
    Category.PARENT_CONDUCT: Route.HEAD_AND_SLT,
    Category.IMAGE_WITHOUT_CONSENT: Route.HEAD_AND_DPO,
    Category.STAFF_CONDUCT: Route.CASE_MANAGER_HEAD,
}

# Who receives an incident whose group is empty, in order (subjects always skipped).
FALLBACK_CHAIN = (
    Role.HEADTEACHER,
    Role.CHAIR_OF_GOVERNORS,
    Role.SAFEGUARDING_GOVERNOR,
    Role.DEPUTY_HEADTEACHER,
    Role.DSL,
    Role.DEPUTY_DSL,
)
ROUTABLE_ROLES = frozenset().union(*ROUTE_ROLES.values(), FALLBACK_CHAIN)


@dataclass(frozen=True)
class Routing:
    route: str
    fallback_role: str  # "" when the group itself receives it
    recipients: tuple[User, ...]  # who may now handle it (the routed roles' holders, no subjects)

    @property
    def is_gap(self) -> bool:
        return bool(self.fallback_role)

    @property
    def roles(self) -> frozenset[str]:
        return frozenset({self.fallback_role}) if self.fallback_role else ROUTE_ROLES[self.route]


def route_for(*, category: str, pupil_involved: bool, staff_subject: bool, head_is_subject: bool):
    """The group for a category (the table above), before looking at who holds the roles."""
    if staff_subject or category == Category.STAFF_CONDUCT:
        return Route.CASE_MANAGER_CHAIR if head_is_subject else Route.CASE_MANAGER_HEAD
    if category in TECHNICAL_CATEGORIES and pupil_involved:
        return Route.ICT_AND_DSL
    return CATEGORY_ROUTES[category]


def _holders_by_role(school, *, excluded_ids: set[int]) -> dict[str, list[User]]:
    """Current holders of every routable role in the school, subjects left out (two queries)."""
    memberships = (
        Membership.objects.current()
        .filter(school=school, roles__role__in=ROUTABLE_ROLES, user__is_active=True)
        .exclude(user_id__in=excluded_ids)
        .select_related("user")
        .prefetch_related("roles")
        .distinct()
        .order_by("user__full_name", "pk")
    )
    by_role: dict[str, list[User]] = {}
    for membership in memberships:
        for role in membership.role_names & ROUTABLE_ROLES:
            by_role.setdefault(role, []).append(membership.user)
    return by_role


def _people(by_role: dict[str, list[User]], roles: Iterable[str]) -> tuple[User, ...]:
    people: dict[int, User] = {}
    for role in sorted(roles):
        for user in by_role.get(role, []):
            people.setdefault(user.pk, user)
    return tuple(people.values())


def decide(*, school, category: str, pupil_involved: bool, subject_ids: set[int]) -> Routing:
    """Where an incident of `school` goes now, and who receives it."""
    heads_now = set(
        Membership.objects.current()
        .filter(school=school, roles__role=Role.HEADTEACHER, user_id__in=subject_ids)
        .values_list("user_id", flat=True)
    )
    route = route_for(
        category=category,
        pupil_involved=pupil_involved,
        staff_subject=bool(subject_ids),
        head_is_subject=bool(heads_now),
    )
    by_role = _holders_by_role(school, excluded_ids=subject_ids)
    recipients = _people(by_role, ROUTE_ROLES[route])
    if recipients:
        return Routing(route=route, fallback_role="", recipients=recipients)
    for role in FALLBACK_CHAIN:
        fallback = _people(by_role, [role])
        if fallback:
            return Routing(route=route, fallback_role=role, recipients=fallback)
    # A school with nobody in any leading role: kept for the headteacher's role, alert raised.
    return Routing(route=route, fallback_role=Role.HEADTEACHER, recipients=())


def decide_for(incident: Incident, *, category: str | None = None) -> Routing:
    """`decide` for an existing incident, from the people named in it."""
    people = list(incident.people.all())
    return decide(
        school=incident.school,
        category=category or incident.category,
        pupil_involved=any(p.kind == PersonKind.PUPIL for p in people),
        subject_ids={p.staff_member_id for p in people if p.is_subject},
    )


def receivers_of(incident: Incident, *, holders: dict | None = None) -> list[User]:
    """Who handles the incident now: its routed roles' current holders and its handler, never a
    subject. `holders` (from `holders_by_school`) saves the look-up when there are many."""
    subject_ids = {p.staff_member_id for p in incident.people.all() if p.is_subject}
    if holders is None:
        by_role = _holders_by_role(incident.school, excluded_ids=subject_ids)
    else:
        by_role = {
            role: [u for u in users if u.pk not in subject_ids]
            for role, users in holders.get(incident.school_id, {}).items()
        }
    people = {u.pk: u for u in _people(by_role, incident.routed_roles)}
    if incident.handler_id and incident.handler_id not in subject_ids:
        people.setdefault(incident.handler_id, incident.handler)
    return list(people.values())


def holders_by_school(school_ids: Iterable[int]) -> dict[int, dict[str, list[User]]]:
    """Current holders of the routable roles of many schools at once (reminders; two queries)."""
    memberships = (
        Membership.objects.current()
        .filter(school_id__in=set(school_ids), roles__role__in=ROUTABLE_ROLES, user__is_active=True)
        .select_related("user")
        .prefetch_related("roles")
        .distinct()
        .order_by("user__full_name", "pk")
    )
    result: dict[int, dict[str, list[User]]] = {}
    for membership in memberships:
        by_role = result.setdefault(membership.school_id, {})
        for role in membership.role_names & ROUTABLE_ROLES:
            by_role.setdefault(role, []).append(membership.user)
    return result
