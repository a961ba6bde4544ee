"""`manage.py send_reminders` and the sweep behind it: each reminder is logged before it is sent,
sent once however often the sweep runs, and retried after a failure."""

import datetime as dt
import io

import pytest
import time_machine
from django.core.management import CommandError, call_command

from socialgov.notifications.models import Notification
from socialgov.reminders import registry, services
from socialgov.reminders.models import ReminderLog
from socialgov.reminders.services import MAX_ATTEMPTS, reminders_send_due
from tests.reminders.conftest import ScheduledReminders

MONDAY = dt.date(2026, 3, 9)
TUESDAY = dt.date(2026, 3, 10)
WEDNESDAY = dt.date(2026, 3, 11)


@pytest.fixture
def run(db, django_capture_on_commit_callbacks):
    """run(*args) -> (output, error or None): the command, with after-commit e-mails sent."""

    def run_command(*args):
        out = io.StringIO()
        with django_capture_on_commit_callbacks(execute=True):
            try:
                call_command("send_reminders", *args, stdout=out)
            except CommandError as error:
                return out.getvalue(), str(error)
        return out.getvalue(), None

    return run_command


@pytest.fixture
def flaky_send(monkeypatch):
    """Make sending to chosen people raise (the edge: building the notification) `times` times."""
    real_build = services.notification_build
    failures: dict[int, int] = {}

    def build(**kwargs):
        recipient = kwargs["recipient"]
        if failures.get(recipient.pk, 0) > 0:
            failures[recipient.pk] -= 1
            raise RuntimeError("the mail template blew up for recipient@willow.test")
        return real_build(**kwargs)

    monkeypatch.setattr(services, "notification_build", build)

    def fail_for(person, times=1):
        failures[person.pk] = times

    return fail_for


def _emails_to(mailoutbox, person):
    return [m for m in mailoutbox if m.to == [person.email]]


def test_a_second_run_for_the_same_date_sends_nothing_new(
    scheduled, run, mailoutbox, school, staff, governor
):
    scheduled.add(TUESDAY, staff, school)
    scheduled.add(TUESDAY, governor, school)

    first, error = run("--date", "2026-03-10")
    assert error is None
    assert len(mailoutbox) == 2
    assert {m.to[0] for m in mailoutbox} == {staff.email, governor.email}
    assert "Reminder: the policy" in mailoutbox[0].subject
    assert "2 due, 2 sent, 0 already sent, 0 failed, 0 retried" in first

    second, error = run("--date", "2026-03-10")
    assert error is None
    assert len(mailoutbox) == 2
    assert "2 due, 0 sent, 2 already sent, 0 failed, 0 retried" in second
    assert ReminderLog.objects.count() == 2
    assert Notification.objects.count() == 2
    for log in ReminderLog.objects.all():
        assert log.status == ReminderLog.Status.SENT
        assert log.attempts == 1
        assert log.due_on == TUESDAY
        assert log.kind == "reminder_test"
        assert log.sent_at is not None
        assert log.notification.recipient == log.recipient


def test_the_same_reminder_on_another_day_is_sent_again(scheduled, run, mailoutbox, school, staff):
    scheduled.add(None, staff, school)  # due every day, like a daily nag

    run("--date", "2026-03-10")
    run("--date", "2026-03-11")
    run("--date", "2026-03-11")

    assert len(mailoutbox) == 2
    assert sorted(ReminderLog.objects.values_list("due_on", flat=True)) == [TUESDAY, WEDNESDAY]


def test_a_reminder_due_twice_in_one_run_is_sent_once(scheduled, run, mailoutbox, school, staff):
    scheduled.add(TUESDAY, staff, school)
    scheduled.add(TUESDAY, staff, school)

    output, _ = run("--date", "2026-03-10")

    assert len(mailoutbox) == 1
    assert "1 due, 1 sent" in output


def test_a_failed_send_is_retried_by_the_next_run_and_then_sent_once(
    scheduled, run, flaky_send, mailoutbox, school, staff, governor
):
    scheduled.add(TUESDAY, staff, school)
    scheduled.add(TUESDAY, governor, school)  # due on Tuesday only
    flaky_send(governor, times=1)

    output, error = run("--date", "2026-03-10")

    assert "2 due, 1 sent, 0 already sent, 1 failed, 0 retried" in output
    assert error == (
        "1 reminder could not be sent; the next run retries it. Details are in the error log."
    )
    assert len(_emails_to(mailoutbox, staff)) == 1
    assert _emails_to(mailoutbox, governor) == []
    failed = ReminderLog.objects.get(recipient=governor)
    assert (failed.status, failed.attempts) == (ReminderLog.Status.FAILED, 1)
    assert failed.last_error == "RuntimeError"  # the type only: no address in the log
    assert failed.notification is None
    # The failed send's notification was rolled back with it.
    assert not Notification.objects.filter(recipient=governor).exists()

    output, error = run("--date", "2026-03-11")  # the next day: nothing new is due

    assert error is None
    assert "0 due, 1 sent, 0 already sent, 0 failed, 1 retried" in output
    assert len(_emails_to(mailoutbox, governor)) == 1
    failed.refresh_from_db()
    assert (failed.status, failed.attempts, failed.last_error) == ("sent", 2, "")
    assert Notification.objects.filter(recipient=governor).count() == 1

    run("--date", "2026-03-11")
    run("--date", "2026-03-12")
    assert len(_emails_to(mailoutbox, governor)) == 1
    assert len(_emails_to(mailoutbox, staff)) == 1


