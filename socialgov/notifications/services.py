"""Writes to notifications: send (in-app now, e-mail after commit), read, withdraw."""

from __future__ import annotations

import datetime as dt
import logging
from smtplib import SMTPException

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.mail import get_connection, send_mail
from django.db import transaction
from django.db.models import F, Model
from django.urls import reverse
from django.utils import timezone

from socialgov.notifications.models import Notification
from socialgov.notifications.rendering import (
    absolute_url,
    check_kind,
    one_line,
    render_text,
    template_names,
)

logger = logging.getLogger(__name__)


def notification_build(
    *,
    recipient,
    kind: str,
    url: str,
    school=None,
    context: dict | None = None,
    about: Model | None = None,
    check_in_database: bool = True,
) -> Notification:
    """The notification `notification_send` would save, built and validated but not saved (for
    callers that save many at once with `notifications_save`). `check_in_database=False` leaves
    the foreign keys and constraints to the database's own checks at insert, not a query each."""
    context = dict(context or {})
    check_kind(kind)
    title = one_line(
        render_text(
            template_names(kind)["title"], {**context, "recipient": recipient, "school": school}
        )
    )
    notification = Notification(
        recipient=recipient,
        school=school,
        kind=kind,
        title=title[:200],
        url=url,
        email_context=context,
    )
    if about is not None:
        notification.about_type = ContentType.objects.get_for_model(about)
        notification.about_id = about.pk
    notification.full_clean(
        exclude=None if check_in_database else ["recipient", "school", "about_type"],
        validate_constraints=check_in_database,
    )
    return notification


@transaction.atomic
def notification_send(
    *,
    recipient,
    kind: str,
    url: str,
    school=None,
    context: dict | None = None,
    about: Model | None = None,
) -> Notification:
    """Notify one person: the in-app row now, the e-mail once the caller's transaction commits.

    `kind` names the templates `notifications/<kind>_title.txt`, `notifications/email/
    <kind>_subject.txt` and `notifications/email/<kind>.txt`. `url` is a path on this site.
    `context` holds plain values (text, numbers, dates) for the templates; it is kept only until
    the e-mail has gone. Nothing safeguarding-related may be printed by any of the templates.
    `about` is the record the notification concerns: when its app registered a gateway
    (socialgov.notifications.registry), the person sees it only while they may see the record.
    """
    notification = notification_build(
        recipient=recipient, kind=kind, url=url, school=school, context=context, about=about
    )
    notification.save()
    # Through the outbox (socialgov.outbox): a broker or mail server that is down never holds or
    # breaks the caller's page, and the e-mail waits until it can go.
    _queue_email(notification.pk)
    return notification


@transaction.atomic
def notifications_save(notifications: list[Notification]) -> list[Notification]:
    """Save notifications made by `notification_build` (each to its own recipient, with its own
    text) in a few inserts; their e-mails go after commit in batches of EMAIL_BATCH per task and
    mail-server connection, as `notification_send_many`'s do."""
    created = Notification.objects.bulk_create(notifications, batch_size=500)
    _queue_emails_after_commit([notification.pk for notification in created])
    return created


# E-mails of one bulk send go out in tasks of this many, each over one mail-server connection.
EMAIL_BATCH = 100


@transaction.atomic
def notification_send_many(
    *, recipients, kind: str, url: str, school=None, context: dict | None = None
) -> list[Notification]:
    """Notify many people of the same thing (e.g. everyone who must sign a published policy):
    one in-app row each, inserted together, and their e-mails sent after commit in batches of
    EMAIL_BATCH per task and mail-server connection. Each person is notified once, however often
    they appear in `recipients`."""
    context = dict(context or {})
    check_kind(kind)
    unique = list({recipient.pk: recipient for recipient in recipients}.values())
    notifications = []
    for recipient in unique:
        title = one_line(
            render_text(
                template_names(kind)["title"],
                {**context, "recipient": recipient, "school": school},
            )
        )
        notification = Notification(
            recipient=recipient,
            school=school,
            kind=kind,
            title=title[:200],
            url=url,
            email_context=context,
        )
        notification.full_clean(exclude=["recipient", "school"])
        notifications.append(notification)
    created = Notification.objects.bulk_create(notifications, batch_size=500)
    _queue_emails_after_commit([notification.pk for notification in created])
    return created


def _queue_emails_after_commit(ids: list[int]) -> None:
    for start in range(0, len(ids), EMAIL_BATCH):
        batch = ids[start : start + EMAIL_BATCH]
        _queue_email_batch(batch)


def _queue_email_batch(notification_ids: list[int]) -> None:
    from socialgov.notifications.tasks import notification_emails_send_batch
    from socialgov.outbox.services import task_queue

    task_queue(notification_emails_send_batch, notification_ids)


