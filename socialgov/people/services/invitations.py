"""Invitation links: created, e-mailed through the task queue after commit, resent, accepted."""

import datetime as dt
import hashlib
import logging
import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from socialgov.dates import today
from socialgov.outbox.errors import ServiceDown
from socialgov.people.access import may_manage
from socialgov.people.models import INVITATION_VALID_DAYS, Invitation, Membership, User
from socialgov.people.services.rules import lock_school, manager_roles

logger = logging.getLogger(__name__)


def invitation_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_create(*, membership: Membership, actor) -> tuple[Invitation, str]:
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


# Stands for the token in the link reversed once per batch of e-mails (a token is URL-safe
# base64: letters, digits, "-" and "_", never this).
_TOKEN_MARK = "TOKEN.MARK"


def invitation_link_maker():
    """A function from a token to its invitation's link: the URL reversed once, for a batch."""
    link = f"{settings.SITE_URL}{reverse('invitation_accept', args=[_TOKEN_MARK])}"
    return lambda token: link.replace(_TOKEN_MARK, token)


def invitation_message(*, membership: Membership, token: str, link_for=None) -> EmailMessage:
    from socialgov.notifications.rendering import one_line, render_text

    link_for = link_for or invitation_link_maker()
    context = {
        "full_name": membership.user.full_name,
        "school_name": membership.school.name,
        "url": link_for(token),
        "valid_days": INVITATION_VALID_DAYS,
    }
    subject = one_line(render_text("people/email/invitation_subject.txt", context))
    body = render_text("people/email/invitation.txt", context).strip() + "\n"
    return EmailMessage(subject, body, None, [membership.user.email])


def invitation_emails_queue(invitation_ids: list[int]) -> None:
    """E-mail these invitations once the transaction commits, through the task queue (a few
    hundred a task): the page never waits for the mail server, and what cannot go now waits in
    the outbox (socialgov.outbox) until it can."""
    from socialgov.outbox.services import task_queue
    from socialgov.people.tasks import INVITATIONS_PER_TASK, invitation_emails_send

    for start in range(0, len(invitation_ids), INVITATIONS_PER_TASK):
        task_queue(invitation_emails_send, invitation_ids[start : start + INVITATIONS_PER_TASK])


def invitations_email(*, invitation_ids: list[int]) -> int:
    """E-mail these invitations over one connection: each link's token is made now and only its
    hash stored, so no raw token ever waits in a queue. Invitations no longer open are skipped.
    Returns how many were sent; a mail server that is down raises ServiceDown, so the task waits
    in the outbox and is sent again (with new links) once the server is back."""
    messages = []
    with transaction.atomic():
        invitations = list(
            Invitation.objects.select_for_update()
            .filter(pk__in=invitation_ids, accepted_at__isnull=True, withdrawn_at__isnull=True)
            .select_related("membership__user", "membership__school")
        )
        link_for = invitation_link_maker()
        for invitation in invitations:
            token = secrets.token_urlsafe(32)
            invitation.token_hash = invitation_token_hash(token)
            messages.append(
                invitation_message(membership=invitation.membership, token=token, link_for=link_for)
            )
        # The hash is left out of history, so no history row is needed for it.
        Invitation.objects.bulk_update(invitations, ["token_hash"], batch_size=100)
    if not messages:
        return 0
    try:
        get_connection().send_messages(messages)
    except OSError as error:  # smtplib.SMTPException is an OSError
        raise ServiceDown(f"Mail server: {type(error).__name__}") from error
    return len(messages)


@transaction.atomic
def invitation_resend(*, membership: Membership, actor) -> Invitation:
    """A new invitation link for someone who has not yet chosen a password; the old link stops."""
    lock_school(membership.school)
    actor_roles = manager_roles(actor, membership.school)
    membership = (
        Membership.objects.select_related("user", "school")
        .prefetch_related("roles")
        .get(pk=membership.pk)
    )
    if not may_manage(actor_roles=actor_roles, membership_roles=membership.role_names):
        raise PermissionDenied
    if membership.leaving_date is not None and membership.leaving_date <= today():
        raise ValidationError("This person has left the school, so they cannot be invited.")
    if membership.user.has_usable_password():
        raise ValidationError(
            "This person has already chosen a password. If they have forgotten it, they can use "
            "“Forgotten your password?” on the sign-in page."
        )
    invitation, _ = invitation_create(membership=membership, actor=actor)
    invitation_emails_queue([invitation.pk])
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
