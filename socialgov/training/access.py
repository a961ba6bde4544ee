"""Who sees and keeps the training log (issue 15). The one gateway: lists, pages, counts,
panels, exports and history go through it.

- Keepers (headteacher, deputy headteacher, DSL team, SLT, office): every session of their
  school and who attended, coverage with names, recording and importing attendance, exports.
- Everyone sees their own training record (the sessions they attended), in each current school.
- Nobody else sees anything; another school's sessions are a 404.
"""

from __future__ import annotations

from django.db.models import QuerySet

from socialgov import access
from socialgov.people.roles import Role
from socialgov.training.models import TrainingAttendance, TrainingSession

__all__ = [
    "KEEPERS",
    "SETTINGS_EDITORS",
    "attendance_visible_to",
    "can_keep",
    "session_get_for_user",
    "session_visible_to",
]

KEEPERS = frozenset(
    {
        Role.HEADTEACHER,
        Role.DEPUTY_HEADTEACHER,
        Role.DSL,
        Role.DEPUTY_DSL,
        Role.SLT,
        Role.OFFICE,
    }
)
SETTINGS_EDITORS = frozenset({Role.HEADTEACHER})


def _schools_where(user, roles) -> list[int]:
    return [m.school_id for m in access.current_memberships(user) if m.role_names & roles]


def can_keep(user, school) -> bool:
    return access.has_role(user, school, *KEEPERS)


def session_visible_to(user) -> QuerySet[TrainingSession]:
    """The sessions of the schools where the person keeps the log."""
    if not getattr(user, "is_authenticated", False):
        return TrainingSession.objects.none()
    return TrainingSession.objects.filter(school_id__in=_schools_where(user, KEEPERS))


def session_get_for_user(user, pk) -> TrainingSession:
    """One session (404 outside the schools where the person keeps the log)."""
    return access.get_visible_or_404(
        session_visible_to(user).select_related("school", "created_by"), pk
    )


def attendance_visible_to(user) -> QuerySet[TrainingAttendance]:
    """Attendance the person may see: all of the schools where they keep the log, and their own
    in their current schools."""
    if not getattr(user, "is_authenticated", False):
        return TrainingAttendance.objects.none()
    from django.db.models import Q

    return TrainingAttendance.objects.filter(
        Q(school_id__in=_schools_where(user, KEEPERS))
        | Q(person=user, school_id__in=access.member_school_ids(user))
    )
