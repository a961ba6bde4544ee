"""The "Daily reminders" entry in django-celery-beat's tables, which `celery -A socialgov beat`
(DatabaseScheduler) reads. Created after `migrate` when missing; an existing entry is left as
the deployment's operators may have retimed it in the admin."""

from django.db import DEFAULT_DB_ALIAS, connections

DAILY_REMINDERS = "Daily reminders"
DAILY_REMINDERS_TASK = "socialgov.reminders.tasks.send_daily_reminders"
DAILY_AT = {"minute": "30", "hour": "6"}
TIMEZONE = "Europe/London"


def daily_reminders_schedule_ensure(*, using: str = DEFAULT_DB_ALIAS):
    """The "Daily reminders" periodic task, created (06:30 Europe/London) if it does not exist."""
    from django_celery_beat.models import CrontabSchedule, PeriodicTask

    existing = PeriodicTask.objects.using(using).filter(name=DAILY_REMINDERS).first()
    if existing is not None:
        return existing
    crontab, _ = CrontabSchedule.objects.using(using).get_or_create(
        **DAILY_AT,
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone=TIMEZONE,
    )
    task, _ = PeriodicTask.objects.using(using).get_or_create(
        name=DAILY_REMINDERS,
        defaults={
            "task": DAILY_REMINDERS_TASK,
            "crontab": crontab,
            "description": (
                "Sends every reminder due today (policy reviews, unsigned AUPs, two-factor "
                "enrolment and the rest). Safe to run again: each reminder goes once."
            ),
        },
    )
    return task


def ensure_after_migrate(*, using: str = DEFAULT_DB_ALIAS, **kwargs) -> None:
    """post_migrate receiver: only once django-celery-beat's own tables exist."""
    from django_celery_beat.models import PeriodicTask

    tables = connections[using].introspection.table_names()
    if PeriodicTask._meta.db_table not in tables:
        return
    daily_reminders_schedule_ensure(using=using)
