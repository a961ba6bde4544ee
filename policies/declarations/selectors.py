"""Reads of declarations and policy exceptions, always through the gateway (access.py)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from policies.declarations import access as declaration_access
from policies.declarations.models import (
    Declaration,
    DeclarationConfirmation,
    DeclarationDecision,
    DeclarationStatus,
    ExceptionStatus,
    PolicyException,
)
from socialgov.people.models import Membership
from socialgov.people.roles import StaffGroup
from socialgov.terms.selectors import academic_year_of

__all__ = [
    "CONFIRMING_GROUPS",
    "DECLARATION_FILTERS",
    "ENDING_WITHIN_DAYS",
    "EXCEPTION_FILTERS",
    "confirmation_for",
    "declaration_decisions",
    "declaration_waiting_counts",
    "declarations_for_list",
    "declarations_of",
    "exception_waiting_counts",
    "exceptions_for_register",
    "needs_confirmation",
    "staff_without_confirmation",
]

# Staff confirm their declarations once a year; governors and visitors are not asked.
CONFIRMING_GROUPS = (
    StaffGroup.TEACHER,
    StaffGroup.SUPPORT,
    StaffGroup.VOLUNTEER,
    StaffGroup.CONTRACTOR,
)
ENDING_WITHIN_DAYS = 30

DECLARATION_FILTERS = {
    "open": "Still apply",
    "awaiting": "Waiting for a decision",
    "review": "Due for review",
    "ended": "No longer apply",
    "all": "All",
}


def declarations_of(user, school) -> QuerySet[Declaration]:
    """The person's own declarations at the school, newest first."""
    return declaration_access.declaration_visible_to(user).filter(school=school, declarer=user)


def declarations_for_list(user, school, *, show: str, on: dt.date) -> QuerySet[Declaration]:
    """Every declaration of the school the person may see (the headteacher and the DSL team:
    all; anyone else: their own), filtered; declarers loaded with them."""
    declarations = (
        declaration_access.declaration_visible_to(user)
        .filter(school=school)
        .select_related("declarer", "pupil")
    )
    if show == "awaiting":
        declarations = declarations.filter(status=DeclarationStatus.AWAITING)
    elif show == "review":
        declarations = declarations.filter(status=DeclarationStatus.DECIDED, review_on__lte=on)
    elif show == "ended":
        declarations = declarations.filter(status=DeclarationStatus.ENDED)
    elif show != "all":
        declarations = declarations.exclude(status=DeclarationStatus.ENDED)
    return declarations.order_by("-declared_at", "-pk")


def declaration_decisions(declaration: Declaration) -> QuerySet[DeclarationDecision]:
    """The decisions on a declaration (the caller opened it through the gateway), latest first."""
    return declaration.decisions.select_related("decided_by").order_by("-sequence")


def declaration_waiting_counts(membership, on: dt.date) -> dict[str, int]:
    """What waits for the person among declarations at one school (one query): to decide (not
    their own) and due for review."""
    user = membership.user
    if not (membership.role_names & declaration_access.DECIDERS):
        return {"awaiting": 0, "review": 0}
    return (
        declaration_access.declaration_visible_to(user)
        .filter(school_id=membership.school_id)
        .exclude(declarer=user)
        .aggregate(
            awaiting=Count("pk", filter=Q(status=DeclarationStatus.AWAITING)),
            review=Count("pk", filter=Q(status=DeclarationStatus.DECIDED, review_on__lte=on)),
        )
    )


def confirmation_for(school, person, on: dt.date) -> DeclarationConfirmation | None:
    return DeclarationConfirmation.objects.filter(
        school=school, person=person, academic_year=academic_year_of(on)
    ).first()


def needs_confirmation(membership, on: dt.date) -> bool:
    """The yearly prompt: staff (not governors or visitors) who have not answered this academic
    year (one query)."""
    if membership.staff_group not in CONFIRMING_GROUPS:
        return False
    return not DeclarationConfirmation.objects.filter(
        school_id=membership.school_id,
        person_id=membership.user_id,
        academic_year=academic_year_of(on),
    ).exists()


def staff_without_confirmation(school_ids, on: dt.date) -> QuerySet[Membership]:
    """Current staff memberships (of `school_ids`) with no answer this academic year."""
    answered = DeclarationConfirmation.objects.filter(
        academic_year=academic_year_of(on),
        school_id=OuterRef("school_id"),
        person_id=OuterRef("user_id"),
    )
    return (
        Membership.objects.current(on)
        .filter(
            school_id__in=list(school_ids),
            staff_group__in=CONFIRMING_GROUPS,
            user__is_active=True,
        )
        .exclude(Exists(answered))
        .select_related("user", "school")
    )


EXCEPTION_FILTERS = {
    "current": "In force",
    "requested": "Waiting for approval",
    "ending": f"Ending within {ENDING_WITHIN_DAYS} days",
    "expired": "Expired or ended",
    "declined": "Declined",
    "all": "All",
}


def exceptions_for_register(user, school, *, show: str, on: dt.date) -> QuerySet[PolicyException]:
    exceptions = (
        declaration_access.exception_visible_to(user)
        .filter(school=school)
        .select_related("policy", "requested_by", "decided_by")
    )
    approved = Q(status=ExceptionStatus.APPROVED)
    # A request for someone who has since left ended unanswered: it waits for nobody.
    ended_request = Q(status=ExceptionStatus.REQUESTED, ended_early_because__gt="", ends_on__lte=on)
    if show == "requested":
        exceptions = exceptions.filter(status=ExceptionStatus.REQUESTED).exclude(ended_request)
    elif show == "ending":
        exceptions = exceptions.filter(
            approved,
            ends_on__gt=on,
            ends_on__lte=on + dt.timedelta(days=ENDING_WITHIN_DAYS),
        )
    elif show == "expired":
        exceptions = exceptions.filter((approved & Q(ends_on__lte=on)) | ended_request)
    elif show == "declined":
        exceptions = exceptions.filter(status=ExceptionStatus.DECLINED)
    elif show != "all":
        exceptions = exceptions.filter(approved, ends_on__gt=on)
    return exceptions.order_by("ends_on", "pk")


def exception_waiting_counts(membership, on: dt.date) -> dict[str, int]:
    """What waits for the person among exceptions at one school (one query): approvals to give
    (not their own requests), and exceptions ending soon (for the headteacher: all; for others:
    the ones they asked for)."""
    user = membership.user
    roles = membership.role_names
    visible = declaration_access.exception_visible_to(user).filter(school_id=membership.school_id)
    approver = bool(roles & declaration_access.EXCEPTION_APPROVERS)
    stand_in = bool(roles & declaration_access.EXCEPTION_STAND_IN)
    to_approve = Q(pk__in=[])
    ended = Q(ended_early_because__gt="", ends_on__lte=on)
    if approver:
        to_approve = Q(status=ExceptionStatus.REQUESTED) & ~Q(requested_by=user)
    elif stand_in:
        to_approve = (
            Q(status=ExceptionStatus.REQUESTED)
            & ~Q(requested_by=user)
            & Q(
                requested_by__memberships__school_id=membership.school_id,
                requested_by__memberships__roles__role="headteacher",
            )
        )
    to_approve &= ~ended
    ending = Q(
        status=ExceptionStatus.APPROVED,
        ends_on__gt=on,
        ends_on__lte=on + dt.timedelta(days=ENDING_WITHIN_DAYS),
    )
    if not approver:
        ending &= Q(requested_by=user)
    return visible.aggregate(
        approve=Count("pk", filter=to_approve, distinct=True),
        ending=Count("pk", filter=ending, distinct=True),
    )
