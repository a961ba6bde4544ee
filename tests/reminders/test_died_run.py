"""A run that dies while sending (the worker killed, the machine restarted) leaves its reminder's
log row `pending`: the next run sends it, once."""

import datetime as dt
import io

import pytest
from django.core.management import call_command

from socialgov.notifications.models import Notification
from socialgov.reminders import services
from socialgov.reminders.models import ReminderLog

TUESDAY = dt.date(2026, 3, 10)


class Killed(BaseException):
    """Not an Exception: nothing in the sweep catches it, as nothing survives a killed process."""


@pytest.fixture
def run(db, django_capture_on_commit_callbacks):
    def run_command(date):
        out = io.StringIO()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("send_reminders", "--date", date, stdout=out)
        return out.getvalue()

    return run_command


@pytest.fixture
def dies_sending_to(monkeypatch):
    real_build = services.notification_build

    def arrange(person):
        def build(**kwargs):
            if kwargs["recipient"].pk == person.pk:
                monkeypatch.setattr(services, "notification_build", real_build)  # once
                real_build(**kwargs).save()  # half-done work, which must not survive
                raise Killed
            return real_build(**kwargs)

        monkeypatch.setattr(services, "notification_build", build)

    return arrange


def _emails_to(mailoutbox, person):
    return [m for m in mailoutbox if m.to == [person.email]]


def _die_on_tuesday(scheduled, run, dies_sending_to, school, governor):
    scheduled.add(TUESDAY, governor, school)  # due on Tuesday only
    dies_sending_to(governor)
    with pytest.raises(Killed):
        run("2026-03-10")
    left = ReminderLog.objects.get(recipient=governor)
    assert (left.status, left.attempts) == (ReminderLog.Status.PENDING, 0)
    assert not Notification.objects.filter(recipient=governor).exists()
    return left


def test_a_row_left_pending_is_sent_by_the_next_days_run(
    scheduled, run, dies_sending_to, mailoutbox, school, governor
):
    left = _die_on_tuesday(scheduled, run, dies_sending_to, school, governor)

    output = run("2026-03-11")

    assert "0 due, 1 sent, 0 already sent, 0 failed, 1 retried" in output
    assert len(_emails_to(mailoutbox, governor)) == 1
    left.refresh_from_db()
    assert (left.status, left.attempts) == (ReminderLog.Status.SENT, 1)
    run("2026-03-11")
    run("2026-03-12")
    assert len(_emails_to(mailoutbox, governor)) == 1
    assert Notification.objects.filter(recipient=governor).count() == 1


def test_a_row_left_pending_is_sent_by_a_second_run_on_the_same_day(
    scheduled, run, dies_sending_to, mailoutbox, school, governor
):
    left = _die_on_tuesday(scheduled, run, dies_sending_to, school, governor)

    run("2026-03-10")

    assert len(_emails_to(mailoutbox, governor)) == 1
    left.refresh_from_db()
    assert left.status == ReminderLog.Status.SENT
    assert ReminderLog.objects.filter(recipient=governor).count() == 1