def test_a_failed_send_is_retried_by_a_second_run_on_the_same_day(
    scheduled, run, flaky_send, mailoutbox, school, governor
):
    scheduled.add(TUESDAY, governor, school)
    flaky_send(governor, times=1)

    run("--date", "2026-03-10")
    output, error = run("--date", "2026-03-10")

    assert error is None
    assert "1 due, 1 sent, 0 already sent, 0 failed, 1 retried" in output
    assert len(mailoutbox) == 1
    assert ReminderLog.objects.get().attempts == 2


def test_a_daily_reminder_that_failed_is_not_sent_twice_when_the_next_day_brings_it_again(
    scheduled, run, flaky_send, mailoutbox, school, governor
):
    scheduled.add(None, governor, school)
    flaky_send(governor, times=1)

    run("--date", "2026-03-10")
    output, _ = run("--date", "2026-03-11")

    assert len(mailoutbox) == 1  # today's reminder, not yesterday's as well
    assert "1 due, 1 sent" in output and "1 earlier not sent (replaced or no longer due)" in output
    statuses = dict(ReminderLog.objects.values_list("due_on", "status"))
    assert statuses == {TUESDAY: "skipped", WEDNESDAY: "sent"}


def test_a_failed_reminder_that_is_no_longer_due_is_not_retried(
    scheduled, run, flaky_send, mailoutbox, school, governor
):
    scheduled.add(TUESDAY, governor, school)
    flaky_send(governor, times=1)
    run("--date", "2026-03-10")
    scheduled.by_date.clear()  # e.g. the policy has been reviewed since

    output, error = run("--date", "2026-03-11")

    assert error is None
    assert mailoutbox == []
    assert ReminderLog.objects.get().status == ReminderLog.Status.SKIPPED
    assert "1 earlier not sent" in output


def test_retries_stop_after_the_last_attempt(
    scheduled, run, flaky_send, mailoutbox, school, governor
):
    scheduled.add(TUESDAY, governor, school)
    flaky_send(governor, times=100)

    for _ in range(MAX_ATTEMPTS):
        _, error = run("--date", "2026-03-10")
        assert error is not None
    output, error = run("--date", "2026-03-10")

    assert error is None
    assert f"1 given up after {MAX_ATTEMPTS} attempts" in output
    log = ReminderLog.objects.get()
    assert (log.status, log.attempts) == ("failed", MAX_ATTEMPTS)
    assert mailoutbox == []


def test_earlier_failures_are_retried_for_a_week_only(
    scheduled, run, flaky_send, mailoutbox, school, governor
):
    scheduled.add(TUESDAY, governor, school)
    flaky_send(governor, times=1)
    run("--date", "2026-03-10")

    output, _ = run("--date", "2026-03-18")  # eight days later

    assert mailoutbox == []
    assert "0 due, 0 sent, 0 already sent, 0 failed, 0 retried" in output
    assert ReminderLog.objects.get().status == ReminderLog.Status.FAILED


def test_a_dry_run_counts_but_writes_and_sends_nothing(
    scheduled, run, flaky_send, mailoutbox, school, staff, governor
):
    scheduled.add(TUESDAY, staff, school)
    scheduled.add(TUESDAY, governor, school)
    flaky_send(governor, times=1)
    run("--date", "2026-03-10")
    mailoutbox.clear()
    scheduled.add(WEDNESDAY, staff, school, thing="the AUP")
    logs_before = list(ReminderLog.objects.values())
    notifications_before = Notification.objects.count()

    output, error = run("--date", "2026-03-11", "--dry-run")

    assert error is None
    assert "dry run: nothing sent or recorded" in output
    assert "1 due, 2 would be sent (1 of them retries), 0 already sent" in output
    assert list(ReminderLog.objects.values()) == logs_before
    assert Notification.objects.count() == notifications_before
    assert mailoutbox == []


def test_a_dry_run_on_a_fresh_day_writes_no_log(scheduled, school, staff):
    scheduled.add(TUESDAY, staff, school)

    counts = reminders_send_due(on=TUESDAY, dry_run=True)

    assert counts["reminder_test"].due == 1
    assert counts["reminder_test"].sent == 1
    assert not ReminderLog.objects.exists()
    assert not Notification.objects.exists()


