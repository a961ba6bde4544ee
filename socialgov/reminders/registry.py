"""The reminder registry: each app registers its reminder kinds in AppConfig.ready().

A kind says, for a date, which reminders are due. The daily job (Celery beat, and
`manage.py send_reminders`) asks every registered kind, records each reminder in the reminder log
before sending, and sends it as a notification; the log makes a second run for the same day send
nothing new and a failed send be retried on the next run.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from socialgov.registry import Registry


@dataclass(frozen=True)
class DueReminder:
    recipient: Any  # socialgov.people.models.User
    school: Any  # socialgov.people.models.School | None
    # Identifies what the reminder is about (e.g. "user:12", "policy:4:review-30"); with the kind,
    # recipient and date it is the reminder log's uniqueness key.
    subject_key: str
    url: str
    context: dict = field(default_factory=dict)


@dataclass(frozen=True)
class ReminderKind:
    name: str  # e.g. "twofactor_enrolment"; stable: it is stored in the reminder log
    label: str  # plain English, for the command's counts and the admin
    notification_kind: str  # the notification template used to send it
    due: Callable[[dt.date], Iterable[DueReminder]]


KINDS: Registry[ReminderKind] = Registry("reminder kind")


def register(kind: ReminderKind) -> None:
    """Register a kind; registering the same kind again is harmless, a clash is an error."""
    KINDS.register(kind)


def registered() -> list[ReminderKind]:
    return KINDS.entries()


def get(name: str) -> ReminderKind:
    return KINDS.get(name)


def unregister(name: str) -> None:
    """Forget a kind (tests; a kind registered at start-up is never unregistered in normal use)."""
    KINDS.unregister(name)


@contextmanager
def registered_for(kind: ReminderKind) -> Iterator[ReminderKind]:
    """Register `kind` for the length of a `with` block (tests), then forget it again (unless it
    was registered before the block)."""
    with KINDS.added(kind):
        yield kind


def only(*kinds: ReminderKind):
    """Within the block exactly `kinds` are registered (tests that must not meet other apps'
    reminders); the registry is restored afterwards."""
    return KINDS.only(*kinds)
