"""The "Daily reminders" entry in django-celery-beat's tables, which `celery -A socialgov beat`
(DatabaseScheduler) reads. Created after `migrate` when missing; an existing entry is left as
the deployment's operators may have retimed it in the admin."""

from dataclasses import dataclass

from django.db import DEFAULT_DB_ALIAS, connections

from socialgov.registry import Registry

DAILY_REMINDERS = "Daily reminders"
DAILY_REMINDERS_TASK = "socialgov.reminders.tasks.send_daily_reminders"
DAILY_AT = {"minute": "30", "hour": "6"}
TIMEZONE = "Europe/London"

# Every scheduled job of the core: (name, task, crontab fields, description). Each is also a
# management command (send_reminders, send_pending_notification_emails, delete_orphan_uploads).
JOBS = [
    (
        DAILY_REMINDERS,
        DAILY_REMINDERS_TASK,
        DAILY_AT,
        "Sends every reminder due today (policy reviews, unsigned AUPs, two-factor enrolment "
        "and the rest). Safe to run again: each reminder goes once.",
    ),
    (
        "Unsent notification e-mails",
        "socialgov.notifications.tasks.notification_emails_send_pending",
        {"minute": "15", "hour": "*"},
        "Sends notification e-mails still unsent after an hour (e.g. the mail server was down).",
    ),
    (
        "Orphaned uploads",
        "socialgov.uploads.tasks.delete_orphan_uploads",
        {"minute": "0", "hour": "3"},
        "Deletes uploaded files that no record refers to (left by a request that failed).",
    ),
]


@dataclass(frozen=True)
class ScheduledJob:
    """A feature app's scheduled job (registered in its AppConfig.ready()); like the core's JOBS,
    also a management command of the app's own."""

    name: str  # the beat entry's name, e.g. "Signed PDFs"
    task: str  # the Celery task's dotted name
    at: dict  # crontab fields, e.g. {"minute": "*/10", "hour": "*"}
    description: str


SCHEDULED_JOBS: Registry[ScheduledJob] = Registry("scheduled job")


def every_job() -> list[tuple[str, str, dict, str]]:
    """The core's jobs and every app's registered ones, as (name, task, at, description)."""
    return list(JOBS) + [(j.name, j.task, j.at, j.description) for j in SCHEDULED_JOBS.entries()]


def periodic_task_ensure(*, name, task, at, description, using: str = DEFAULT_DB_ALIAS):
    """One periodic task, created if it does not exist (an existing one is left as it is)."""
    from django_celery_beat.models import CrontabSchedule, PeriodicTask

    existing = PeriodicTask.objects.using(using).filter(name=name).first()
    if existing is not None:
        return existing
    crontab, _ = CrontabSchedule.objects.using(using).get_or_create(
        **at, day_of_week="*", day_of_month="*", month_of_year="*", timezone=TIMEZONE
    )
    entry, _ = PeriodicTask.objects.using(using).get_or_create(
        name=name, defaults={"task": task, "crontab": crontab, "description": description}
    )
    return entry


def daily_reminders_schedule_ensure(*, using: str = DEFAULT_DB_ALIAS):
    """The "Daily reminders" periodic task, created (06:30 Europe/London) if it does not exist."""
    name, task, at, description = JOBS[0]
    return periodic_task_ensure(name=name, task=task, at=at, description=description, using=using)


def ensure_after_migrate(*, using: str = DEFAULT_DB_ALIAS, **kwargs) -> None:
    """post_migrate receiver: only once django-celery-beat's own tables exist."""
    from django_celery_beat.models import PeriodicTask

    tables = connections[using].introspection.table_names()
    if PeriodicTask._meta.db_table not in tables:
        return
    for name, task, at, description in every_job():
        periodic_task_ensure(name=name, task=task, at=at, description=description, using=using)
