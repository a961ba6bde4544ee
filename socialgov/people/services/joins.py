"""Inviting someone who already has a login to join another school (issue 7, item 2).

The school's choice (staff group, roles, start date, job title) waits in a `JoinInvitation`;
the person is told (in the app and by e-mail) and the membership is made only when they accept,
signed in as themselves. Until then they are not on the school's people list and the school has
no say over their login.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from socialgov.people.models import INVITATION_VALID_DAYS, JoinInvitation, Membership, User
from socialgov.people.services.rules import lock_school

JOIN_VALID_DAYS = INVITATION_VALID_DAYS


def join_invitation_needed(user: User | None) -> bool:
    """An existing login that can already sign in: they are asked, never simply added."""
    return user is not None and user.has_usable_password()


def join_invitation_create(
    *,
    school,
    user: User,
    actor,
    staff_group: str,
    roles,
    start_date: dt.date,
    job_title: str = "",
) -> JoinInvitation:
    """Record the school's invitation (an open one for the same school with other terms is
    replaced) and tell the person once the caller's transaction commits. The same invitation
    again (a double submit) is the open one, unchanged: no second record, no second message.
    The caller has locked the school and checked the actor's rights."""
    from socialgov.notifications.services import notification_send

    now = timezone.now()
    roles = sorted(roles)
    open_ones = JoinInvitation.objects.select_for_update().filter(
        school=school,
        user=user,
        accepted_at__isnull=True,
        declined_at__isnull=True,
        withdrawn_at__isnull=True,
    )
    for old in open_ones:
        if old.is_usable() and (
            old.staff_group,
            sorted(old.roles),
            old.start_date,
            old.job_title,
        ) == (staff_group, roles, start_date, job_title):
            return old
        old.withdrawn_at = now
        old._history_user = actor
        old.save(update_fields=["withdrawn_at"])
    invitation = JoinInvitation(
        school=school,
        user=user,
        created_by=actor,
        created_at=now,
        expires_at=now + dt.timedelta(days=JOIN_VALID_DAYS),
        staff_group=staff_group,
        job_title=job_title,
        start_date=start_date,
        roles=roles,
    )
    invitation._history_user = actor
    invitation.full_clean()
    invitation.save()
    notification_send(
        recipient=user,
        kind="school_join_invitation",
        url=reverse("join_invitation", args=[invitation.pk]),
        context={"school_name": school.name, "valid_days": JOIN_VALID_DAYS},
    )
    return invitation


def _locked(invitation: JoinInvitation, actor) -> JoinInvitation:
    if invitation.user_id != getattr(actor, "pk", None):
        raise PermissionDenied
    lock_school(invitation.school)
    invitation = (
        JoinInvitation.objects.select_for_update()
        .select_related("school", "user", "created_by")
        .get(pk=invitation.pk)
    )
    if not invitation.is_usable():
        raise ValidationError("This invitation is no longer open.", code="closed")
    return invitation


@transaction.atomic
def join_invitation_accept(*, invitation: JoinInvitation, actor) -> Membership:
    """The person joins the school with the roles and details it chose. Twice (a double submit)
    joins once: the second finds the invitation closed."""
    from socialgov.people.services.memberships import membership_blocker, membership_join

    invitation = _locked(invitation, actor)
    blocker = membership_blocker(school=invitation.school, user=invitation.user)
    if blocker:
        raise ValidationError(blocker)
    membership = membership_join(
        school=invitation.school,
        user=invitation.user,
        actor=actor,
        staff_group=invitation.staff_group,
        roles=frozenset(invitation.roles),
        start_date=max(invitation.start_date, timezone.localdate()),
        job_title=invitation.job_title,
    )
    invitation.accepted_at = timezone.now()
    invitation._history_user = actor
    invitation.save(update_fields=["accepted_at"])
    return membership


@transaction.atomic
def join_invitation_decline(*, invitation: JoinInvitation, actor) -> JoinInvitation:
    invitation = _locked(invitation, actor)
    invitation.declined_at = timezone.now()
    invitation._history_user = actor
    invitation.save(update_fields=["declined_at"])
    return invitation
