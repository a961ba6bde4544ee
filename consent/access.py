"""Access gateway for the consent register (DESIGN §3): one place for who sees and does what.

- The register (pupils, decisions with who gave them and their evidence, the grid, gaps, the
  chronology, exports, the class sheet): read by the office, the DPO, the headteacher and deputy,
  the DSL team and the SLT; written (pupils, decisions, bulk entry, the import) by the office and
  the DPO.
- Purposes and the school's consent settings: changed by the headteacher and the DPO; read by
  everyone who reads the register or looks up.
- Competence assessments: recorded by the office, the DPO, the headteacher and the DSL team.
- Photo restrictions: set and lifted by the DSL team and the headteacher, who alone see the
  reason. Everyone else sees "may not appear — speak to the DSL".
- The lookup (may these pupils appear for this purpose? yes, or no and why): every member of
  staff — anyone in the school with a role that is not only a governance one. It shows pupils'
  names and classes, never parents' details, evidence or a restriction's reason.
- Governors (and the clerk) see counts only.
Outside the person's schools everything is a 404; inside, a page their role does not open is a 403.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from consent.models import ConsentDecision, PhotoRestriction, Pupil, Purpose
from socialgov import access
from socialgov.people.roles import DSL_TEAM, GOVERNANCE, Role

REGISTER_WRITERS = frozenset({Role.OFFICE, Role.DPO})
REGISTER_READERS = REGISTER_WRITERS | frozenset(
    {Role.HEADTEACHER, Role.DEPUTY_HEADTEACHER, Role.SLT} | DSL_TEAM
)
PURPOSE_EDITORS = frozenset({Role.HEADTEACHER, Role.DPO})
COMPETENCE_RECORDERS = REGISTER_WRITERS | frozenset({Role.HEADTEACHER}) | DSL_TEAM
RESTRICTION_SETTERS = frozenset({Role.HEADTEACHER}) | DSL_TEAM
# Who is asked (notified, and shown on their dashboard) when a pupil's own decision waits for a
# competence assessment.
COMPETENCE_ASKED = frozenset({Role.HEADTEACHER}) | DSL_TEAM
LOOKUP_ROLES = frozenset(set(Role) - GOVERNANCE)
COUNT_READERS = REGISTER_READERS | GOVERNANCE


def _schools_where(user, roles) -> list[int]:
    return [m.school_id for m in access.current_memberships(user) if m.role_names & roles]


def can_read_register(user, school) -> bool:
    return access.has_role(user, school, *REGISTER_READERS)


def can_write_register(user, school) -> bool:
    return access.has_role(user, school, *REGISTER_WRITERS)


def can_edit_purposes(user, school) -> bool:
    return access.has_role(user, school, *PURPOSE_EDITORS)


def can_record_competence(user, school) -> bool:
    return access.has_role(user, school, *COMPETENCE_RECORDERS)


def can_set_restriction(user, school) -> bool:
    return access.has_role(user, school, *RESTRICTION_SETTERS)


def can_see_restriction_reason(user, school) -> bool:
    """Only the DSL team and the headteacher know why a pupil may not appear."""
    return access.has_role(user, school, *RESTRICTION_SETTERS)


def can_look_up(user, school) -> bool:
    return access.has_role(user, school, *LOOKUP_ROLES)


def can_see_counts(user, school) -> bool:
    return access.has_role(user, school, *COUNT_READERS)


# --- Pupils ----------------------------------------------------------------------------------


def pupil_visible_to(user) -> QuerySet[Pupil]:
    """Pupils whose register the person may read (their schools where they read the register)."""
    return Pupil.objects.filter(school_id__in=_schools_where(user, REGISTER_READERS))


def pupil_lookup_visible_to(user) -> QuerySet[Pupil]:
    """Pupils the person may look up (names and classes only): their schools where they are
    staff. Official posts pick the pupils shown from this."""
    return Pupil.objects.filter(school_id__in=_schools_where(user, LOOKUP_ROLES))


def pupil_get_for_user(user, pk, *, write: bool = False) -> Pupil:
    """A pupil of one of the person's schools (else 404); 403 unless they read the register
    there (write: unless they write it)."""
    pupil = access.get_visible_or_404(
        Pupil.objects.filter(school_id__in=access.member_school_ids(user)).select_related("school"),
        pk,
    )
    access.require_write(can_read_register(user, pupil.school))
    if write:
        access.require_write(can_write_register(user, pupil.school))
    return pupil


def pupil_get_for_competence(user, pk) -> Pupil:
    pupil = pupil_get_for_user(user, pk)
    access.require_write(can_record_competence(user, pupil.school))
    return pupil


def pupil_get_for_restriction(user, pk) -> Pupil:
    """A pupil whose photo restriction the person may set (DSL team and headteacher)."""
    pupil = access.get_visible_or_404(
        Pupil.objects.filter(school_id__in=access.member_school_ids(user)).select_related("school"),
        pk,
    )
    access.require_write(can_set_restriction(user, pupil.school))
    return pupil


# --- Decisions and their evidence ------------------------------------------------------------


def decision_visible_to(user) -> QuerySet[ConsentDecision]:
    """Decisions (who gave them, how, the evidence) of the schools where the person reads the
    register."""
    return ConsentDecision.objects.filter(school_id__in=_schools_where(user, REGISTER_READERS))


def decision_get_for_user(user, pk, *, write: bool = False) -> ConsentDecision:
    decision = access.get_visible_or_404(
        ConsentDecision.objects.filter(school_id__in=access.member_school_ids(user)).select_related(
            "school", "pupil", "purpose", "carer", "evidence", "recorded_by"
        ),
        pk,
    )
    access.require_write(can_read_register(user, decision.school))
    if write:
        access.require_write(can_write_register(user, decision.school))
    return decision


# --- Restrictions ----------------------------------------------------------------------------


def restriction_visible_to(user) -> QuerySet[PhotoRestriction]:
    """Restrictions with their reasons: the DSL team's and headteacher's schools only."""
    return PhotoRestriction.objects.filter(school_id__in=_schools_where(user, RESTRICTION_SETTERS))


def restriction_get_for_user(user, pk) -> PhotoRestriction:
    restriction = access.get_visible_or_404(
        PhotoRestriction.objects.filter(
            school_id__in=access.member_school_ids(user)
        ).select_related("school", "pupil", "set_by", "lifted_by"),
        pk,
    )
    access.require_write(can_see_restriction_reason(user, restriction.school))
    return restriction


# --- Purposes --------------------------------------------------------------------------------


def purpose_visible_to(user) -> QuerySet[Purpose]:
    """Purposes of the person's schools (what they are is no secret: staff look them up)."""
    return Purpose.objects.filter(school_id__in=access.member_school_ids(user))


def purpose_get_for_user(user, pk, *, write: bool = False) -> Purpose:
    purpose = access.get_visible_or_404(purpose_visible_to(user).select_related("school"), pk)
    if write:
        access.require_write(can_edit_purposes(user, purpose.school))
    return purpose


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied
