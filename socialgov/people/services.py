"""Writes to schools and people. Keyword-only, acting person explicit, validated, atomic."""

import datetime as dt
import hashlib
import logging
import secrets
from collections.abc import Iterable
from importlib import import_module

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage, get_connection
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from socialgov.people.models import (
    INVITATION_VALID_DAYS,
    Invitation,
    Membership,
    MembershipRole,
    School,
    TrustMembership,
    User,
    today,
)
from socialgov.people.roles import PEOPLE_MANAGERS, PRIVILEGED_ROLES, Role, StaffGroup

logger = logging.getLogger(__name__)


@transaction.atomic
def school_update(*, school: School, actor, data: dict) -> School:
    """Change a school's details (headteacher); history records who changed what."""
    school = School.objects.select_for_update().get(pk=school.pk)
    for field, value in data.items():
        setattr(school, field, value)
    school._history_user = actor
    school.full_clean()
    school.save()
    return school


# --- People: invite, change, end -------------------------------------------------------------
#
# Who may do what (DESIGN §1, §3): the headteacher and the office keep the people list. Office
# staff may add people and give them the unprivileged roles (staff, governor); only the
# headteacher gives or takes away a privileged role (those needing two-factor), and only the
# headteacher changes or ends the membership of someone holding one — otherwise office staff
# could lock the headteacher or the DSL out. A school always keeps a current headteacher.


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


def _lock_school(school: School) -> School:
    """People changes in one school run one at a time: the last-headteacher rule and duplicate
    checks are then race-free."""
    return School.objects.select_for_update().get(pk=school.pk)


def _clean_roles(roles: Iterable[str]) -> frozenset[str]:
    chosen = frozenset(roles)
    unknown = chosen - set(Role.values)
    if unknown:
        raise ValidationError({"roles": f"Unknown role: {', '.join(sorted(unknown))}."})
    if not chosen:
        raise ValidationError({"roles": "Choose at least one role."})
    return chosen


def _clean_staff_group(staff_group: str) -> str:
    if staff_group not in StaffGroup.values:
        raise ValidationError({"staff_group": "Choose a staff group from the list."})
    return staff_group


def role_change_problem(
    *,
    actor_roles: frozenset[str],
    old_roles: frozenset[str],
    new_roles: frozenset[str],
    other_headteachers: int,
) -> str | None:
    """Why this change of roles is not allowed, or None (shared with the CSV import)."""
    changed = (old_roles ^ new_roles) & PRIVILEGED_ROLES
    if changed and Role.HEADTEACHER not in actor_roles:
        return (
            "Only the headteacher can give or take away these roles: "
            f"{role_labels(changed)}. Office staff can give the Staff and Governor roles."
        )
    if Role.HEADTEACHER in old_roles - new_roles and other_headteachers == 0:
        return (
            "This is the school's only headteacher. Give another person the headteacher role "
            "before taking it away."
        )
    return None


def _other_headteachers(school: School, *, besides: Membership | None, after: dt.date) -> int:
    """Headteachers of `school` other than `besides` who are current and still there after
    `after` (the count that must stay above zero)."""
    memberships = Membership.objects.current().filter(
        Q(leaving_date__isnull=True) | Q(leaving_date__gt=after),
        school=school,
        roles__role=Role.HEADTEACHER,
    )
    if besides is not None:
        memberships = memberships.exclude(pk=besides.pk)
    return memberships.distinct().count()


def _roles_set(*, membership: Membership, roles: frozenset[str], actor) -> None:
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


def _membership_join(
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
    _roles_set(membership=membership, roles=roles, actor=actor)
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
) -> Membership:
    """Add a person to a school: their login (new, or the one they already have), membership,
    roles, and an e-mail — an invitation link to choose a password, or a notification that they
    have been added when they can already sign in."""
    membership, message = membership_add(
        school=school,
        actor=actor,
        full_name=full_name,
        email=email,
        staff_group=staff_group,
        roles=roles,
        start_date=start_date,
        job_title=job_title,
    )
    invitation_emails_send_on_commit([message] if message else [])
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
) -> tuple[Membership, EmailMessage | None]:
    """`membership_invite` without sending: returns the invitation e-mail for the caller to send
    after commit (the CSV import sends a whole file's over one connection)."""
    school = _lock_school(school)
    actor_roles = manager_roles(actor, school)
    full_name, email = _clean_person(full_name=full_name, email=email)
    staff_group = _clean_staff_group(staff_group)
    chosen = _clean_roles(roles)
    problem = role_change_problem(
        actor_roles=actor_roles, old_roles=frozenset(), new_roles=chosen, other_headteachers=1
    )
    if problem:
        raise ValidationError({"roles": problem})
    existing = User.objects.filter(email__iexact=email).first()
    blocker = membership_blocker(school=school, user=existing)
    if blocker:
        raise ValidationError({"email": blocker})
    user, _ = _user_for_email(email=email, full_name=full_name, actor=actor)
    membership = _membership_join(
        school=school,
        user=user,
        actor=actor,
        staff_group=staff_group,
        roles=chosen,
        start_date=start_date,
        job_title=" ".join((job_title or "").split()),
    )
    return membership, _welcome(membership=membership, actor=actor)