def notification_emails_deliver_batch(*, notification_ids: list[int]) -> int:
    """Send the e-mails of several notifications over one mail-server connection; how many
    were sent. Mail errors propagate (the task retries; those already sent are not sent again)."""
    sent = 0
    # Read together (one query, not one per e-mail); each is still claimed and marked on its own.
    unsent = Notification.objects.select_related("recipient", "school").filter(
        pk__in=notification_ids, emailed_at__isnull=True
    )
    loaded = {notification.pk: notification for notification in unsent}
    with get_connection() as connection:
        for notification_id in notification_ids:
            if notification_id in loaded:
                sent += notification_email_deliver(
                    notification_id=notification_id,
                    connection=connection,
                    loaded=loaded[notification_id],
                )
    return sent


def _queue_email(notification_id: int) -> None:
    from socialgov.notifications.tasks import notification_email_send
    from socialgov.outbox.services import task_queue

    task_queue(notification_email_send, notification_id)


def notification_email_deliver(
    *, notification_id: int, connection=None, loaded: Notification | None = None
) -> bool:
    """Send a notification's e-mail once; True when sent. Mail errors propagate (tasks retry).

    Claims the send by bumping `email_attempts` conditionally, so a retry and the sweep never
    both send the same e-mail. Deliberately not one transaction: the SMTP call is slow I/O.
    `loaded` is the unsent row (with its recipient and school) when a batch has read it already.
    """
    notification = loaded or (
        Notification.objects.select_related("recipient", "school")
        .filter(pk=notification_id, emailed_at__isnull=True)
        .first()
    )
    if notification is None:
        return False
    recipient = notification.recipient
    if not recipient.is_active or not recipient.email:
        return False
    if notification.about_type_id is not None and _hidden_from_recipient(notification):
        return False  # the person may no longer see what it is about: nothing to tell them
    claimed = Notification.objects.filter(
        pk=notification.pk,
        emailed_at__isnull=True,
        email_attempts=notification.email_attempts,
    ).update(email_attempts=F("email_attempts") + 1)
    if not claimed:
        return False
    names = template_names(notification.kind)
    context = {
        **notification.email_context,
        "recipient": recipient,
        "school": notification.school,
        "url": absolute_url(notification.url),
        "notifications_url": absolute_url(reverse("notification_list")),
    }
    subject = one_line(render_text(names["subject"], context))
    body = render_text(names["body"], context).strip() + "\n"
    send_mail(subject, body, None, [recipient.email], fail_silently=False, connection=connection)
    Notification.objects.filter(pk=notification.pk).update(
        emailed_at=timezone.now(), email_context={}
    )
    return True


def _hidden_from_recipient(notification: Notification) -> bool:
    from socialgov.notifications.access import notification_visible_to

    return not notification_visible_to(notification.recipient).filter(pk=notification.pk).exists()


@transaction.atomic
def notification_mark_read(*, notification: Notification, actor) -> Notification:
    """Mark one of the actor's own notifications read (reading it twice keeps the first time)."""
    if notification.recipient_id != actor.pk:
        raise PermissionDenied
    now = timezone.now()
    updated = Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
        read_at=now
    )
    if updated:
        notification.read_at = now
    return notification


@transaction.atomic
def notification_mark_all_read(*, actor) -> int:
    """Mark every unread notification of the actor read; the number marked."""
    return Notification.objects.filter(recipient=actor, read_at__isnull=True).update(
        read_at=timezone.now()
    )


@transaction.atomic
def notification_withdraw(
    *, actor, url: str | None = None, about: Model | None = None, recipients=None
) -> int:
    """Remove the notifications linking to `url`, or about the record `about` (for
    `recipients`, or everyone).

    For when who may see something changes, e.g. an incident re-routed away from a person who
    has just been named as its subject: their notification about it goes with it.
    `actor` is the person whose action caused it (kept for the call site's own history).
    """
    if (url is None) == (about is None):
        raise ValueError("withdraw by url or by about, one of them")
    if about is not None:
        notifications = Notification.objects.filter(
            about_type=ContentType.objects.get_for_model(about), about_id=about.pk
        )
    else:
        notifications = Notification.objects.filter(url=url)
    if recipients is not None:
        notifications = notifications.filter(recipient__in=recipients)
    deleted, _ = notifications.delete()
    return deleted


# The sweep leaves younger rows to the task's own retries (about half an hour of backoff).
PENDING_AFTER = dt.timedelta(hours=1)
PENDING_GIVE_UP_AFTER = dt.timedelta(days=3)
PENDING_MAX_ATTEMPTS = 10
PENDING_BATCH = 500


def notification_emails_send_pending(*, now=None) -> int:
    """Send e-mails that could not be queued or sent earlier; the number sent.

    Stops at the first mail-server error: the next run tries again.
    """
    now = now or timezone.now()
    pending = (
        Notification.objects.filter(
            emailed_at__isnull=True,
            created_at__lte=now - PENDING_AFTER,
            created_at__gte=now - PENDING_GIVE_UP_AFTER,
            email_attempts__lt=PENDING_MAX_ATTEMPTS,
        )
        .order_by("created_at")
        .values_list("pk", flat=True)[:PENDING_BATCH]
    )
    sent = 0
    for notification_id in list(pending):
        try:
            sent += notification_email_deliver(notification_id=notification_id)
        except (SMTPException, OSError):
            logger.exception("Mail server refused notification %s; stopping", notification_id)
            break
    return sent
