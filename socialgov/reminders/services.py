"""The reminder sweep: what every registered kind says is due as of a date, logged, sent once.

How a second run stays harmless (DESIGN §5, §6 Reliability):
- each reminder's log row is created (pending) and committed *before* it is sent; the row's
  unique constraint (kind, recipient, subject, date) turns a concurrent run's second insert into
  an IntegrityError, which is read as "already logged";
- the send itself runs with the row locked (`select_for_update(skip_locked=True)`), and the
  notification and the row's `sent` status commit together, so two runs never both send it and a
  run that dies mid-send leaves the row `pending` for the next run;
- a row left `failed` or `pending` is retried by the next run (same day or later) for up to
  RETRY_DAYS days and MAX_ATTEMPTS attempts, if it is still due on its own date and no later
  reminder of the same kind has replaced it.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import asdict, dataclass, field, fields

from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, transaction
from django.utils import timezone

from socialgov.notifications.models import Notification
from socialgov.notifications.services import (
    notification_build,
    notification_send,
    notifications_save,
)
from socialgov.reminders import registry
from socialgov.reminders.models import ReminderLog
from socialgov.reminders.registry import DueReminder, ReminderKind

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
RETRY_DAYS = 7

Status = ReminderLog.Status
_Key = tuple[int, str]  # (recipient id, subject key): with the kind and date, the log's key

# What trying to send one reminder came to.
SENT = "sent"
FAILED = "failed"
ALREADY_SENT = "already_sent"  # sent by an earlier run, or another run is sending it right now
SKIPPED = "skipped"
GIVEN_UP = "given_up"


@dataclass
class ReminderCounts:
    """What one run did for one kind (for a dry run: what it would do)."""

    due: int = 0  # due on the run's date
    sent: int = 0  # sent by this run (retries included)
    already_sent: int = 0  # sent by an earlier run (or being sent by another run right now)
    failed: int = 0  # could not be sent; the next run retries them
    retried: int = 0  # of the sent and failed, how many were retries of an earlier attempt
    skipped: int = 0  # earlier unsent reminders replaced by a later one or no longer due
    given_up: int = 0  # failed MAX_ATTEMPTS times: no more retries
    broken: bool = False  # the kind could not work out what is due (see the error log)

    def __iadd__(self, other: ReminderCounts) -> ReminderCounts:
        for counter in fields(self):
            name = counter.name
            if name == "broken":
                self.broken = self.broken or other.broken
            else:
                setattr(self, name, getattr(self, name) + getattr(other, name))
        return self

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class _Send:
    reminder: DueReminder
    due_on: dt.date
    log: ReminderLog | None  # None: due for the first time, its row is created when sent

    @property
    def is_retry(self) -> bool:
        return self.log is not None


@dataclass
class _Plan:
    counts: ReminderCounts
    sends: list[_Send] = field(default_factory=list)
    skips: list[ReminderLog] = field(default_factory=list)


# Deliberately not one transaction: each reminder is logged and sent in its own, so one bad
# reminder cannot undo the others and no lock is held while the next kind works out what is due.
def reminders_send_due(
    *, on: dt.date, dry_run: bool = False, actor=None
) -> dict[str, ReminderCounts]:
    """Send every registered kind's reminders due on `on` (and retry earlier failures); the
    counts per kind name. `actor` is None for the scheduled job; a dry run writes nothing."""
    results: dict[str, ReminderCounts] = {}
    for kind in registry.registered():
        plan = _plan(kind, on)
        if not dry_run:
            _carry_out(kind, plan, actor=actor)
        results[kind.name] = plan.counts
        logger.info("Reminders %s for %s: %s", kind.name, on.isoformat(), plan.counts.as_dict())
    return results


def _due(kind: ReminderKind, on: dt.date) -> dict[_Key, DueReminder]:
    due: dict[_Key, DueReminder] = {}
    for reminder in kind.due(on):
        due.setdefault((reminder.recipient.pk, reminder.subject_key), reminder)
    return due


def _plan(kind: ReminderKind, on: dt.date) -> _Plan:
    """What a run on `on` has to do for `kind`: reads only (a dry run stops here)."""
    plan = _Plan(counts=ReminderCounts())
    counts = plan.counts
    try:
        due_today = _due(kind, on)
    except Exception:
        # A broken kind must not stop the other kinds' reminders; it is reported, not hidden.
        logger.exception("Reminder kind %s could not work out what is due on %s", kind.name, on)
        counts.broken = True
        return plan
    counts.due = len(due_today)

    logged = {
        (log.recipient_id, log.subject_key): log
        for log in ReminderLog.objects.filter(kind=kind.name, due_on=on)
    }
    for key, reminder in due_today.items():
        log = logged.get(key)
        if log is None:
            plan.sends.append(_Send(reminder, on, None))
        elif log.status == Status.SENT:
            counts.already_sent += 1
        elif log.status == Status.SKIPPED:
            counts.skipped += 1
        elif log.attempts >= MAX_ATTEMPTS:
            counts.given_up += 1
        else:
            plan.sends.append(_Send(reminder, on, log))

    _plan_retries(kind, on, due_today, plan)
    counts.sent = len(plan.sends)  # replaced by what happened when the plan is carried out
    counts.retried = sum(send.is_retry for send in plan.sends)
    counts.skipped += len(plan.skips)
    return plan


def _plan_retries(
    kind: ReminderKind, on: dt.date, due_today: dict[_Key, DueReminder], plan: _Plan
) -> None:
    """Earlier days' unsent rows: retried if still due on their date, unless replaced."""
    earlier = ReminderLog.objects.filter(
        kind=kind.name,
        status__in=[Status.PENDING, Status.FAILED],
        due_on__gte=on - dt.timedelta(days=RETRY_DAYS),
        due_on__lt=on,
        attempts__lt=MAX_ATTEMPTS,
    ).order_by("-due_on", "pk")
    seen: set[_Key] = set(due_today)
    by_date: dict[dt.date, list[ReminderLog]] = {}
    for log in earlier:
        key = (log.recipient_id, log.subject_key)
        if key in seen:
            # Today's reminder (or a later day's retry) about the same thing replaces this one:
            # retrying it too would send the person the same reminder twice.
            plan.skips.append(log)
            continue
        seen.add(key)
        by_date.setdefault(log.due_on, []).append(log)
    for day, logs in sorted(by_date.items()):
        try:
            due_then = _due(kind, day)
        except Exception:
            logger.exception(
                "Reminder kind %s could not work out what was due on %s", kind.name, day
            )
            plan.counts.broken = True
            continue
        for log in logs:
            reminder = due_then.get((log.recipient_id, log.subject_key))
            if reminder is None:
                plan.skips.append(log)  # no longer due (e.g. the policy has since been reviewed)
            else:
                plan.sends.append(_Send(reminder, day, log))


