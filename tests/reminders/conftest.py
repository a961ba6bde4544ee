"""A test-only reminder kind whose due list each test sets, and its notification templates."""

import copy
import datetime as dt
from pathlib import Path

import pytest

from socialgov.reminders import registry
from socialgov.reminders.registry import DueReminder, ReminderKind

TEMPLATES = Path(__file__).resolve().parent / "templates"


@pytest.fixture(autouse=True)
def _test_notification_templates(settings):
    """templates/notifications/…/reminder_test*.txt live beside these tests, not in the product."""
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [*templates[0]["DIRS"], TEMPLATES]
    settings.TEMPLATES = templates


class ScheduledReminders:
    """What a test-only kind says is due, date by date (`every_day` for a daily nag)."""

    def __init__(self, name: str):
        self.by_date: dict[dt.date, list[DueReminder]] = {}
        self.every_day: list[DueReminder] = []
        self.asked: list[dt.date] = []
        self.when_asked = None  # called each time the kind is asked (e.g. to line up two runs)
        self.kind = ReminderKind(
            name=name,
            label=f"Test reminders ({name})",
            notification_kind="reminder_test",
            due=self.due,
        )

    def due(self, on: dt.date) -> list[DueReminder]:
        self.asked.append(on)
        if self.when_asked is not None:
            self.when_asked()
        return [*self.by_date.get(on, []), *self.every_day]

    def add(self, on: dt.date | None, person, school, thing: str = "the policy") -> DueReminder:
        reminder = DueReminder(
            recipient=person,
            school=school,
            subject_key=f"thing:{thing}",
            url="/terms/",
            context={"thing": thing},
        )
        if on is None:
            self.every_day.append(reminder)
        else:
            self.by_date.setdefault(on, []).append(reminder)
        return reminder


@pytest.fixture
def scheduled(db):
    """A registered test-only kind (the only kind registered during the test).

    Asks for the database first: pytest-django's database set-up replaces `mail.outbox`, so a
    `mailoutbox` taken before it would stay empty."""
    reminders = ScheduledReminders("reminder_test")
    with registry.only(reminders.kind):
        yield reminders
