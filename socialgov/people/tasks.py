"""People's background work: thin tasks that take ids and call a service."""

from __future__ import annotations

import logging

from celery import shared_task

logger = logging.getLogger(__name__)

INVITATIONS_PER_TASK = 200


@shared_task(acks_late=True, time_limit=300)
def invitation_emails_send(invitation_ids: list[int]) -> int:
    """Queued by services.invitation_emails_queue (through socialgov.outbox)."""
    from socialgov.people.services import invitations_email

    return invitations_email(invitation_ids=invitation_ids)


@shared_task(acks_late=True, time_limit=1800)
def staff_import_run(staff_import_id: int) -> str:
    from socialgov.people.staff_import.jobs import staff_import_job_run

    return staff_import_job_run(staff_import_id=staff_import_id)


@shared_task(acks_late=True, time_limit=120)
def password_reset_email_send(email: str) -> None:
    """Queued by the password reset page (socialgov.people.password_reset), through the outbox."""
    from socialgov.people.password_reset import password_reset_email_deliver

    password_reset_email_deliver(email=email)