def _carry_out(kind: ReminderKind, plan: _Plan, *, actor) -> None:
    counts = plan.counts
    counts.sent = counts.retried = 0
    for start in range(0, len(plan.sends), BATCH):
        batch = plan.sends[start : start + BATCH]
        for send, outcome in zip(batch, _send_batch(kind, batch, actor=actor), strict=True):
            if outcome == SENT:
                counts.sent += 1
            elif outcome == FAILED:
                counts.failed += 1
            elif outcome == GIVEN_UP:
                counts.given_up += 1
            elif outcome == SKIPPED:
                counts.skipped += 1
            else:
                counts.already_sent += 1
            if outcome in (SENT, FAILED) and send.is_retry:
                counts.retried += 1
    for start in range(0, len(plan.skips), BATCH):
        reminder_logs_skip(logs=plan.skips[start : start + BATCH], actor=actor)


# Reminders are logged and sent this many at a time: a few queries per batch, not per reminder.
BATCH = 500
# The log's fields a send changes (with `attempts`), written in one UPDATE per batch.
_SENT_FIELDS = ["status", "attempts", "last_error", "notification", "sent_at"]
_RELATED = ["recipient", "school", "notification"]  # left to the database's foreign keys


def _send_batch(kind: ReminderKind, sends: list[_Send], *, actor) -> list[str]:
    """Log (if new) and send a batch of reminders; each one's outcome.

    The same steps as `_send`, a batch at a time: the new rows are claimed (committed, pending)
    in one transaction, then sent in another with every row locked. If the batch's writes fail
    at the database, the batch is sent again one reminder at a time, so one bad reminder cannot
    stop the others."""
    try:
        log_ids = reminder_logs_claim(kind=kind.name, sends=sends, actor=actor)
    except DatabaseError:
        logger.exception("Reminders %s: a batch could not be logged together", kind.name)
        return [_send(kind, send, actor=actor) for send in sends]
    try:
        outcomes = reminder_logs_send(
            kind=kind,
            sends=[(log_id, send) for log_id, send in zip(log_ids, sends, strict=True) if log_id],
            actor=actor,
        )
    except DatabaseError:
        logger.exception("Reminders %s: a batch could not be sent together", kind.name)
        outcomes = {
            log_id: reminder_log_send(kind=kind, log_id=log_id, reminder=send.reminder, actor=actor)
            for log_id, send in zip(log_ids, sends, strict=True)
            if log_id
        }
    return [outcomes[log_id] if log_id else FAILED for log_id in log_ids]


