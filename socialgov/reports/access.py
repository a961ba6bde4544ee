"""Who may see governors' reports and the trust roll-up (DESIGN §3: deny by default).

- A school's report: its governors (governor, chair, safeguarding governor, clerk), its
  headteacher and deputy, and its DSL team; and the executives of the school's trust (the
  roll-up's drill-down). Any other member of the school is refused (403); anyone else gets 404.
- Kept reports (generated PDFs): seen by whoever sees the school's report; kept (generated) by
  the school's members who see reports (not by trust executives, who read them).
- The trust roll-up: the trust's executives (trust executive and trust DSL) only; 404 for
  everyone else, other trusts' executives included.
The reports hold counts only, never names: no list of people is reachable from them.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from socialgov import access
from socialgov.people.models import School, Trust
from socialgov.people.roles import GOVERNANCE, Role, TrustRole
from socialgov.reports.models import GeneratedReport

REPORT_ROLES = GOVERNANCE | {Role.HEADTEACHER, Role.DEPUTY_HEADTEACHER, Role.DSL, Role.DEPUTY_DSL}
ROLLUP_ROLES = frozenset({TrustRole.TRUST_EXECUTIVE, TrustRole.TRUST_DSL})


def rollup_trust_ids(user) -> set[int]:
    """The trusts whose roll-up the person sees."""
    return {m.trust_id for m in access.current_trust_memberships(user) if m.role in ROLLUP_ROLES}


def sees_a_trust_rollup(request) -> bool:
    """The menu entry: the person is an executive of some trust."""
    return bool(rollup_trust_ids(request.user))


def can_see_report(user, school: School) -> bool:
    if access.has_role(user, school, *REPORT_ROLES):
        return True
    return school.trust_id is not None and school.trust_id in rollup_trust_ids(user)


def report_school_get_for_user(user, pk) -> School:
    """The school whose report the person asks for: 404 outside their schools and trust, 403
    for a member of the school who does not see reports."""
    try:
        school = School.objects.select_related("trust").get(pk=int(pk))
    except (School.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if can_see_report(user, school):
        return school
    if access.membership_in(user, school) is not None:
        raise PermissionDenied
    raise Http404


def rollup_trust_get_for_user(user, pk) -> Trust:
    """A trust whose roll-up the person sees, or 404."""
    try:
        trust_id = int(pk)
    except (ValueError, TypeError):
        raise Http404 from None
    if trust_id not in rollup_trust_ids(user):
        raise Http404
    return Trust.objects.get(pk=trust_id)


def can_keep_report(user, school: School) -> bool:
    return access.has_role(user, school, *REPORT_ROLES)


def generated_report_visible_to(user) -> QuerySet[GeneratedReport]:
    """Kept reports of the schools whose report the person sees."""
    school_ids = [
        m.school_id for m in access.current_memberships(user) if m.role_names & REPORT_ROLES
    ]
    return GeneratedReport.objects.filter(
        Q(school_id__in=school_ids) | Q(school__trust_id__in=rollup_trust_ids(user))
    )


def generated_report_get_for_user(user, pk) -> GeneratedReport:
    return access.get_visible_or_404(
        generated_report_visible_to(user).select_related("school", "pdf"), pk
    )
