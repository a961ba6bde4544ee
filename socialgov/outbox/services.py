"""Queueing tasks so that an outage never hangs a page and never loses the work.

`task_queue(task, ...)` hands a task to the broker once the caller's transaction commits, with the
short broker timeouts of settings (CELERY_BROKER_*), no retries and no result-backend round trip.
When the broker cannot take it, the task is written to `OutboxTask` and the page carries on;
`outbox_tasks_hand_over()` (every five minutes, and `manage.py hand_over_tasks`) queues it again.

In the embedded default (no broker) tasks run in process. One that fails because a service is
down (the mail server refused the connection) waits in the outbox for the sweep. One that must
not run inside a web request at all (`run_in_request=False`: the password reset e-mail, whose
time would tell which addresses have accounts) always waits for the sweep, run by cron.
"""

from __future__ import annotations

import datetime as dt
import logging
from smtplib import SMTPException

from celery import current_app
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from kombu.exceptions import OperationalError

from socialgov.outbox.errors import ServiceDown
from socialgov.outbox.models import OutboxTask

logger = logging.getLogger(__name__)

# What the broker raises when it cannot be reached (kombu wraps redis-py's errors).
BROKER_ERRORS: tuple[type[BaseException], ...] = (OperationalError, OSError)
# What a task run in process raises when a service it needs is down (SMTPException is an OSError).
SERVICE_ERRORS: tuple[type[BaseException], ...] = BROKER_ERRORS + (SMTPException, ServiceDown)
MAX_ATTEMPTS = 50  # about four hours of sweeps every five minutes, then an error in the log
GIVE_UP_AFTER = dt.timedelta(days=7)
BATCH = 500


def _eager(task) -> bool:
    return bool(task.app.conf.task_always_eager)


def task_queue(task, *args, run_in_request: bool = True, **kwargs) -> None:
    """Queue `task(*args, **kwargs)` once the current transaction commits (at once outside one).

    Arguments must be plain values (ids, text): they may wait in the database.
    `run_in_request=False` for a task whose time must not show in the page (where tasks run in
    process it then waits for the sweep).
    """
    transaction.on_commit(
        lambda: task_hand_over(task, args=list(args), kwargs=kwargs, run_in_request=run_in_request),
        robust=True,
    )


def task_hand_over(task, *, args: list, kwargs: dict, run_in_request: bool = True) -> bool:
    """Give the task to the broker (or run it, in process) now; True when it went. When it
    cannot go, it waits in the outbox and False is returned."""
    if _eager(task) and not run_in_request:
        _record(task.name, args, kwargs, error="")
        return False
    try:
        task.apply_async(args=args, kwargs=kwargs, retry=False, ignore_result=True)
    except SERVICE_ERRORS as error:
        logger.warning(
            "Task %s could not run or be queued (%s); it waits for the sweep",
            task.name,
            type(error).__name__,
        )
        _record(task.name, args, kwargs, error=type(error).__name__)
        return False
    return True


def _record(task_name: str, args: list, kwargs: dict, *, error: str) -> OutboxTask:
    waiting = OutboxTask(task_name=task_name, args=args, kwargs=kwargs, last_error=error[:100])
    waiting.full_clean()
    waiting.save()
    return waiting


def outbox_tasks_hand_over(*, now: dt.datetime | None = None) -> int:
    """Queue every waiting task again (run it, where tasks run in process); the number handed
    over. Stops at the first service error: the next sweep tries again."""
    now = now or timezone.now()
    handed = 0
    waiting_ids = list(
        OutboxTask.objects.order_by("created_at", "pk").values_list("pk", flat=True)[:BATCH]
    )
    for waiting_id in waiting_ids:
        outcome = _hand_over_one(waiting_id, now=now)
        if outcome is None:
            break
        handed += outcome
    return handed


def _hand_over_one(waiting_id: int, *, now: dt.datetime) -> bool | None:
    """True: handed over; False: given up, failed or gone; None: a service is down (stop).

    The row is claimed by counting the attempt (a conditional update, so two sweeps never both
    run it) and the task runs outside any transaction: an e-mail over SMTP never holds a lock."""
    waiting = OutboxTask.objects.filter(pk=waiting_id).first()
    if waiting is None:
        return False  # another sweep has done it
    if waiting.attempts >= MAX_ATTEMPTS or waiting.created_at < now - GIVE_UP_AFTER:
        logger.error(
            "Task %s (outbox %s) given up after %s attempts since %s",
            waiting.task_name,
            waiting.pk,
            waiting.attempts,
            waiting.created_at,
        )
        waiting.delete()
        return False
    claimed = OutboxTask.objects.filter(pk=waiting.pk, attempts=waiting.attempts).update(
        attempts=F("attempts") + 1
    )
    if not claimed:
        return False  # another sweep has it
    task = current_app.tasks.get(waiting.task_name)
    if task is None:
        logger.error("Task %s (outbox %s) is not known", waiting.task_name, waiting.pk)
        OutboxTask.objects.filter(pk=waiting.pk).update(attempts=MAX_ATTEMPTS, last_error="?")
        return False
    try:
        if _eager(task):
            # No broker: run it here, in the sweep's own process (cron), outside any request.
            task.apply(args=waiting.args, kwargs=waiting.kwargs, throw=True)
        else:
            task.apply_async(
                args=waiting.args, kwargs=waiting.kwargs, retry=False, ignore_result=True
            )
    except SERVICE_ERRORS as error:
        OutboxTask.objects.filter(pk=waiting.pk).update(last_error=type(error).__name__[:100])
        logger.warning("Task %s still waits (%s)", waiting.task_name, type(error).__name__)
        return None
    except Exception as error:  # a fault in the task itself: the others still go
        OutboxTask.objects.filter(pk=waiting.pk).update(last_error=type(error).__name__[:100])
        logger.exception("Task %s (outbox %s) failed", waiting.task_name, waiting.pk)
        return False
    OutboxTask.objects.filter(pk=waiting.pk).delete()
    return True
