"""The reminder kind for people who need two-factor and have not enrolled an authenticator."""

import datetime as dt
from collections.abc import Iterator

from django.urls import reverse

from socialgov.reminders.registry import DueReminder, ReminderKind
from socialgov.twofactor.selectors import people_yet_to_enrol


def enrolment_due(on: dt.date) -> Iterator[DueReminder]:
    """One reminder per person who needs two-factor on `on` and has no authenticator."""
    url = reverse("twofactor_enrol")
    for person in people_yet_to_enrol(on=on):
        memberships = person.current_memberships_on
        yield DueReminder(
            recipient=person,
            school=memberships[0].school if memberships else None,
            subject_key=f"user:{person.pk}",
            url=url,
        )


ENROLMENT = ReminderKind(
    name="twofactor_enrolment",
    label="Two-factor enrolment outstanding",
    notification_kind="twofactor_enrolment",
    due=enrolment_due,
)
