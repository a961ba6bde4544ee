"""Notification e-mails: thin tasks that take ids, call a service and own the retries."""

import logging
from smtplib import SMTPException

from celery import shared_task

from socialgov.notifications import services
from socialgov.outbox.errors import ServiceDown

logger = logging.getLogger(__name__)


@shared_task(
    bind=True,
    autoretry_for=(SMTPException, OSError),
    retry_backoff=60,
    retry_backoff_max=30 * 60,
    retry_jitter=True,
    max_retries=5,
    acks_late=True,
    time_limit=120,
)
def notification_email_send(self, notification_id: int) -> bool:
    """E-mail one notification; a mail server that is down is retried with backoff."""
    try:
        return services.notification_email_deliver(notification_id=notification_id)
    except (SMTPException, OSError) as error:
        if not self.request.is_eager:
            raise  # autoretry_for retries it later, with backoff
        # Run in process (embedded default, or the outbox's sweep): no retries on the spot; the
        # outbox keeps the task and its sweep sends it once the mail server is back.
        raise ServiceDown(f"Mail server: {type(error).__name__}") from error


@shared_task(
    bind=True,
    autoretry_for=(SMTPException, OSError),
    retry_backoff=60,
    retry_backoff_max=30 * 60,
    retry_jitter=True,
    max_retries=5,
    acks_late=True,
    time_limit=600,
)
def notification_emails_send_batch(self, notification_ids: list[int]) -> int:
    """E-mail a batch of notifications over one connection (a retry skips those already sent)."""
    try:
        return services.notification_emails_deliver_batch(notification_ids=notification_ids)
    except (SMTPException, OSError) as error:
        if not self.request.is_eager:
            raise
        raise ServiceDown(f"Mail server: {type(error).__name__}") from error


@shared_task
def notification_emails_send_pending() -> int:
    """The sweep (also `manage.py send_pending_notification_emails`)."""
    return services.notification_emails_send_pending()