def _welcome(*, membership: Membership, actor) -> EmailMessage | None:
    """Invite someone with no password yet (the e-mail to send); notify someone who can
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
    _, token = _invitation_create(membership=membership, actor=actor)
    return invitation_message(membership=membership, token=token)


def invitation_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _invitation_create(*, membership: Membership, actor) -> tuple[Invitation, str]:
    """A new invitation (the open one, if any, stops working). Returns it and the raw token,
    which exists only in the e-mail."""
    now = timezone.now()
    for old in Invitation.objects.select_for_update().filter(
        membership__user=membership.user, accepted_at__isnull=True, withdrawn_at__isnull=True
    ):
        old.withdrawn_at = now
        old._history_user = actor
        old.save(update_fields=["withdrawn_at"])
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        membership=membership,
        token_hash=invitation_token_hash(token),
        created_by=actor,
        created_at=now,
        expires_at=now + dt.timedelta(days=INVITATION_VALID_DAYS),
    )
    invitation._history_user = actor
    invitation.full_clean()
    invitation.save()
    return invitation, token


def invitation_message(*, membership: Membership, token: str) -> EmailMessage:
    from socialgov.notifications.rendering import one_line, render_text

    context = {
        "full_name": membership.user.full_name,
        "school_name": membership.school.name,
        "url": f"{settings.SITE_URL}{reverse('invitation_accept', args=[token])}",
        "valid_days": INVITATION_VALID_DAYS,
    }
    subject = one_line(render_text("people/email/invitation_subject.txt", context))
    body = render_text("people/email/invitation.txt", context).strip() + "\n"
    return EmailMessage(subject, body, None, [membership.user.email])


def invitation_emails_send_on_commit(messages: list[EmailMessage]) -> None:
    """Send invitation e-mails once the transaction commits (slow I/O stays outside it), over one
    SMTP connection.

    The raw token is never stored, so it cannot wait in a queue or the notifications table. If
    the mail server is down the failure is logged and the page still works; the invitation can be
    resent from the person's page.
    """

    def send() -> None:
        try:
            get_connection().send_messages(messages)
        except OSError:  # smtplib.SMTPException is an OSError
            logger.exception("Could not send %d invitation e-mail(s)", len(messages))

    if messages:
        transaction.on_commit(send)


@transaction.atomic
def invitation_resend(*, membership: Membership, actor) -> Invitation:
    """A new invitation link for someone who has not yet chosen a password; the old link stops."""
    _lock_school(membership.school)
    manager_roles(actor, membership.school)
    membership = Membership.objects.select_related("user", "school").get(pk=membership.pk)
    if membership.leaving_date is not None and membership.leaving_date <= today():
        raise ValidationError("This person has left the school, so they cannot be invited.")
    if membership.user.has_usable_password():
        raise ValidationError(
            "This person has already chosen a password. If they have forgotten it, they can use "
            "“Forgotten your password?” on the sign-in page."
        )
    invitation, token = _invitation_create(membership=membership, actor=actor)
    invitation_emails_send_on_commit([invitation_message(membership=membership, token=token)])
    return invitation


def invitation_for_token(token: str) -> Invitation | None:
    """The invitation this token opens (any state), or None."""
    return (
        Invitation.objects.select_related("membership__user", "membership__school")
        .filter(token_hash=invitation_token_hash(token or ""))
        .first()
    )


def invitation_problem(invitation: Invitation | None) -> str | None:
    """Why this invitation link cannot be used, or None."""
    if invitation is None:
        return "invalid"
    if invitation.accepted_at is not None:
        return "used"
    if invitation.withdrawn_at is not None:
        return "replaced"
    if timezone.now() >= invitation.expires_at:
        return "expired"
    membership = invitation.membership
    if membership.leaving_date is not None and membership.leaving_date <= today():
        return "ended"
    if not membership.user.is_active:
        return "ended"
    return None


@transaction.atomic
def invitation_accept(*, invitation: Invitation, new_password: str) -> User:
    """Set the invitee's password (already validated by the form) and close the invitation.

    Locks the row, so a double submit accepts once: the second call finds it used.
    """
    invitation = (
        Invitation.objects.select_for_update()
        .select_related("membership__user", "membership__school")
        .get(pk=invitation.pk)
    )
    problem = invitation_problem(invitation)
    if problem:
        raise ValidationError("This invitation link no longer works.", code=problem)
    user = invitation.membership.user
    user.set_password(new_password)
    user._history_user = user
    user.save(update_fields=["password"])
    now = timezone.now()
    invitation.accepted_at = now
    invitation._history_user = user
    invitation.save(update_fields=["accepted_at"])
    # Other schools' open invitations would now reset the password they just chose.
    for other in Invitation.objects.select_for_update().filter(
        membership__user=user, accepted_at__isnull=True, withdrawn_at__isnull=True
    ):
        other.withdrawn_at = now
        other._history_user = user
        other.save(update_fields=["withdrawn_at"])
    return user


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
    school = _lock_school(membership.school)
    actor_roles = manager_roles(actor, school)
    membership = _membership_locked(membership)
    chosen = _clean_roles(roles)
    staff_group = _clean_staff_group(staff_group)
    old_roles = frozenset(
        MembershipRole.objects.filter(membership=membership).values_list("role", flat=True)
    )
    if Role.HEADTEACHER not in actor_roles and old_roles & PRIVILEGED_ROLES:
        raise PermissionDenied
    problem = role_change_problem(
        actor_roles=actor_roles,
        old_roles=old_roles,
        new_roles=chosen,
        other_headteachers=_other_headteachers(school, besides=membership, after=today()),
    )
    if problem:
        raise ValidationError({"roles": problem})
    membership.staff_group = staff_group
    membership.job_title = " ".join((job_title or "").split())
    membership._history_user = actor
    membership.full_clean()
    membership.save()
    _roles_set(membership=membership, roles=chosen, actor=actor)
    return membership


def may_manage(*, actor_roles: frozenset[str], membership_roles: frozenset[str]) -> bool:
    """Office staff manage people without privileged roles; the headteacher manages everyone."""
    return Role.HEADTEACHER in actor_roles or not membership_roles & PRIVILEGED_ROLES


@transaction.atomic
def membership_end(
    *, membership: Membership, actor, leaving_date: dt.date, reason: str = ""
) -> Membership:
    """Record a leaver: the membership ends at the start of `leaving_date` and nothing they
    recorded is deleted. When that is today or earlier and they have no other current
    membership, every session of theirs ends now; a future date just schedules it."""
    school = _lock_school(membership.school)
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
    if Role.HEADTEACHER in roles and not _other_headteachers(
        school, besides=membership, after=leaving_date
    ):
        raise ValidationError(
            "This is the school's only headteacher. Give another person the headteacher role "
            "before recording them as a leaver."
        )
    membership.leaving_date = leaving_date
    membership.leaving_reason = " ".join((reason or "").split())
    membership._history_user = actor
    membership.full_clean()
    membership.save()
    if leaving_date <= today():
        now = timezone.now()
        for invitation in Invitation.objects.select_for_update().filter(
            membership=membership, accepted_at__isnull=True, withdrawn_at__isnull=True
        ):
            invitation.withdrawn_at = now
            invitation._history_user = actor
            invitation.save(update_fields=["withdrawn_at"])
        if not _has_current_access(membership.user):
            user_sessions_end(user=membership.user)
    return membership


def _has_current_access(user: User) -> bool:
    return (
        user.is_superuser
        or Membership.objects.current().filter(user=user).exists()
        or TrustMembership.objects.current().filter(user=user).exists()
    )


def user_sessions_end(*, user: User) -> int:
    """Delete every open session of `user` (database-backed session engines); how many.

    CurrentSchoolMiddleware and the sign-in backend already refuse a person with no current
    membership, so this makes the sign-out immediate and leaves no usable session behind. It reads
    the unexpired sessions once: a few thousand rows even for a trust.
    """
    engine = import_module(settings.SESSION_ENGINE)
    store_class = engine.SessionStore
    session_model = store_class.get_model_class()
    wanted = str(user.pk)
    keys = [
        session.session_key
        for session in session_model.objects.filter(expire_date__gt=timezone.now()).iterator()
        if str(session.get_decoded().get("_auth_user_id")) == wanted
    ]
    for key in keys:
        store_class(session_key=key).delete()
    return len(keys)
