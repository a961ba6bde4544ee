"""The daily job: a Celery task that Celery beat starts from the "Daily reminders" entry in the
database (django-celery-beat's DatabaseScheduler), at 06:30 London time."""

import datetime as dt
import io

import pytest
import time_machine
from django.core.management import call_command
from django_celery_beat.models import CrontabSchedule, PeriodicTask
from django_celery_beat.schedulers import DatabaseScheduler

from socialgov.celery import app
from socialgov.reminders.models import ReminderLog
from socialgov.reminders.schedule import DAILY_REMINDERS, daily_reminders_schedule_ensure
from socialgov.reminders.tasks import send_daily_reminders


def test_the_daily_job_is_scheduled_after_migrate(db):
    entry = PeriodicTask.objects.select_related("crontab").get(name=DAILY_REMINDERS)

    assert entry.enabled
    assert entry.task == "socialgov.reminders.tasks.send_daily_reminders"
    assert entry.args == "[]" and entry.kwargs == "{}"  # "today" is worked out when it runs
    crontab = entry.crontab
    assert (crontab.minute, crontab.hour) == ("30", "6")
    assert (crontab.day_of_week, crontab.day_of_month, crontab.month_of_year) == ("*", "*", "*")
    assert str(crontab.timezone) == "Europe/London"
    assert entry.interval is None and entry.one_off is False


def test_the_scheduled_task_name_is_a_task_the_worker_knows(db):
    entry = PeriodicTask.objects.get(name=DAILY_REMINDERS)
    app.loader.import_default_modules()

    assert app.tasks[entry.task].name == send_daily_reminders.name
    assert app.tasks[entry.task].run is send_daily_reminders.run


def test_beat_reads_the_entry_from_the_database(db):
    # Beat loads only the crontab entries due within about two hours: ask at 06:00 London time.
    with time_machine.travel(dt.datetime(2026, 7, 1, 5, 0, tzinfo=dt.UTC), tick=False):
        schedule = DatabaseScheduler(app=app, lazy=True).all_as_schedule()

    entry = schedule[DAILY_REMINDERS]
    assert entry.task == "socialgov.reminders.tasks.send_daily_reminders"
    assert entry.schedule.hour == {6} and entry.schedule.minute == {30}
    # In summer 06:30 in London is 05:30 UTC: beat starts the job then, not an hour later.
    last_run = dt.datetime(2026, 6, 30, 5, 30, tzinfo=dt.UTC)
    with time_machine.travel(dt.datetime(2026, 7, 1, 5, 25, tzinfo=dt.UTC), tick=False):
        assert not entry.schedule.is_due(last_run).is_due
    with time_machine.travel(dt.datetime(2026, 7, 1, 5, 30, 5, tzinfo=dt.UTC), tick=False):
        assert entry.schedule.is_due(last_run).is_due


def test_migrating_again_makes_no_second_entry(db):
    call_command("migrate", verbosity=0, stdout=io.StringIO())
    daily_reminders_schedule_ensure()

    assert PeriodicTask.objects.filter(name=DAILY_REMINDERS).count() == 1
    assert CrontabSchedule.objects.filter(minute="30", hour="6").count() == 1


def test_an_entry_retimed_by_the_operators_is_left_alone(db):
    entry = PeriodicTask.objects.get(name=DAILY_REMINDERS)
    entry.crontab = CrontabSchedule.objects.create(minute="0", hour="7", timezone="Europe/London")
    entry.save()

    daily_reminders_schedule_ensure()

    entry.refresh_from_db()
    assert (entry.crontab.hour, entry.crontab.minute) == ("7", "0")


def test_a_deleted_entry_comes_back_with_the_next_migrate(db):
    PeriodicTask.objects.filter(name=DAILY_REMINDERS).delete()

    call_command("migrate", verbosity=0, stdout=io.StringIO())

    assert PeriodicTask.objects.filter(name=DAILY_REMINDERS).exists()


def test_the_task_sends_todays_reminders_in_london(
    scheduled, school, staff, mailoutbox, django_capture_on_commit_callbacks
):
    scheduled.add(dt.date(2026, 7, 1), staff, school)

    late_on_30_june = dt.datetime(2026, 6, 30, 23, 30, tzinfo=dt.UTC)  # 1 July in London
    with (
        time_machine.travel(late_on_30_june, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        result = send_daily_reminders.delay().get()

    assert result["reminder_test"]["sent"] == 1
    assert scheduled.asked == [dt.date(2026, 7, 1)]
    assert len(mailoutbox) == 1
    assert ReminderLog.objects.get().due_on == dt.date(2026, 7, 1)


def test_the_task_has_a_time_limit_and_no_retries_of_its_own():
    assert send_daily_reminders.time_limit
    assert send_daily_reminders.soft_time_limit < send_daily_reminders.time_limit
    assert send_daily_reminders.max_retries == 0
    assert not getattr(send_daily_reminders, "autoretry_for", ())


@pytest.mark.parametrize("bad", ["2026-02-30", "yesterday"])
def test_the_task_refuses_a_bad_date(db, bad):
    with pytest.raises(ValueError):
        send_daily_reminders.apply(args=[bad]).get()


@pytest.mark.django_db
def test_every_core_job_is_scheduled_and_names_a_registered_task():
    from socialgov.celery import app
    from socialgov.reminders.schedule import JOBS

    app.loader.import_default_modules()
    for name, task, _at, _description in JOBS:
        entry = PeriodicTask.objects.get(name=name)
        assert entry.task == task and entry.enabled
        assert task in app.tasks, f"{task} is not a registered Celery task"
