"""People joining a school, changing roles and leaving."""

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from socialgov.dates import today
from socialgov.people.access import may_manage
from socialgov.people.leavers import MembershipChange, leaver_listeners_call
from socialgov.people.models import (
    Invitation,
    JoinInvitation,
    Membership,
    MembershipRole,
    School,
    User,
)
from socialgov.people.roles import Role
from socialgov.people.selectors import headteacher_gap_after
from socialgov.people.services.invitations import (
    invitation_create,
    invitation_emails_queue,
)
from socialgov.people.services.joins import join_invitation_create, join_invitation_needed
from socialgov.people.services.rules import (
    clean_roles,
    clean_staff_group,
    headteacher_gap_message,
    lock_school,
    manager_roles,
    role_change_problem,
    roles_set,
)
from socialgov.people.services.sessions import has_current_access, user_sessions_end


def _user_for_email(*, email: str, full_name: str, actor) -> tuple[User, bool]:
    """The one login of the person with this e-mail address, created (no password) if new."""
    user = User.objects.filter(email__iexact=email).first()
    if user is not None:
        return user, False
    user = User(email=email, full_name=full_name)
    user.set_unusable_password()
    user._history_user = actor
    user.full_clean()
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        # Another school invited the same new person at the same moment: use that login.
        return User.objects.get(email__iexact=email), False
    return user, True


def _clean_person(*, full_name: str, email: str) -> tuple[str, str]:
    full_name = " ".join((full_name or "").split())
    email = (email or "").strip().lower()
    errors = {}
    if not full_name:
        errors["full_name"] = "Enter the person's full name."
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = "Enter an e-mail address like name@example-school.org.uk."
    if errors:
        raise ValidationError(errors)
    return full_name, email


def membership_blocker(*, school: School, user: User | None) -> str | None:
    """Why this person cannot join `school` now (already a member, switched off), or None."""
    if user is None:
        return None
    if not user.is_active:
        return (
            "The account with this e-mail address is switched off. Ask the people who run "
            "SocialGov to switch it back on."
        )
    existing = Membership.objects.filter(school=school, user=user).first()
    if existing is not None and (existing.leaving_date is None or existing.leaving_date > today()):
        return f"{user.full_name} is already on the people list of this school."
    return None


def membership_join(
    *,
    school: School,
    user: User,
    actor,
    staff_group: str,
    roles: frozenset[str],
    start_date: dt.date,
    job_title: str,
) -> Membership:
    """Create the membership, or re-join a former member (their old records stay theirs)."""
    membership = Membership.objects.select_for_update().filter(school=school, user=user).first()
    if membership is None:
        membership = Membership(school=school, user=user)
    membership.staff_group = staff_group
    membership.job_title = job_title
    membership.start_date = start_date
    membership.leaving_date = None
    membership.leaving_reason = ""
    membership._history_user = actor
    membership.full_clean()
    membership.save()
    roles_set(membership=membership, roles=roles, actor=actor)
    return membership


@transaction.atomic
def membership_invite(
    *,
    school: School,
    actor,
    full_name: str,
    email: str,
    staff_group: str,
    roles: Iterable[str],
    start_date: dt.date,
    job_title: str = "",
) -> Membership | JoinInvitation:
    """Add a person to a school: a new login (or the one they have but never used), membership,
    roles and an invitation link to choose a password. Someone who can already sign in (a login
    of another school) is not added: they are invited to join and the membership is made when
    they accept (a JoinInvitation is returned instead)."""
    membership, invitation = membership_add(
        school=school,
        actor=actor,
        full_name=full_name,
        email=email,
        staff_group=staff_group,
        roles=roles,
        start_date=start_date,
        job_title=job_title,
    )
    if invitation is not None:
        invitation_emails_queue([invitation.pk])
    return membership


@transaction.atomic
def membership_add(
    *,
    school: School,
    actor,
    full_name: str,
    email: str,
    staff_group: str,
    roles: Iterable[str],
    start_date: dt.date,
    job_title: str = "",
) -> tuple[Membership | JoinInvitation, Invitation | None]:
    """`membership_invite` without sending: returns the invitation (if one was made) for the
    caller to e-mail after commit."""
    school = lock_school(school)
    actor_roles = manager_roles(actor, school)
    full_name, email = _clean_person(full_name=full_name, email=email)
    staff_group = clean_staff_group(staff_group)
    chosen = clean_roles(roles)
    problem = role_change_problem(actor_roles=actor_roles, old_roles=frozenset(), new_roles=chosen)
    if problem:
        raise ValidationError({"roles": problem})
    existing = User.objects.filter(email__iexact=email).first()
    blocker = membership_blocker(school=school, user=existing)
    if blocker:
        raise ValidationError({"email": blocker})
    if join_invitation_needed(existing):
        assert existing is not None
        return (
            join_invitation_create(
                school=school,
                user=existing,
                actor=actor,
                staff_group=staff_group,
                roles=chosen,
                start_date=start_date,
                job_title=" ".join((job_title or "").split()),
            ),
            None,
        )
    user, _ = _user_for_email(email=email, full_name=full_name, actor=actor)
    membership = membership_join(
        school=school,
        user=user,
        actor=actor,
        staff_group=staff_group,
        roles=chosen,
        start_date=start_date,
        job_title=" ".join((job_title or "").split()),
    )
    return membership, _welcome(membership=membership, actor=actor)


