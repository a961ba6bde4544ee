"""Who sees and does what with incident reports (DESIGN §3; issue 13). The one gateway: every
list, detail, search, count, dashboard panel, notification, history page, export and the access
log go through `incident_visible_to` / `incident_handling_visible_to` / `incident_get_for_user`.

- Nobody sees an incident in which they are a subject (a member of staff named as subject of
  concern or alleged perpetrator), wherever they are in the hierarchy: not as a handler, not as
  the headteacher, not as its reporter.
- Handling: the holders of the incident's routed roles in its school (routing.py decides the
  route; a fallback role replaces the group when it was empty) and its assigned handler.
- The reporter sees their own report's reference and status only (no handling notes).
- Everyone else — other staff, governors (they get anonymised counts in their reports), trust
  executives, other schools — sees nothing: 404.
Other apps' pages that refer to an incident (the official accounts' comments log) show it through
`incident_links_for`: its reference and link to someone who may open it, to anyone else only that
one was raised (no reference, no subject, no link).
Finer rules on top of handling: the ICT section (network manager or handler), the harm threshold
(the case manager), the imagery decision (the DSL team), the chronology PDF (handler or case
manager).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.urls import reverse

from incidents.reports.models import (
    ROUTE_ROLES,
    SUBJECT_ROLES,
    TECHNICAL_CATEGORIES,
    Incident,
    IncidentPerson,
    PersonKind,
)
from socialgov import access
from socialgov.people.roles import DSL_TEAM, Role

__all__ = [
    "can_complete_ict",
    "can_decide_imagery",
    "can_decide_threshold",
    "can_export_chronology",
    "can_handle",
    "incident_get_for_user",
    "IncidentLink",
    "incident_for_link",
    "incident_handling_visible_to",
    "incident_links_for",
    "incident_visible_to",
    "is_subject",
    "sees_as_reporter_only",
]


def _subject_of(user) -> QuerySet:
    """Ids of the incidents naming `user` as a subject (a subquery: no round trip)."""
    return IncidentPerson.objects.filter(
        staff_member=user, kind=PersonKind.STAFF, role__in=SUBJECT_ROLES
    ).values("incident_id")


def _routes_reaching(roles: frozenset[str]) -> list[str]:
    return [route for route, route_roles in ROUTE_ROLES.items() if route_roles & roles]


def _handling(user) -> Q:
    """Incidents routed to one of the person's roles in that school, or assigned to them."""
    condition = Q(pk__in=[])
    for membership in access.current_memberships(user):
        roles = membership.role_names
        routed = Q(fallback_role="", route__in=_routes_reaching(roles)) | Q(
            fallback_role__in=sorted(roles)
        )
        condition |= Q(school_id=membership.school_id) & (routed | Q(handler=user))
    return condition


def incident_handling_visible_to(user) -> QuerySet[Incident]:
    """The incidents the person handles or may handle: lists, counts, search, panels, exports."""
    if not getattr(user, "is_authenticated", False):
        return Incident.objects.none()
    return Incident.objects.filter(_handling(user)).exclude(pk__in=_subject_of(user))


def incident_visible_to(user) -> QuerySet[Incident]:
    """Every incident the person may open at all: those they handle, and their own reports
    (reference and status only). Never one in which they are a subject."""
    if not getattr(user, "is_authenticated", False):
        return Incident.objects.none()
    own = Q(reporter=user, school_id__in=access.member_school_ids(user))
    return Incident.objects.filter(_handling(user) | own).exclude(pk__in=_subject_of(user))


def incident_get_for_user(user, pk, *, write: bool = False) -> Incident:
    """One incident: 404 when the person may not see it (outside their schools, a subject, not
    theirs to handle); with `write`, 403 when they see it only as its reporter."""
    incident = access.get_visible_or_404(
        incident_visible_to(user).select_related("school", "handler", "reporter"), pk
    )
    if write:
        access.require_write(can_handle(user, incident))
    return incident


@dataclass(frozen=True)
class IncidentLink:
    """What another app's page may show of an incident it refers to: its reference and address
    for someone who may open it; for anyone else only that one was raised."""

    reference: str = ""
    url: str = ""

    @property
    def visible(self) -> bool:
        return bool(self.url)


def incident_links_for(user, incident_ids: Iterable[int | None]) -> dict[int, IncidentLink]:
    """incident id → what `user` may see of it (one query, whatever the number of ids)."""
    ids = {pk for pk in incident_ids if pk}
    if not ids:
        return {}
    visible = dict(incident_visible_to(user).filter(pk__in=ids).values_list("pk", "reference"))
    return {
        pk: (
            IncidentLink(visible[pk], reverse("incident_detail", args=[pk]))
            if pk in visible
            else IncidentLink()
        )
        for pk in ids
    }


def incident_for_link(user, school, reference: str) -> int | None:
    """The id of the incident of `school` with this reference, when `user` may open it (another
    app links to an incident only its user can see); None otherwise."""
    return (
        incident_visible_to(user)
        .filter(school_id=getattr(school, "pk", school), reference__iexact=reference.strip())
        .values_list("pk", flat=True)
        .first()
    )


def is_subject(user, incident: Incident) -> bool:
    return IncidentPerson.objects.filter(
        incident=incident, staff_member=user, kind=PersonKind.STAFF, role__in=SUBJECT_ROLES
    ).exists()


def _holds_routed_role(user, incident: Incident) -> bool:
    return bool(access.roles_in(user, incident.school_id) & incident.routed_roles)


def can_handle(user, incident: Incident) -> bool:
    """Handles it: holds one of its routed roles in its school, or is its handler — and is not a
    subject of it (checked here too, not only by the gateway)."""
    if access.membership_in(user, incident.school_id) is None:
        return False
    allowed = incident.handler_id == user.pk or _holds_routed_role(user, incident)
    return allowed and not is_subject(user, incident)


def sees_as_reporter_only(user, incident: Incident) -> bool:
    """The person opening it is its reporter and not one of its handlers."""
    return incident.reporter_id == user.pk and not can_handle(user, incident)


def can_complete_ict(user, incident: Incident) -> bool:
    """The ICT action section of a technical incident: the network manager, or its handler."""
    technical = {incident.category, incident.category_reported} & TECHNICAL_CATEGORIES
    if not technical or not can_handle(user, incident):
        return False
    return incident.handler_id == user.pk or access.has_role(
        user, incident.school_id, Role.NETWORK_MANAGER
    )


def can_decide_threshold(user, incident: Incident) -> bool:
    """The harm threshold of a staff-conduct concern: its case manager (the headteacher, or the
    chair when the headteacher is a subject; whoever it fell back to when nobody was there)."""
    return (
        incident.is_staff_conduct
        and _holds_routed_role(user, incident)
        and can_handle(user, incident)
    )


def can_decide_imagery(user, incident: Incident) -> bool:
    """Whether anyone views nude or semi-nude imagery: the DSL team only (or whoever it fell back
    to when the school had no DSL)."""
    if not incident.takes_no_imagery or not can_handle(user, incident):
        return False
    roles = access.roles_in(user, incident.school_id)
    return bool(roles & DSL_TEAM) or (
        bool(incident.fallback_role) and incident.fallback_role in roles
    )


def can_export_chronology(user, incident: Incident) -> bool:
    """The chronology PDF for the LADO or the police: its handler or its case manager."""
    if not can_handle(user, incident):
        return False
    return incident.handler_id == user.pk or (
        incident.is_staff_conduct and _holds_routed_role(user, incident)
    )
