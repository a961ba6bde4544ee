"""People's background work: thin tasks that take ids and call a service."""

from __future__ import annotations

import logging

from celery import shared_task
from django.db import transaction
from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)

INVITATIONS_PER_TASK = 200


@shared_task(acks_late=True, time_limit=300)
def invitation_emails_send(invitation_ids: list[int]) -> int:
    from socialgov.people.services import invitations_email

    return invitations_email(invitation_ids=invitation_ids)


def invitation_emails_queue(invitation_ids: list[int]) -> None:
    """Queue the e-mails of these invitations once the transaction commits, a few hundred a task.
    With the broker down the page still works: the invitations stay open and "Resend" on each
    person's page sends them."""

    def queue() -> None:
        for start in range(0, len(invitation_ids), INVITATIONS_PER_TASK):
            batch = invitation_ids[start : start + INVITATIONS_PER_TASK]
            try:
                invitation_emails_send.delay(batch)
            except (OperationalError, OSError):
                logger.warning("Could not queue %d invitation e-mail(s)", len(batch))

    if invitation_ids:
        transaction.on_commit(queue, robust=True)


@shared_task(acks_late=True, time_limit=1800)
def staff_import_run(staff_import_id: int) -> str:
    from socialgov.people.staff_import.jobs import staff_import_job_run

    return staff_import_job_run(staff_import_id=staff_import_id)