def _welcome(*, membership: Membership, actor) -> Invitation | None:
    """Invite someone with no password yet (the invitation to e-mail); notify someone who can
    already sign in."""
    if membership.user.has_usable_password():
        from socialgov.notifications.services import notification_send

        notification_send(
            recipient=membership.user,
            kind="school_joined",
            url=reverse("dashboard"),
            school=membership.school,
            context={"school_name": membership.school.name},
        )
        return None
    invitation, _ = invitation_create(membership=membership, actor=actor)
    return invitation


def _membership_locked(membership: Membership) -> Membership:
    return (
        Membership.objects.select_for_update()
        .select_related("user", "school")
        .get(pk=membership.pk)
    )


@transaction.atomic
def membership_update(
    *,
    membership: Membership,
    actor,
    roles: Iterable[str],
    staff_group: str,
    job_title: str = "",
) -> Membership:
    """Change a person's roles, staff group and job title in one school."""
    school = lock_school(membership.school)
    actor_roles = manager_roles(actor, school)
    membership = _membership_locked(membership)
    chosen = clean_roles(roles)
    staff_group = clean_staff_group(staff_group)
    old_roles = frozenset(
        MembershipRole.objects.filter(membership=membership).values_list("role", flat=True)
    )
    if not may_manage(actor_roles=actor_roles, membership_roles=old_roles):
        raise PermissionDenied
    problem = role_change_problem(
        actor_roles=actor_roles,
        old_roles=old_roles,
        new_roles=chosen,
        headteacher_gap=headteacher_gap_after(school, losing={membership.pk: today()})
        if Role.HEADTEACHER in old_roles - chosen
        else None,
    )
    if problem:
        raise ValidationError({"roles": problem})
    membership.staff_group = staff_group
    membership.job_title = " ".join((job_title or "").split())
    membership._history_user = actor
    membership.full_clean()
    membership.save()
    roles_set(membership=membership, roles=chosen, actor=actor)
    leaver_listeners_call(
        MembershipChange(
            membership=membership, actor=actor, roles_removed=old_roles - chosen, leaving_date=None
        )
    )
    return membership


@transaction.atomic
def membership_end(
    *, membership: Membership, actor, leaving_date: dt.date, reason: str = ""
) -> Membership:
    """Record a leaver: the membership ends at the start of `leaving_date` and nothing they
    recorded is deleted. When that is today or earlier and they have no other current
    membership, every session of theirs ends now; a future date just schedules it."""
    school = lock_school(membership.school)
    actor_roles = manager_roles(actor, school)
    membership = _membership_locked(membership)
    if membership.user_id == actor.pk:
        raise ValidationError("You cannot record yourself as a leaver. Ask the headteacher.")
    roles = frozenset(
        MembershipRole.objects.filter(membership=membership).values_list("role", flat=True)
    )
    if not may_manage(actor_roles=actor_roles, membership_roles=roles):
        raise PermissionDenied
    if membership.leaving_date is not None and membership.leaving_date <= today():
        raise ValidationError(
            f"{membership.user.full_name} left on {membership.leaving_date:%d/%m/%Y}."
        )
    if leaving_date < membership.start_date:
        raise ValidationError(
            {
                "leaving_date": "The leaving date cannot be before they started "
                f"({membership.start_date:%d/%m/%Y})."
            }
        )
    if Role.HEADTEACHER in roles:
        gap = headteacher_gap_after(school, losing={membership.pk: leaving_date})
        if gap is not None:
            raise ValidationError(headteacher_gap_message(gap, "before recording them as a leaver"))
    membership.leaving_date = leaving_date
    membership.leaving_reason = " ".join((reason or "").split())
    membership._history_user = actor
    membership.full_clean()
    membership.save()
    leaver_listeners_call(
        MembershipChange(
            membership=membership, actor=actor, roles_removed=roles, leaving_date=leaving_date
        )
    )
    if leaving_date <= today():
        now = timezone.now()
        for invitation in Invitation.objects.select_for_update().filter(
            membership=membership, accepted_at__isnull=True, withdrawn_at__isnull=True
        ):
            invitation.withdrawn_at = now
            invitation._history_user = actor
            invitation.save(update_fields=["withdrawn_at"])
        if not has_current_access(membership.user):
            user_sessions_end(user=membership.user)
    return membership
