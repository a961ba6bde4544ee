"""Who sees and does what with blocked-content requests and the filtering record (DESIGN §3;
issue 14). The one gateway: every list, detail, count, panel, notification, export and the PDF go
through these functions.

Blocked-content requests
- Any member of staff requests; they see their own requests (and each step's outcome).
- The network manager, the headteacher, the deputy headteacher and the DSL see every request of
  their school (the decision log).
- The network manager reviews, confirms the unblock and confirms the re-block.
- The headteacher or the deputy headteacher decides; nobody decides their own request.
Filtering and monitoring record
- Checks: seen and recorded by the network manager, the IT provider named for the school, the
  DSL team, the headteacher, the deputy headteacher and SLT.
- Reviews: seen by those, the SLT lead, and every governor (chair, safeguarding governor and clerk
  included); recorded by the headteacher, the deputy headteacher, SLT, the DSL and the named SLT
  lead.
- The named roles: seen by all of these; set by the headteacher.
Everyone else, and every other school: nothing (404).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from incidents.filtering.models import (
    FilteringCheck,
    FilteringReview,
    FilteringRoles,
    ReviewAction,
    UnblockRequest,
)
from socialgov import access
from socialgov.people.roles import GOVERNANCE, Role

__all__ = [
    "CHECK_ROLES",
    "DECIDERS",
    "LOG_ROLES",
    "REVIEW_READERS",
    "REVIEW_WRITERS",
    "can_confirm",
    "can_decide",
    "can_edit_roles",
    "can_mark_action_done",
    "can_record_check",
    "can_record_review",
    "can_review",
    "can_see_checks",
    "can_see_log",
    "can_see_reviews",
    "filtering_check_visible_to",
    "filtering_review_get_for_user",
    "filtering_review_visible_to",
    "review_action_get_for_user",
    "unblock_request_get_for_user",
    "unblock_request_visible_to",
]

DECIDERS = frozenset({Role.HEADTEACHER, Role.DEPUTY_HEADTEACHER})
LOG_ROLES = frozenset({*DECIDERS, Role.NETWORK_MANAGER, Role.DSL})
CHECK_ROLES = frozenset({*LOG_ROLES, Role.DEPUTY_DSL, Role.SLT})
REVIEW_WRITERS = frozenset({*DECIDERS, Role.SLT, Role.DSL})
REVIEW_READERS = frozenset({*CHECK_ROLES, *GOVERNANCE})


def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def _schools_with(user, roles: frozenset[str]) -> list[int]:
    return sorted(m.school_id for m in access.current_memberships(user) if m.role_names & roles)


def _named_schools(user, *fields: str) -> QuerySet:
    """Schools (of the person's current memberships) that name them in one of the roles `fields`
    (a subquery: no round trip)."""
    named = Q(pk__in=[])
    for field in fields:
        named |= Q(**{field: user})
    return FilteringRoles.objects.filter(
        named, school_id__in=sorted(access.member_school_ids(user))
    ).values("school_id")


def _is_named(user, school_id: int, *fields: str) -> bool:
    if access.membership_in(user, school_id) is None:
        return False
    return _named_schools(user, *fields).filter(school_id=school_id).exists()


# Blocked-content requests.


def unblock_request_visible_to(user) -> QuerySet[UnblockRequest]:
    """Every request the person may open: all of a school where they keep the log, and their own
    requests in their current schools."""
    if not _signed_in(user):
        return UnblockRequest.objects.none()
    own = Q(requester=user, school_id__in=sorted(access.member_school_ids(user)))
    return UnblockRequest.objects.filter(Q(school_id__in=_schools_with(user, LOG_ROLES)) | own)


def unblock_request_get_for_user(user, pk) -> UnblockRequest:
    """One request, or 404 when the person may not see it."""
    return access.get_visible_or_404(
        unblock_request_visible_to(user).select_related(
            "school", "requester", "reviewed_by", "decided_by", "unblocked_by", "reblocked_by"
        ),
        pk,
    )


def can_see_log(user, school) -> bool:
    """The school's decision log (every request and decision): LOG_ROLES."""
    return access.has_role(user, school, *LOG_ROLES)


def can_review(user, request: UnblockRequest) -> bool:
    """The technical review: the school's network manager."""
    return access.has_role(user, request.school_id, Role.NETWORK_MANAGER)


def can_decide(user, request: UnblockRequest) -> bool:
    """The decision: the headteacher or the deputy headteacher, never on their own request."""
    if request.requester_id == user.pk:
        return False
    return access.has_role(user, request.school_id, *DECIDERS)


def can_confirm(user, request: UnblockRequest) -> bool:
    """Confirming the unblock and the re-block: the school's network manager."""
    return access.has_role(user, request.school_id, Role.NETWORK_MANAGER)


# The filtering check log.


def can_see_checks(user, school) -> bool:
    school_id = getattr(school, "pk", school)
    return access.has_role(user, school_id, *CHECK_ROLES) or _is_named(
        user, school_id, "it_provider"
    )


def can_record_check(user, school) -> bool:
    """Whoever may see the check log records checks in it (the IT provider does most of them)."""
    return can_see_checks(user, school)


def filtering_check_visible_to(user) -> QuerySet[FilteringCheck]:
    if not _signed_in(user):
        return FilteringCheck.objects.none()
    return FilteringCheck.objects.filter(
        Q(school_id__in=_schools_with(user, CHECK_ROLES))
        | Q(school_id__in=_named_schools(user, "it_provider"))
    )


# Reviews and the named roles.


def can_see_reviews(user, school) -> bool:
    school_id = getattr(school, "pk", school)
    return access.has_role(user, school_id, *REVIEW_READERS) or _is_named(
        user, school_id, "it_provider", "slt_lead", "governor"
    )


def can_record_review(user, school) -> bool:
    school_id = getattr(school, "pk", school)
    return access.has_role(user, school_id, *REVIEW_WRITERS) or _is_named(
        user, school_id, "slt_lead"
    )


def can_edit_roles(user, school) -> bool:
    """Naming the SLT lead, governor and IT provider: the headteacher."""
    return access.has_role(user, school, Role.HEADTEACHER)


def filtering_review_visible_to(user) -> QuerySet[FilteringReview]:
    """Reviews of the schools where the person reads reviews or is named, and the reviews that
    give them an action (in their current schools): an owner sees what their action is for."""
    if not _signed_in(user):
        return FilteringReview.objects.none()
    owned = ReviewAction.objects.filter(owner=user).values("review_id")
    return FilteringReview.objects.filter(
        Q(school_id__in=_schools_with(user, REVIEW_READERS))
        | Q(school_id__in=_named_schools(user, "it_provider", "slt_lead", "governor"))
        | Q(pk__in=owned, school_id__in=sorted(access.member_school_ids(user)))
    )


def can_mark_action_done(user, action: ReviewAction, school_id: int) -> bool:
    """Marking a review's action done: its owner (while a member of the school), or whoever
    records the school's reviews."""
    if action.owner_id == user.pk and access.membership_in(user, school_id) is not None:
        return True
    return can_record_review(user, school_id)


def filtering_review_get_for_user(user, pk) -> FilteringReview:
    return access.get_visible_or_404(
        filtering_review_visible_to(user).select_related(
            "school", "slt_lead", "dsl", "it_provider", "governor", "recorded_by"
        ),
        pk,
    )


def review_action_get_for_user(user, pk) -> ReviewAction:
    """One action of a review the person may see, or 404."""
    return access.get_visible_or_404(
        ReviewAction.objects.filter(review__in=filtering_review_visible_to(user)).select_related(
            "review__school", "owner"
        ),
        pk,
    )