@transaction.atomic
def reminder_logs_claim(*, kind: str, sends: list[_Send], actor) -> list[int | None]:
    """Each send's log row id, the new ones created `pending` first (None: the reminder cannot
    be logged, e.g. an over-long subject key). A few queries, however many there are."""
    ids: list[int | None] = [send.log.pk if send.log else None for send in sends]
    new: dict[tuple[int, str, dt.date], ReminderLog] = {}
    for send in sends:
        if send.log is not None:
            continue
        reminder = send.reminder
        log = ReminderLog(
            kind=kind,
            recipient_id=reminder.recipient.pk,
            school=reminder.school,
            subject_key=reminder.subject_key,
            due_on=send.due_on,
            status=Status.PENDING,
        )
        try:
            log.full_clean(exclude=_RELATED, validate_constraints=False)
        except ValidationError:
            logger.exception("Reminder %s for %s could not be logged", kind, reminder)
            continue
        new[(log.recipient_id, log.subject_key, log.due_on)] = log
    if not new:
        return ids
    # The unique constraint is left to the database: only it decides a race between two runs.
    ReminderLog.objects.bulk_create(list(new.values()), batch_size=BATCH, ignore_conflicts=True)
    found = {
        (recipient_id, subject_key, due_on): pk
        for pk, recipient_id, subject_key, due_on in ReminderLog.objects.filter(
            kind=kind,
            due_on__in={key[2] for key in new},
            recipient_id__in={key[0] for key in new},
            subject_key__in={key[1] for key in new},
        ).values_list("pk", "recipient_id", "subject_key", "due_on")
    }
    # The rows this run created are those without a creation record yet (another run's rows
    # were committed with theirs before our insert could see them).
    recorded = set(
        ReminderLog.history.filter(id__in=found.values(), history_type="+").values_list(
            "id", flat=True
        )
    )
    created = []
    for key, log in new.items():
        log.pk = found.get(key)
        if log.pk is not None and log.pk not in recorded:
            created.append(log)
    ReminderLog.history.bulk_history_create(created, batch_size=BATCH, default_user=actor)
    for index, send in enumerate(sends):
        if send.log is None:
            reminder = send.reminder
            ids[index] = found.get((reminder.recipient.pk, reminder.subject_key, send.due_on))
    return ids


@transaction.atomic
def reminder_logs_send(
    *, kind: ReminderKind, sends: list[tuple[int, _Send]], actor
) -> dict[int, str]:
    """Send a batch of logged reminders (log id, send) unless another run has them or has sent
    them; the outcome per log id. As `reminder_log_send`, a batch at a time: the rows locked,
    the notifications inserted together and the rows' new status written together."""
    locked = {
        log.pk: log
        for log in ReminderLog.objects.select_for_update(skip_locked=True).filter(
            pk__in=[log_id for log_id, _ in sends]
        )
    }
    outcomes: dict[int, str] = {}
    changed: list[ReminderLog] = []
    sending: list[tuple[ReminderLog, Notification]] = []
    for log_id, send in sends:
        log = locked.get(log_id)
        if log is None or log.status == Status.SENT:
            outcomes[log_id] = ALREADY_SENT  # another run holds it, or has sent it
            continue
        if log.status == Status.SKIPPED:
            outcomes[log_id] = SKIPPED
            continue
        if log.attempts >= MAX_ATTEMPTS:
            outcomes[log_id] = GIVEN_UP
            continue
        log.attempts += 1
        reminder = send.reminder
        try:
            notification = notification_build(
                recipient=reminder.recipient,
                kind=kind.notification_kind,
                url=reminder.url,
                school=reminder.school,
                context=reminder.context,
                check_in_database=False,
            )
        except Exception as error:
            # As one at a time: logged in full for the operators, the type only in the row.
            logger.exception("Reminder %s (log %s) could not be sent", kind.name, log.pk)
            log.status = Status.FAILED
            log.last_error = type(error).__name__[:100]
            outcomes[log_id] = FAILED
        else:
            sending.append((log, notification))
            outcomes[log_id] = SENT
        changed.append(log)
    notifications = notifications_save([notification for _, notification in sending])
    now = timezone.now()
    for (log, _), notification in zip(sending, notifications, strict=True):
        log.status = Status.SENT
        log.notification = notification
        log.sent_at = now
        log.last_error = ""
    for log in changed:  # the constraints are the database's (a breach: the batch one by one)
        log.full_clean(exclude=_RELATED, validate_constraints=False)
    ReminderLog.objects.bulk_update(changed, _SENT_FIELDS, batch_size=BATCH)
    ReminderLog.history.bulk_history_create(
        changed, batch_size=BATCH, update=True, default_user=actor
    )
    return outcomes


