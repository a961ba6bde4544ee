"""The daily reminder job (Celery beat runs it from the "Daily reminders" periodic task)."""

import datetime as dt

from celery import shared_task

from socialgov.dates import today
from socialgov.reminders.services import reminders_send_due


# No retries of its own: the reminder log makes a rerun safe, and the next day's run retries
# whatever failed. The time limits stop a stuck run from holding a worker all day.
@shared_task(
    name="socialgov.reminders.tasks.send_daily_reminders",
    soft_time_limit=25 * 60,
    time_limit=30 * 60,
    max_retries=0,
)
def send_daily_reminders(on: str | None = None) -> dict[str, dict]:
    """Send the reminders due today in Europe/London (or on `on`, YYYY-MM-DD); counts per kind."""
    date = dt.date.fromisoformat(on) if on else today()
    return {name: counts.as_dict() for name, counts in reminders_send_due(on=date).items()}