def test_the_output_counts_each_kind_and_the_total(run, mailoutbox, school, staff, governor):
    policies = ScheduledReminders("reminder_test_policies")
    aup = ScheduledReminders("reminder_test_aup")
    policies.add(TUESDAY, staff, school)
    policies.add(TUESDAY, governor, school)
    aup.add(TUESDAY, staff, school, thing="the AUP")

    with registry.only(policies.kind, aup.kind):
        run("--date", "2026-03-10")
        output, _ = run("--date", "2026-03-10")

    assert output.splitlines() == [
        "Reminders due on 10/03/2026",
        "Test reminders (reminder_test_aup): 1 due, 0 sent, 1 already sent, 0 failed, 0 retried",
        "Test reminders (reminder_test_policies): 2 due, 0 sent, 2 already sent, 0 failed, "
        "0 retried",
        "Total: 3 due, 0 sent, 3 already sent, 0 failed, 0 retried",
    ]
    assert len(mailoutbox) == 3


def test_one_broken_kind_does_not_stop_the_others(run, mailoutbox, school, staff):
    def broken(on):
        raise ZeroDivisionError("a bug in one app's reminders")

    working = ScheduledReminders("reminder_test_working")
    working.add(TUESDAY, staff, school)
    broken_kind = registry.ReminderKind(
        name="reminder_test_broken",
        label="Broken reminders",
        notification_kind="reminder_test",
        due=broken,
    )

    with registry.only(working.kind, broken_kind):
        output, error = run("--date", "2026-03-10")

    assert len(mailoutbox) == 1
    assert "Broken reminders: 0 due" in output and "see the error log" in output
    assert "could not work out what is due for: Broken reminders" in error


@pytest.mark.parametrize("bad", ["2026-02-30", "10/03/2026", "tomorrow", "2026-3"])
def test_a_bad_date_is_a_clear_error(scheduled, run, school, staff, bad):
    scheduled.add(TUESDAY, staff, school)

    with pytest.raises(CommandError, match="--date must be a real date written YYYY-MM-DD"):
        call_command("send_reminders", "--date", bad, stdout=io.StringIO())

    assert not ReminderLog.objects.exists()


def test_without_a_date_it_is_today_in_london(scheduled, run):
    # 23:30 on 30 June in UTC is already 1 July in London (British Summer Time).
    with time_machine.travel(dt.datetime(2026, 6, 30, 23, 30, tzinfo=dt.UTC), tick=False):
        output, _ = run()

    assert scheduled.asked == [dt.date(2026, 7, 1)]
    assert output.startswith("Reminders due on 01/07/2026")


def test_with_no_kinds_registered_it_says_so(run):
    with registry.only():
        output, error = run("--date", "2026-03-10")

    assert error is None
    assert "No kinds of reminder are registered." in output


def _sweep_queries(scheduled, school, day, how_many, capture_on_commit):
    """The queries of one sweep on `day` with `how_many` reminders due, and of its e-mails."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from socialgov.people.roles import Role
    from tests.factories import person_in

    for _ in range(how_many):
        scheduled.add(day, person_in(school, Role.STAFF), school)
    with capture_on_commit(execute=False) as callbacks, CaptureQueriesContext(connection) as sweep:
        counts = reminders_send_due(on=day)["reminder_test"]
    with CaptureQueriesContext(connection) as emails:
        for callback in callbacks:
            callback()
    assert (counts.due, counts.sent) == (how_many, how_many)
    return len(sweep.captured_queries), len(emails.captured_queries)


def test_the_sweeps_query_count_does_not_grow_with_the_number_of_reminders(
    scheduled, school, django_capture_on_commit_callbacks, mailoutbox
):
    few, few_emails = _sweep_queries(
        scheduled, school, TUESDAY, 3, django_capture_on_commit_callbacks
    )
    mailoutbox.clear()
    many, many_emails = _sweep_queries(
        scheduled, school, WEDNESDAY, 40, django_capture_on_commit_callbacks
    )

    # Logged and sent in batches: the same few queries for 40 reminders as for 3...
    assert many == few <= 16
    # ...and each e-mail (sent after commit, by the worker) is claimed and marked on its own.
    assert many_emails - few_emails == 2 * (40 - 3)
    assert len(mailoutbox) == 40


def test_a_batch_the_database_refuses_is_sent_one_reminder_at_a_time(
    scheduled, run, monkeypatch, mailoutbox, school, staff, governor
):
    from django.db import DatabaseError

    scheduled.add(TUESDAY, staff, school)
    scheduled.add(TUESDAY, governor, school)

    def refuse(notifications):
        raise DatabaseError("the batch insert failed")

    monkeypatch.setattr(services, "notifications_save", refuse)
    output, error = run("--date", "2026-03-10")

    assert error is None
    assert "2 due, 2 sent, 0 already sent, 0 failed, 0 retried" in output
    assert {m.to[0] for m in mailoutbox} == {staff.email, governor.email}
    assert set(ReminderLog.objects.values_list("status", "attempts")) == {("sent", 1)}
    assert Notification.objects.count() == 2