@transaction.atomic
def reminder_logs_skip(*, logs: list[ReminderLog], actor) -> None:
    """Mark earlier unsent reminders as not to be sent (replaced, or no longer due), together."""
    locked = list(
        ReminderLog.objects.select_for_update(skip_locked=True).filter(
            pk__in=[log.pk for log in logs], status__in=[Status.PENDING, Status.FAILED]
        )
    )
    for log in locked:
        log.status = Status.SKIPPED
    ReminderLog.objects.bulk_update(locked, ["status"], batch_size=BATCH)
    ReminderLog.history.bulk_history_create(
        locked, batch_size=BATCH, update=True, default_user=actor
    )


def _send(kind: ReminderKind, send: _Send, *, actor) -> str:
    """Log (if new) and send one reminder; its outcome: sent, failed, or already handled."""
    if send.log is not None:
        log_id = send.log.pk
    else:
        try:
            log_id = reminder_log_claim(
                kind=kind.name, reminder=send.reminder, due_on=send.due_on, actor=actor
            )
        except ValidationError:
            # A kind produced a reminder the log cannot hold (e.g. an over-long subject key).
            logger.exception("Reminder %s for %s could not be logged", kind.name, send.reminder)
            return FAILED
    return reminder_log_send(kind=kind, log_id=log_id, reminder=send.reminder, actor=actor)


@transaction.atomic
def reminder_log_claim(*, kind: str, reminder: DueReminder, due_on: dt.date, actor) -> int:
    """The id of the reminder's log row, created `pending` first if there is none yet."""
    lookup = {
        "kind": kind,
        "recipient_id": reminder.recipient.pk,
        "subject_key": reminder.subject_key,
        "due_on": due_on,
    }
    log = ReminderLog(**lookup, school=reminder.school, status=Status.PENDING)
    log._history_user = actor
    # The unique constraint is left to the database: only it decides a race between two runs.
    log.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            log.save()
    except IntegrityError:
        return ReminderLog.objects.values_list("pk", flat=True).get(**lookup)
    return log.pk


@transaction.atomic
def reminder_log_send(*, kind: ReminderKind, log_id: int, reminder: DueReminder, actor) -> str:
    """Send one logged reminder unless another run has it or has sent it; the outcome.

    The notification and the row's new status commit together (the e-mail goes after commit).
    """
    log = ReminderLog.objects.select_for_update(skip_locked=True).filter(pk=log_id).first()
    if log is None:
        return ALREADY_SENT  # another run holds it and is sending it right now
    if log.status == Status.SENT:
        return ALREADY_SENT
    if log.status == Status.SKIPPED:
        return SKIPPED
    if log.attempts >= MAX_ATTEMPTS:
        return GIVEN_UP
    log.attempts += 1
    try:
        with transaction.atomic():  # a failed send leaves none of its writes behind
            notification = notification_send(
                recipient=reminder.recipient,
                kind=kind.notification_kind,
                url=reminder.url,
                school=reminder.school,
                context=reminder.context,
            )
    except Exception as error:
        # One bad reminder must not stop the sweep: it is logged in full for the operators,
        # recorded as failed (error type only) and retried by the next run.
        logger.exception("Reminder %s (log %s) could not be sent", kind.name, log.pk)
        log.status = Status.FAILED
        log.last_error = type(error).__name__[:100]
    else:
        log.status = Status.SENT
        log.notification = notification
        log.sent_at = timezone.now()
        log.last_error = ""
    log._history_user = actor
    log.full_clean()
    log.save()
    return SENT if log.status == Status.SENT else FAILED
